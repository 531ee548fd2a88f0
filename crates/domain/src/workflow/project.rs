//! 标准地项目 — a 标准地 project from application to renewal as a workflow (§4.1 six stages:
//! 出让前准备 → 按标出让 → 审批服务 → 按标施建 → 对标验收 → 监督管理; plan task 19 流程再造).
//!
//! Statuses after the grant mirror the parcel lifecycle (§8.3); [`parcel_status_after`] says
//! which lifecycle state a project transition puts the parcel in, so the store can update the
//! parcel and its history in the same atomic write.

use super::builder::DefBuilder;
use super::engine::WorkflowDef;
use crate::ParcelLifecycle;
use crate::access::Role;

/// The 标准地 project workflow, version `std-land.1`.
pub fn project_workflow() -> WorkflowDef {
    use Role::{Admin, City, County, Enterprise, Park};
    let park = &[Admin, City, County, Park];
    let city = &[Admin, City, County];
    DefBuilder::new(
        "standard_land_project",
        "标准地项目",
        "std-land.1",
        "applied",
    )
    .status("applied", "已申请", &["企业按标填报指标承诺值"])
    .status("revising", "退回修改", &["企业修改不达标指标"])
    .status("admission_passed", "准入审查通过", &["提交联合评审"])
    .status(
        "reviewed",
        "联合评审通过",
        &["拟定供应方案", "≥100亩项目分批供地"],
    )
    .terminal("rejected", "评审未通过")
    .status(
        "scheme_set",
        "供应方案确定",
        &["挂牌出让", "签订出让合同和履约监管协议"],
    )
    .status("granted", "已出让（合同已签）", &["交地"])
    .status("delivered", "已交地", &["约定日期前动工"])
    .status("started", "已动工", &["约定日期前竣工"])
    .status("completed", "已竣工", &["对标验收"])
    .status("conformity_checked", "已对标验收", &["投产"])
    .status("in_production", "已投产", &["初始运行期满达产复核"])
    .status("capacity_reviewed", "已达产复核", &["定期复核"])
    .status("operating", "运营中", &["期满前12个月续期审查"])
    .status("renewal_review", "续期审查", &["逐项审查续期条件"])
    .terminal("renewed", "已续期")
    .terminal("expired", "期满收回")
    .go("applied", "revising", "准入审查不通过，退回修改", park)
    .go(
        "revising",
        "applied",
        "重新提交",
        &[Enterprise, Admin, City, County, Park],
    )
    .go("applied", "admission_passed", "准入审查通过", park)
    .checks(&["admission_check"])
    .go("admission_passed", "reviewed", "联合评审通过", city)
    .checks(&["joint_review"])
    .go("admission_passed", "rejected", "联合评审不通过", city)
    .go("reviewed", "scheme_set", "确定供应方案", city)
    .checks(&["scheme"])
    .go("scheme_set", "granted", "签订出让合同和履约监管协议", city)
    .docs(&["国有建设用地使用权出让合同", "履约监管协议"])
    .go("granted", "delivered", "交地", city)
    .docs(&["交地确认书"])
    .go("delivered", "started", "动工", park)
    .docs(&["施工许可证"])
    .go("started", "completed", "竣工验收备案", park)
    .docs(&["竣工验收备案通知书"])
    .go("completed", "conformity_checked", "对标验收", park)
    .fields(&["actual_investment_yuan", "actual_far"])
    .go("conformity_checked", "in_production", "投产", park)
    .go("in_production", "capacity_reviewed", "达产复核", park)
    .fields(&["tax_per_mu_wan"])
    .go("capacity_reviewed", "operating", "转入运营监管", park)
    .go(
        "operating",
        "renewal_review",
        "提出续期申请",
        &[Enterprise, Admin, City, County],
    )
    .go("renewal_review", "renewed", "批准续期", city)
    .checks(&["renewal_conditions"])
    .go("renewal_review", "expired", "不予续期，期满收回", city)
    .fields(&["failing_conditions"])
    .build()
}

/// The parcel lifecycle state a project transition to `to` puts the parcel in.
pub fn parcel_status_after(to: &str) -> Option<ParcelLifecycle> {
    use ParcelLifecycle::*;
    Some(match to {
        "granted" => Granted,
        "delivered" => Delivered,
        "started" => Started,
        "completed" => Completed,
        "conformity_checked" => ConformityChecked,
        "in_production" => InProduction,
        "capacity_reviewed" => CapacityReviewed,
        "operating" => Operating,
        "renewal_review" => NearExpiry,
        "renewed" => Renewed,
        "expired" => Recovered,
        _ => return None,
    })
}

/// 标准地项目: the application, its checks and the documents of its grant, with its state.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct StandardLandProject {
    /// Project id.
    pub id: String,
    /// Project name.
    pub name: String,
    /// Applicant 统一社会信用代码.
    pub applicant: String,
    /// Applicant name.
    #[serde(default)]
    pub applicant_name: String,
    /// Park.
    #[schema(value_type = String)]
    pub park_id: crate::park::ParkId,
    /// Industry.
    pub industry: String,
    /// Planned total investment, 万元.
    #[serde(default)]
    #[schema(value_type = String)]
    pub investment_wan: rust_decimal::Decimal,
    /// Land asked for, m².
    #[schema(value_type = String)]
    pub area_m2: crate::units::AreaM2,
    /// ≥ 100 亩: strict scale review and phased supply (plan task 6).
    #[serde(default)]
    pub large_project: bool,
    /// The parcel, once chosen.
    #[schema(value_type = Option<String>)]
    pub parcel_id: Option<crate::parcel::ParcelId>,
    /// Indicator values committed (承诺值), by code.
    #[schema(value_type = Object)]
    pub values: std::collections::BTreeMap<String, rust_decimal::Decimal>,
    /// The last admission check.
    pub admission: Option<super::standard_land::CheckReport>,
    /// The indicator set the project was checked against (its version is kept).
    #[serde(default)]
    pub indicator_set: Option<super::standard_land::IndicatorSet>,
    /// The joint review.
    pub review: Option<super::review::JointReview>,
    /// Supply phases (分批供地) of a large project.
    #[serde(default)]
    pub phases: Vec<super::review::SupplyPhase>,
    /// The supply scheme decided.
    #[serde(default)]
    pub scheme: Option<super::supply_scheme::SupplyScheme>,
    /// The supply scheme and its price.
    pub quote: Option<super::supply_scheme::SchemeQuote>,
    /// The grant contract.
    pub contract: Option<super::contract::GrantContract>,
    /// The 履约监管协议.
    #[serde(default)]
    pub agreement: Option<super::contract::SupervisionAgreement>,
    /// Result of the 达产复核, once held.
    #[serde(default)]
    pub capacity_review_passed: Option<bool>,
    /// The renewal decision, once taken.
    pub renewal: Option<super::renewal::RenewalDecision>,
    /// Where it stands.
    pub state: super::engine::CaseState,
}

impl StandardLandProject {
    /// The checks that have passed, from the project's own records (never from the caller):
    /// `admission_check`, `joint_review`, `scheme`, `renewal_conditions`.
    pub fn passed_checks(&self) -> std::collections::BTreeSet<String> {
        let mut s = std::collections::BTreeSet::new();
        if self.admission.as_ref().is_some_and(|a| a.passed) {
            s.insert("admission_check".to_owned());
        }
        if self
            .review
            .as_ref()
            .is_some_and(|r| r.decide() == Ok(super::review::ReviewDecision::Approved))
        {
            s.insert("joint_review".to_owned());
        }
        if self.quote.is_some() {
            s.insert("scheme".to_owned());
        }
        if self.renewal.as_ref().is_some_and(|r| r.granted) {
            s.insert("renewal_conditions".to_owned());
        }
        s
    }

    /// Takes a transition with the checks computed from the project's records.
    pub fn transition(
        &mut self,
        def: &WorkflowDef,
        req: &super::engine::TransitionRequest,
    ) -> crate::DomainResult<super::engine::TransitionRecord> {
        let mut req = req.clone();
        req.passed_checks = self.passed_checks();
        let next = def.apply(&self.state, &req, None)?;
        self.state = next;
        self.state.history.last().cloned().ok_or_else(|| {
            crate::DomainError::field("state", None, "no transition recorded", "未记录流转")
        })
    }
}
