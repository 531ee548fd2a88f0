//! 亩均效益评价 of one year over the registry: builds each land user's [`MuInput`] from its land
//! and department figures, runs the domain's `evaluate`, and stores the run with every input,
//! so that [`Registry::reproduce_evaluation`] gives the same result bit for bit.

use super::holdings::Holding;
use super::{Batch, Registry, WriteMeta};
use crate::backend::Store;
use crate::error::{StoreError, StoreResult};
use crate::evaluation::{EvaluationEntry, EvaluationInput, EvaluationRun};
use crate::model::Change;
use jiff::civil::date;
use landcycle_domain::rules::RuleSet;
use landcycle_domain::rules::config::Locus;
use landcycle_domain::rules::mu_evaluation::{
    EvalStatus, MuEvalConfig, MuEvaluation, MuInput, evaluate,
};
use landcycle_domain::{AdminCode, Uscc};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Decimal places kept for every indicator value.
const VALUE_DP: u32 = 6;
/// The city whose rules the evaluation resolves (许昌市).
const CITY: &str = "411000";

/// A run and what was left out of it.
#[derive(Debug, Clone)]
pub struct EvaluationOutcome {
    /// The stored run.
    pub run: EvaluationRun,
    /// The domain result (benchmarks, scores by population).
    pub result: MuEvaluation,
    /// Land users left out for holding less land than the scheme's minimum (评价范围).
    pub below_min_land: usize,
    /// Land users left out for having no figures of the year.
    pub without_figures: usize,
}

fn per(num: Decimal, den: Decimal) -> Option<Decimal> {
    (den > Decimal::ZERO).then(|| (num / den).round_dp(VALUE_DP))
}

/// The indicator values the department figures support: 亩均税收 and 亩均产值 (万元/亩),
/// 单位电耗税收 (元/kWh) and 单位电耗产值 (元/kWh). 增加值, 能耗, 排放 and R&D are not
/// imported yet, so indicators built on them are missing and follow the scheme's policy.
fn input_of(h: &Holding, year: i16) -> Option<EvaluationInput> {
    let f = h.figures.get(&year)?;
    let mu = h.mu();
    let wan = Decimal::from(10_000);
    let mut values = BTreeMap::new();
    let mut put = |code: &str, v: Option<Decimal>| {
        if let Some(v) = v {
            values.insert(code.to_owned(), v);
        }
    };
    put("tax_per_mu", per(f.tax_yuan / wan, mu));
    put(
        "output_per_mu",
        f.output_yuan.and_then(|o| per(o / wan, mu)),
    );
    if let Some(kwh) = f.electricity_kwh {
        put("tax_per_kwh", per(f.tax_yuan, kwh));
        put("output_per_kwh", f.output_yuan.and_then(|o| per(o, kwh)));
    }
    Some(EvaluationInput {
        name: h.enterprise.name.clone(),
        land_mu: mu.round_dp(VALUE_DP),
        tax_yuan: f.tax_yuan,
        input: MuInput {
            uscc: h.enterprise.uscc.clone(),
            above_scale: h.enterprise.above_scale,
            status: EvalStatus::Evaluated,
            values,
            adjustment_codes: BTreeSet::new(),
            veto_codes: BTreeSet::new(),
        },
    })
}

/// Entries of a run from its inputs and the domain result, ordered by code.
fn entries(
    inputs: Vec<(Uscc, Option<landcycle_domain::ParkId>, EvaluationInput)>,
    result: &MuEvaluation,
) -> Vec<EvaluationEntry> {
    let scores: BTreeMap<&str, _> = result.scores.iter().map(|s| (s.uscc.as_str(), s)).collect();
    let mut out: Vec<EvaluationEntry> = inputs
        .into_iter()
        .map(|(uscc, park_id, inputs)| {
            let s = scores.get(uscc.as_str());
            EvaluationEntry {
                score: s.map(|s| s.total),
                class: s.map(|s| s.class),
                rank: s.and_then(|s| s.rank),
                not_rated: result.not_rated.get(uscc.as_str()).cloned(),
                detail: s.map(|s| (*s).clone()),
                uscc,
                park_id,
                inputs,
            }
        })
        .collect();
    out.sort_by(|a, b| a.uscc.as_str().cmp(b.uscc.as_str()));
    out
}

impl<S: Store + ?Sized> Registry<S> {
    /// Evaluates every enterprise with land and figures of `year` under the scheme of `rules`
    /// in force on 31 December of that year (规上 and 规下 separately), and stores the run.
    pub fn evaluate_year(
        &self,
        rules: &RuleSet,
        year: i16,
        meta: &WriteMeta,
    ) -> StoreResult<EvaluationOutcome> {
        let on = date(year, 12, 31);
        let resolved = rules.resolve(
            &Locus {
                county: AdminCode::parse(CITY)?,
                park: None,
            },
            on,
        );
        let config: MuEvalConfig = resolved.structured("mu_evaluation.config")?;
        let min_mu = resolved
            .number("mu_evaluation.min_land_mu")
            .unwrap_or(Decimal::ZERO);
        let mut inputs = Vec::new();
        let (mut below_min_land, mut without_figures) = (0, 0);
        for (uscc, h) in self.holdings()? {
            if h.mu() < min_mu {
                below_min_land += 1;
                continue;
            }
            match input_of(&h, year) {
                Some(i) => inputs.push((uscc, h.park.clone(), i)),
                None => without_figures += 1,
            }
        }
        if inputs.is_empty() {
            return Err(StoreError::field(
                "year",
                Some(&year.to_string()),
                "no enterprise has land and figures of this year",
                "该年度没有同时具备用地和经济数据的企业",
            ));
        }
        let mu_inputs: Vec<MuInput> = inputs.iter().map(|(_, _, i)| i.input.clone()).collect();
        let result = evaluate(&mu_inputs, &config, &resolved.version)?;
        let mut batch = Batch::new(meta)?;
        let run = EvaluationRun {
            id: uuid::Uuid::new_v4().to_string(),
            year,
            rule_set_version: resolved.version.clone(),
            config,
            created_at: meta.recorded_at.unwrap_or_else(jiff::Timestamp::now),
            created_by: meta.actor.0.clone(),
            entries: entries(inputs, &result),
        };
        batch.push(Change::PutEvaluationRun(Box::new(run.clone())));
        batch.commit(self.store())?;
        Ok(EvaluationOutcome {
            run,
            result,
            below_min_land,
            without_figures,
        })
    }

    /// Re-runs a stored run from its stored inputs and scheme: the entries returned equal the
    /// stored ones when the engine is unchanged.
    pub fn reproduce_evaluation(&self, id: &str) -> StoreResult<EvaluationRun> {
        let Some(stored) = self.store().evaluation_run(id)? else {
            return Err(StoreError::NotFound {
                entity: "evaluation_run",
                id: id.to_owned(),
            });
        };
        let mu_inputs: Vec<MuInput> = stored
            .entries
            .iter()
            .map(|e| e.inputs.input.clone())
            .collect();
        let result = evaluate(&mu_inputs, &stored.config, &stored.rule_set_version)?;
        let inputs = stored
            .entries
            .iter()
            .map(|e| (e.uscc.clone(), e.park_id.clone(), e.inputs.clone()))
            .collect();
        Ok(EvaluationRun {
            entries: entries(inputs, &result),
            ..stored
        })
    }
}
