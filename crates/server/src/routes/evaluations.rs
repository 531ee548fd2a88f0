//! 亩均效益评价 runs (评价批次): start a run for a year, list the stored runs, read one run with
//! its classes per park, page through its results (or download them as Excel), and reproduce a
//! run from its stored inputs. Every read is cut to the caller's scope: a park committee sees
//! its park's enterprises only, an enterprise its own result.

use crate::auth::Guard;
use crate::auth::guard::Checked;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{JsonBody, Params};
use crate::routes::park_efficiency::ClassCounts as Classes;
use crate::routes::workflow::{wants_xlsx, xlsx};
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use landcycle_domain::access::Scope;
use landcycle_domain::rules::RuleSet;
use landcycle_domain::rules::mu_evaluation::MuClass;
use landcycle_domain::{ParkId, Uscc};
use landcycle_store::{ClassCounts, EvaluationEntry, EvaluationRun, EvaluationRunHead, WriteMeta};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub use super::evaluation_types::{
    ParkClasses, Reproduced, ResultPage, ResultRow, RunDetail, RunIn, RunSummary,
};

/// Which entries of a run the caller may see.
enum Visible {
    All,
    Parks(Vec<ParkId>),
    Enterprise(String),
}

impl Visible {
    fn of(c: &Checked<'_>) -> ApiResult<Self> {
        if let Scope::Enterprise(u) = &c.principal().scope {
            return Ok(Self::Enterprise(u.as_str().to_owned()));
        }
        Ok(match c.scope_parks()? {
            None => Self::All,
            Some(parks) => Self::Parks(parks),
        })
    }

    fn sees(&self, e: &EvaluationEntry) -> bool {
        match self {
            Self::All => true,
            Self::Parks(ps) => e.park_id.as_ref().is_some_and(|p| ps.contains(p)),
            Self::Enterprise(u) => e.uscc.as_str() == u,
        }
    }
}

fn count<'a>(entries: impl Iterator<Item = &'a EvaluationEntry>) -> (u32, Classes) {
    let mut k = ClassCounts::default();
    for e in entries {
        k.add(e.class);
    }
    (k.total(), k.into())
}

fn summary(h: &EvaluationRunHead, enterprises: u32, classes: Classes) -> RunSummary {
    RunSummary {
        id: h.id.clone(),
        year: h.year,
        rule_set_version: h.rule_set_version.clone(),
        created_at: h.created_at.to_string(),
        created_by: h.created_by.clone(),
        enterprises,
        classes,
    }
}

fn head_of(r: &EvaluationRun) -> EvaluationRunHead {
    let mut k = ClassCounts::default();
    r.entries.iter().for_each(|e| k.add(e.class));
    EvaluationRunHead {
        id: r.id.clone(),
        year: r.year,
        rule_set_version: r.rule_set_version.clone(),
        created_at: r.created_at,
        created_by: r.created_by.clone(),
        classes: k,
    }
}

fn load(c: &Checked<'_>, id: &str) -> ApiResult<EvaluationRun> {
    c.store().evaluation_run(id)?.ok_or_else(|| {
        ApiError::NotFound(format!("evaluation run {id} not found / 评价批次不存在"))
    })
}

/// Stored runs, newest first, counted within the caller's scope.
#[utoipa::path(get, path = "/api/evaluations", tag = "evaluations",
    params(("year" = Option<i16>, Query, description = "Only runs of this year")),
    responses((status = 200, body = Vec<RunSummary>),
        (status = 400, body = Problem, content_type = "application/problem+json")))]
pub async fn list(guard: Guard, params: Params) -> ApiResult<Json<Vec<RunSummary>>> {
    params.only(&["year"])?;
    let year = params.int("year", 1990, 2100)?;
    guard
        .run(move |c| {
            let vis = Visible::of(c)?;
            let mut out = Vec::new();
            for h in c.store().evaluation_run_heads()? {
                if year.is_some_and(|y| y != u64::try_from(h.year).unwrap_or(0)) {
                    continue;
                }
                let k = match &vis {
                    Visible::All => h.classes,
                    Visible::Parks(ps) => {
                        c.store().evaluation_class_counts(&h.id, Some(ps), None)?
                    }
                    Visible::Enterprise(u) => match Uscc::parse(u) {
                        Ok(u) => c.store().evaluation_class_counts(&h.id, None, Some(&u))?,
                        Err(_) => ClassCounts::default(),
                    },
                };
                let (n, k) = (k.total(), k.into());
                out.push(summary(&h, n, k));
            }
            Ok(Json(out))
        })
        .await
}

/// Starts a run: every enterprise with land and figures of `year`, under the rules in force on
/// 31 December of that year; stored with every input (append-only).
#[utoipa::path(post, path = "/api/evaluations", tag = "evaluations", request_body = RunIn,
    responses((status = 201, body = RunSummary),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn start(
    guard: Guard,
    JsonBody(b): JsonBody<RunIn>,
) -> ApiResult<(StatusCode, Json<RunSummary>)> {
    let meta = WriteMeta::new(
        guard.principal().user.clone(),
        format!("亩均效益评价 {} / evaluation run", b.year),
    );
    guard
        .run(move |c| {
            let out = c
                .registry()
                .evaluate_year(&RuleSet::xuchang_default(), b.year, &meta)?;
            let h = head_of(&out.run);
            let s = summary(&h, h.classes.total(), h.classes.into());
            Ok((StatusCode::CREATED, Json(s)))
        })
        .await
}

/// One run with its classes and 亩均税收 per park (within the caller's scope).
#[utoipa::path(get, path = "/api/evaluations/{id}", tag = "evaluations",
    params(("id" = String, Path, description = "Run id")),
    responses((status = 200, body = RunDetail),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn one(guard: Guard, Path(id): Path<String>) -> ApiResult<Json<RunDetail>> {
    guard
        .run(move |c| {
            let run = load(c, &id)?;
            let vis = Visible::of(c)?;
            let names: BTreeMap<String, String> = c
                .store()
                .parks()?
                .into_iter()
                .map(|p| (p.id.as_str().to_owned(), p.name))
                .collect();
            let mut per: BTreeMap<Option<String>, (ClassCounts, Decimal, Decimal)> =
                BTreeMap::new();
            for e in run.entries.iter().filter(|e| vis.sees(e)) {
                let k = per
                    .entry(e.park_id.as_ref().map(|p| p.as_str().to_owned()))
                    .or_default();
                k.0.add(e.class);
                k.1 += e.inputs.tax_yuan;
                k.2 += e.inputs.land_mu;
            }
            let parks = per
                .into_iter()
                .map(|(park, (k, tax, mu))| ParkClasses {
                    park_name: park.as_ref().and_then(|p| names.get(p).cloned()),
                    park_id: park,
                    classes: k.into(),
                    tax_per_mu: (!mu.is_zero())
                        .then(|| (tax / Decimal::from(10_000) / mu).round_dp(4)),
                })
                .collect();
            let (n, k) = count(run.entries.iter().filter(|e| vis.sees(e)));
            Ok(Json(RunDetail {
                summary: summary(&head_of(&run), n, k),
                parks,
            }))
        })
        .await
}

fn row(e: &EvaluationEntry) -> ResultRow {
    ResultRow {
        uscc: e.uscc.as_str().to_owned(),
        name: e.inputs.name.clone(),
        park_id: e.park_id.as_ref().map(|p| p.as_str().to_owned()),
        population: if e.inputs.input.above_scale {
            "above"
        } else {
            "below"
        },
        land_mu: e.inputs.land_mu,
        tax_yuan: e.inputs.tax_yuan,
        tax_per_mu: e
            .inputs
            .input
            .values
            .get("tax_per_mu")
            .map(|v| v.round_dp(4)),
        score: e.score.map(|s| s.round_dp(4)),
        class: e.class.map(|c| format!("{c:?}")),
        rank: e.rank,
        not_rated: e.not_rated.clone(),
    }
}

fn class_param(p: &Params) -> ApiResult<Option<Option<MuClass>>> {
    p.parse(
        "class",
        "A, B, C, D or not_rated",
        "A、B、C、D 或 not_rated",
        |v| {
            Some(match v {
                "A" => Some(MuClass::A),
                "B" => Some(MuClass::B),
                "C" => Some(MuClass::C),
                "D" => Some(MuClass::D),
                "none" | "not_rated" => None,
                _ => return None,
            })
        },
    )
}

/// The results of a run, best rank first within each population, filtered and paged; with
/// `format=xlsx` the whole filtered table as Excel (Chinese headers).
#[utoipa::path(get, path = "/api/evaluations/{id}/results", tag = "evaluations",
    params(("id" = String, Path, description = "Run id"),
        ("park" = Option<String>, Query, description = "Park id"),
        ("class" = Option<String>, Query, description = "A, B, C, D, or not_rated"),
        ("population" = Option<String>, Query, description = "above (规上) or below (规下)"),
        ("limit" = Option<u32>, Query, description = "Page size (default 100, at most 10000)"),
        ("offset" = Option<u32>, Query, description = "Rows to skip"),
        ("format" = Option<String>, Query, description = "json (default) or xlsx")),
    responses((status = 200, description = "The results", content((ResultPage = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn results(guard: Guard, Path(id): Path<String>, params: Params) -> ApiResult<Response> {
    params.only(&["park", "class", "population", "limit", "offset", "format"])?;
    let park = params.parse("park", "a park id", "园区编号", |v| {
        ParkId::parse(v).ok()
    })?;
    let class = class_param(&params)?;
    let population = params.parse(
        "population",
        "above or below",
        "above 或 below",
        |v| match v {
            "above" => Some(true),
            "below" => Some(false),
            _ => None,
        },
    )?;
    let limit = usize::try_from(params.int("limit", 1, 10_000)?.unwrap_or(100)).unwrap_or(100);
    let offset =
        usize::try_from(params.int("offset", 0, u64::from(u32::MAX))?.unwrap_or(0)).unwrap_or(0);
    let as_xlsx = wants_xlsx(&params)?;
    let (year, mut rows) = guard
        .run(move |c| {
            let run = load(c, &id)?;
            let vis = Visible::of(c)?;
            let rows: Vec<ResultRow> = run
                .entries
                .iter()
                .filter(|e| vis.sees(e))
                .filter(|e| park.as_ref().is_none_or(|p| e.park_id.as_ref() == Some(p)))
                .filter(|e| class.is_none_or(|k| e.class == k))
                .filter(|e| population.is_none_or(|a| e.inputs.input.above_scale == a))
                .map(row)
                .collect();
            Ok((run.year, rows))
        })
        .await?;
    // 规上 before 规下, then by rank; unrated last.
    rows.sort_by(|a, b| {
        (a.population, a.rank.is_none(), a.rank, &a.uscc).cmp(&(
            b.population,
            b.rank.is_none(),
            b.rank,
            &b.uscc,
        ))
    });
    if as_xlsx {
        return excel(year, &rows);
    }
    let total = rows.len();
    let items = rows.into_iter().skip(offset).take(limit).collect();
    Ok(Json(ResultPage { total, items }).into_response())
}

fn excel(year: i16, rows: &[ResultRow]) -> ApiResult<Response> {
    let opt = |d: Option<Decimal>| d.map(|v| v.to_string()).unwrap_or_default();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.uscc.clone(),
                r.park_id.clone().unwrap_or_default(),
                if r.population == "above" {
                    "规上"
                } else {
                    "规下"
                }
                .into(),
                r.land_mu.round_dp(2).to_string(),
                r.tax_yuan.round_dp(2).to_string(),
                opt(r.tax_per_mu),
                opt(r.score),
                r.class.clone().unwrap_or_default(),
                r.rank.map(|n| n.to_string()).unwrap_or_default(),
                r.not_rated.clone().unwrap_or_default(),
            ]
        })
        .collect();
    xlsx::response(
        &format!("evaluation-{year}.xlsx"),
        &format!("亩均效益评价{year}"),
        &[
            "企业名称",
            "统一社会信用代码",
            "园区",
            "规模",
            "用地面积(亩)",
            "税收(元)",
            "亩均税收(万元/亩)",
            "得分",
            "等级",
            "排名",
            "未评原因",
        ],
        &body,
    )
}

/// Re-runs a stored run from its stored inputs and scheme and compares the results.
#[utoipa::path(post, path = "/api/evaluations/{id}/reproduce", tag = "evaluations",
    params(("id" = String, Path, description = "Run id")),
    responses((status = 200, body = Reproduced),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn reproduce(guard: Guard, Path(id): Path<String>) -> ApiResult<Json<Reproduced>> {
    guard
        .run(move |c| {
            let stored = load(c, &id)?;
            let again = c.registry().reproduce_evaluation(&id)?;
            let differing = stored
                .entries
                .iter()
                .zip(&again.entries)
                .filter(|(a, b)| a != b)
                .map(|(a, _)| a.uscc.as_str().to_owned())
                .collect::<Vec<_>>();
            Ok(Json(Reproduced {
                identical: stored == again,
                differing,
            }))
        })
        .await
}
