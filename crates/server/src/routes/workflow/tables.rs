//! The plan's 27 tasks and penalty statements, as JSON or Excel.

use super::{WfOut, WfPage, scoped_query, wants_xlsx, xlsx};
use crate::auth::Guard;
use crate::error::ApiResult;
use crate::extract::Params;
use axum::Json;
use axum::response::{IntoResponse, Response};
use landcycle_domain::ParkId;
use landcycle_domain::workflow::penalty::PenaltyStatement;
use landcycle_domain::workflow::tasks::{PlanTask, TaskStatus};
use landcycle_store::{WfKind, WfQuery};

/// The plan's tasks with their status on `as_of` (done / on track / overdue); `format=xlsx`.
#[utoipa::path(get, path = "/api/tasks", tag = "workflows",
    params(("as_of" = Option<jiff::civil::Date>, Query, description = "Status as of this day (default today)"),
        ("format" = Option<String>, Query, description = "json (default) or xlsx")),
    responses((status = 200, description = "The tasks", content((WfPage = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn tasks(guard: Guard, params: Params) -> ApiResult<Response> {
    params.only(&["as_of", "format"])?;
    let as_of = params
        .date("as_of")?
        .unwrap_or_else(|| jiff::Zoned::now().date());
    let as_xlsx = wants_xlsx(&params)?;
    let page = guard
        .run(move |c| Ok(c.store().wf_records(WfKind::Task, &WfQuery::default())?))
        .await?;
    let tasks: Vec<(PlanTask, TaskStatus)> = page
        .items
        .iter()
        .filter_map(|r| serde_json::from_value::<PlanTask>(r.doc.clone()).ok())
        .map(|t| {
            let s = t.status(as_of);
            (t, s)
        })
        .collect();
    if !as_xlsx {
        let items = page
            .items
            .iter()
            .zip(&tasks)
            .map(|(r, (_, s))| WfOut {
                status: format!("{s:?}")
                    .to_lowercase()
                    .replace("ontrack", "on_track"),
                ..WfOut::from(r)
            })
            .collect();
        return Ok(Json(WfPage {
            total: page.total,
            items,
        })
        .into_response());
    }
    let rows: Vec<Vec<String>> = tasks
        .iter()
        .map(|(t, s)| {
            let next = t.next_open();
            vec![
                t.no.to_string(),
                t.title.clone(),
                t.lead_unit.clone(),
                t.co_units.join("、"),
                t.milestones
                    .iter()
                    .map(|m| format!("{} {}", m.date, m.what))
                    .collect::<Vec<_>>()
                    .join("；"),
                next.map(|m| m.date.to_string()).unwrap_or_default(),
                match s {
                    TaskStatus::Done => "已完成",
                    TaskStatus::OnTrack => "推进中",
                    TaskStatus::Overdue => "逾期",
                }
                .into(),
            ]
        })
        .collect();
    xlsx::response(
        "tasks.xlsx",
        "主要任务",
        &[
            "序号",
            "任务",
            "牵头单位",
            "配合单位",
            "完成时限",
            "下一时限",
            "状态",
        ],
        &rows,
    )
}

/// Penalty statements (违约金清单) in the caller's scope; `format=xlsx` for one line per item
/// and a total line per statement with what was paid, what is owed and the receipts.
#[utoipa::path(get, path = "/api/penalties", tag = "workflows",
    params(("park" = Option<String>, Query, description = "Park id"), ("format" = Option<String>, Query, description = "json (default) or xlsx")),
    responses((status = 200, description = "The statements", content((WfPage = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn penalties(guard: Guard, params: Params) -> ApiResult<Response> {
    params.only(&["park", "format"])?;
    let park = params.parse("park", "a park id", "园区编号", |v| {
        ParkId::parse(v).ok()
    })?;
    let as_xlsx = wants_xlsx(&params)?;
    let page = guard
        .run(move |c| {
            let q = scoped_query(c, park)?;
            Ok(c.store().wf_records(WfKind::Penalty, &q)?)
        })
        .await?;
    if !as_xlsx {
        return Ok(Json(WfPage {
            total: page.total,
            items: page.items.iter().map(WfOut::from).collect(),
        })
        .into_response());
    }
    let mut rows = Vec::new();
    for r in &page.items {
        let Ok(st) = serde_json::from_value::<PenaltyStatement>(r.doc.clone()) else {
            continue;
        };
        for l in &st.lines {
            rows.push(vec![
                st.contract_no.clone(),
                r.enterprise
                    .as_ref()
                    .map(|u| u.as_str().to_owned())
                    .unwrap_or_default(),
                r.park_id
                    .as_ref()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_default(),
                l.kind.label_zh().into(),
                l.basis_zh.clone(),
                format!("{:.2}", l.amount.0),
                if l.capped { "是" } else { "否" }.into(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        // The statement's total line carries what was paid, what is owed and the receipts.
        let paid: rust_decimal::Decimal = st.payments.iter().map(|p| p.amount.0).sum();
        rows.push(vec![
            st.contract_no.clone(),
            String::new(),
            String::new(),
            "合计".into(),
            String::new(),
            format!("{:.2}", st.total.0),
            String::new(),
            format!("{paid:.2}"),
            format!("{:.2}", st.outstanding().0),
            st.payments
                .iter()
                .map(|p| format!("{} {} {:.2}元", p.paid_on, p.receipt, p.amount.0))
                .collect::<Vec<_>>()
                .join("；"),
        ]);
    }
    xlsx::response(
        "penalties.xlsx",
        "违约金清单",
        &[
            "合同编号",
            "受让人",
            "园区",
            "项目",
            "计算依据",
            "金额(元)",
            "封顶",
            "已缴(元)",
            "尚欠(元)",
            "缴款记录",
        ],
        &rows,
    )
}
