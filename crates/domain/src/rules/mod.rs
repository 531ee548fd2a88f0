//! # 规则引擎 (rules) — issue 5's core
//!
//! Pure functions over given facts: no I/O, no clock (the evaluation date is always an
//! argument), no floats, deterministic output (BTreeMap, sorted vectors). Every threshold comes
//! from a versioned, jurisdiction-scoped [`config::RuleSet`]; every result records the version
//! of the parameters it used. Sections refer to `shared/domain/README.md`; the pilot plan wins
//! over it.
//!
//! | Module | Rule | Source (confidence) |
//! |---|---|---|
//! | [`dates`] | 满N年 anniversary rule, periods, working days | 《民法典》第二百零一至二百零三条 (RECALLED), §7.6 |
//! | [`config`] | rule parameters, resolution park > county > city > province | §0, §10 |
//! | [`finding`] | the finding record and clerk-readable reasons | — |
//! | [`idle`] | 闲置土地 IDLE-A / IDLE-B (+ -1Y / -2Y / -GOV) | 《闲置土地处置办法》第二、八、十四、二十二条 (VERIFIED/RECALLED), §1 |
//! | [`stock_status`] | PWG / GWY / YWJ / JWT / TWD / NORMAL | §2.5 (PROPOSED-DEFAULT) |
//! | [`unsupplied`] | 批而未供 accounting, 供地率, 消化率, UNS-NOACQ / UNS-ACQ | §2.1–2.2; 自然资办发〔2019〕3号 (RECALLED) |
//! | [`low_efficiency`] | LE-1 … LE-9 with exclusions | §3.5 (PROPOSED-DEFAULT over LOCAL-EXAMPLE/VERIFIED seeds) |
//! | [`mu_config`], [`mu_evaluation`] | 亩均效益评价 scores and A/B/C/D | §5.1 Huangyan (VERIFIED), §5.2, §5.4 |
//! | [`park_targets`] | 亩均税收 band, 60 % by 2021, 1.37万亩 by 2022 | the Xuchang plan (VERIFIED) |
//! | [`quota`] | 增存挂钩 allocation | plan task 16 (VERIFIED), 自然资规〔2018〕1号 (RECALLED), §2.3 (PROPOSED-DEFAULT) |
//!
//! The Xuchang defaults (§10) ship as [`config::RuleSet::xuchang_default`].

pub mod config;
pub mod dates;
pub mod finding;
pub mod finding_kind;
pub mod idle;
pub mod low_efficiency;
pub mod mu_config;
pub mod mu_evaluation;
pub mod park_targets;
pub mod quota;
pub mod stock_status;
pub mod unsupplied;
mod xuchang;

#[cfg(test)]
mod test_util;

pub use config::{
    Confidence, ExactRatio, Locus, ParamValue, ResolvedRules, RuleParam, RuleSet, Scope,
};
pub use dates::{
    Deadline, HolidayCalendar, PeriodUnit, add_months, add_years, period_end, reached,
};
pub use finding::{Finding, LegalSource, Severity, Subject};
pub use finding_kind::FindingKind;
pub use idle::{GovCause, IdleFacts, IdleKind, IdleOutcome, IdleParams, IdleStage, assess_idle};
pub use low_efficiency::{LowEffAssessment, LowEffFacts, LowEffParams, assess_low_efficiency};
pub use mu_evaluation::{MuClass, MuEvalConfig, MuEvaluation, MuInput, evaluate};
pub use park_targets::{PlanTargets, TargetStatus};
pub use quota::{CountyStock, QuotaAllocation, QuotaParams, allocate_quota};
pub use stock_status::{StockFacts, StockStatus, classify_stock};
pub use unsupplied::{ApprovalBatch, BatchStatus, DisposalKind, UnsuppliedParams, batch_status};
pub use xuchang::{XUCHANG, XUCHANG_FROM};
