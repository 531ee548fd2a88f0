//! # 供地与监管流程 (workflows) — issue 6's core
//!
//! Supply and supervision as workflows configured as data ([`engine`]): statuses with checklists
//! and statutory deadlines (computed by [`crate::rules::dates`], §7.6), transitions with the
//! role allowed to take them and guards requiring fields, documents and passed checks. Pure:
//! no I/O, no clock.
//!
//! | Module | What | Source (confidence) |
//! |---|---|---|
//! | [`application`] | 标准地 application, revision, review, scheme and signing steps | §4.1–4.2, §6.3, §8.2 |
//! | [`engine`] | workflow definitions, transitions, guards, deadlines | §7.6, §8.3 |
//! | [`indicator_catalogue`] | the §4.2 catalogue: units, directions, core/optional | §4.2, §10 (PROPOSED-DEFAULT) |
//! | [`indicator_sets`] | stored, versioned sets per park × industry: the §4.2 catalogue and limits, the set in force | §4.2 (PROPOSED-DEFAULT) |
//! | [`standard_land`] | 标准地 3+N+1 indicator sets, admission/stage checks | §4.2 (PROPOSED-DEFAULT), plan tasks 4, 18 |
//! | [`review`] | 联合评审, ≥100亩 strict review and phased supply | plan tasks 5, 6 (VERIFIED) |
//! | [`supply_scheme`] | 弹性年期出让 ≤20 y, 先租后让, 租让结合, 长期租赁; 年期修正 K | plan task 22 (VERIFIED), §6.1–6.3 |
//! | [`contract`] | 出让合同 + 履约监管协议, penalty clauses, §4.3 checkpoint timeline | §8.2, §4.3 |
//! | [`penalty`] | late start/completion ‰/day, investment/容积率 shortfall, tax gap capped | §4.3 |
//! | [`supervision`] | a checkpoint met: actual vs agreed per indicator, the breach priced | §4.3 |
//! | [`credit`] | the enterprise's credit record entries of a breach | §4.3 (c) |
//! | [`inspection`] | 批后监管巡查 records with photos | §8.3 (VERIFIED fields) |
//! | [`reports`] | 每季度末报送 progress reports on tasks, plans and cases | the plan |
//! | [`renewal`] | renewal decided condition by condition | §6.4 (PROPOSED-DEFAULT) |
//! | [`project`] | the 标准地 project workflow, parcel lifecycle mapping | §4.1, §8.3 |
//! | [`idle_case`] | 闲置土地处置 §1.6–1.7, fee 20 % / 无偿收回 at 2 years, 政府原因 path | 53号令 (VERIFIED/RECALLED) |
//! | [`disposal`] | 一地一策 plans, 挂牌督办 counts | §3.5, plan task 13 (VERIFIED) |
//! | [`tasks`] | the plan's 27 tasks, quarterly reports, overdue | the plan (VERIFIED) |
//! | [`warnings`] | T−30 / T−7 / overdue warnings, iCalendar feed | §8.3 (PROPOSED-DEFAULT) |

pub mod application;
mod builder;
pub mod contract;
pub mod credit;
pub mod disposal;
pub mod engine;
pub mod idle_case;
mod idle_def;
pub mod indicator_catalogue;
pub mod indicator_sets;
pub mod inspection;
pub mod penalty;
pub mod project;
pub mod renewal;
pub mod reports;
pub mod review;
pub mod standard_land;
pub mod supervision;
pub mod supply_scheme;
pub mod tasks;
pub mod warnings;

#[cfg(test)]
mod tests_bad_input;
#[cfg(test)]
mod tests_idle;
#[cfg(test)]
mod tests_indicator_sets;
#[cfg(test)]
mod tests_parts;
#[cfg(test)]
mod tests_standard_land;
#[cfg(test)]
mod tests_supervision;

pub use contract::{Checkpoint, GrantContract, PenaltyClauses, SupervisionAgreement, checkpoints};
pub use disposal::{
    DisposalMethod, DisposalPlan, DisposalSubject, SupervisedListing, supervised_counts,
};
pub use engine::{CaseState, DocumentRef, TransitionRecord, TransitionRequest, WorkflowDef};
pub use idle_case::{IdleCase, IdleDecision, idle_case_workflow};
pub use penalty::{PenaltyKind, PenaltyLine, PenaltyStatement};
pub use project::project_workflow;
pub use renewal::{RenewalDecision, RenewalFacts, decide_renewal};
pub use review::{JointReview, Opinion, ReviewDecision, SupplyPhase, Vote};
pub use standard_land::{CheckReport, CheckStage, Indicator, IndicatorSet, check};
pub use supply_scheme::{SchemeQuote, SupplyScheme, TermParams, term_coefficient};
pub use tasks::{Milestone, PlanTask, ProgressReport, TaskStatus};
pub use warnings::{DueItem, DueKind, Warning, WarningLevel, warnings};
