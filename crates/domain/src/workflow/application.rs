//! 标准地项目 steps that decide something: the application with its automatic admission check,
//! the revision, the joint review (≥ 100 亩: strict review and phased supply), the supply
//! scheme with its 年期修正 price, and the signing of the contract and the 履约监管协议 with
//! the §4.3 timeline. Each records its result on the project; the workflow guards then read
//! those records ([`StandardLandProject::passed_checks`]), never a caller's claim.

use super::contract::{Checkpoint, GrantContract, SupervisionAgreement, checkpoints};
use super::engine::WorkflowDef;
use super::project::StandardLandProject;
use super::review::{JointReview, ReviewDecision, SupplyPhase, check_phases, is_large_project};
use super::standard_land::{CheckReport, CheckStage, IndicatorSet, check};
use super::supply_scheme::{SchemeQuote, SupplyScheme, TermParams};
use crate::codes::Uscc;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::parcel::ParcelId;
use crate::units::{Mu, Yuan};
use jiff::civil::Date;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What an enterprise files (云上供地 application).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// Project id.
    pub id: String,
    /// Project name.
    pub name: String,
    /// Applicant 统一社会信用代码 (already checked, GB 32100).
    pub applicant: Uscc,
    /// Applicant name.
    pub applicant_name: String,
    /// Industry.
    pub industry: String,
    /// Planned total investment, 万元.
    pub investment_wan: Decimal,
    /// Land asked for, 亩.
    pub land_mu: Decimal,
    /// The 标准地 parcel applied for, if named.
    pub parcel_id: Option<ParcelId>,
    /// Committed indicator values (承诺值) by code.
    pub values: BTreeMap<String, Decimal>,
    /// Day filed.
    pub on: Date,
}

fn positive(errs: &mut Vec<FieldError>, field: &str, v: Decimal, zh: &str) {
    if v <= Decimal::ZERO {
        errs.push(FieldError::new(
            field,
            Some(&v.to_string()),
            "must be positive",
            format!("{zh}须为正数"),
        ));
    }
}

impl StandardLandProject {
    /// Files an application against the park's indicator set `set` and checks every admission
    /// indicator at once (the report shows target, value and verdict of each).
    pub fn apply(a: Application, set: IndicatorSet, def: &WorkflowDef) -> DomainResult<Self> {
        set.validate()?;
        let mut errs = Vec::new();
        for (f, v) in [("name", &a.name), ("industry", &a.industry)] {
            if v.trim().is_empty() {
                errs.push(FieldError::new(f, Some(""), "required", "必填"));
            }
        }
        positive(&mut errs, "investment_wan", a.investment_wan, "计划总投资");
        positive(&mut errs, "land_mu", a.land_mu, "拟用地面积");
        for code in a.values.keys() {
            if !set.indicators.iter().any(|i| &i.code == code) {
                errs.push(FieldError::new(
                    format!("values.{code}"),
                    Some(code),
                    format!("not an indicator of the set {}", set.version),
                    "不是本园区标准地指标",
                ));
            }
        }
        if !errs.is_empty() {
            return Err(DomainError::Invalid(errs));
        }
        let area = Mu(a.land_mu).to_m2();
        let admission = check(&set, CheckStage::Admission, &a.values);
        Ok(Self {
            id: a.id,
            name: a.name,
            applicant: a.applicant.as_str().to_owned(),
            applicant_name: a.applicant_name,
            park_id: set.park_id.clone(),
            industry: a.industry,
            investment_wan: a.investment_wan,
            large_project: is_large_project(area),
            area_m2: area,
            parcel_id: a.parcel_id,
            values: a.values,
            admission: Some(admission),
            indicator_set: Some(set),
            review: None,
            phases: Vec::new(),
            scheme: None,
            quote: None,
            contract: None,
            agreement: None,
            capacity_review_passed: None,
            renewal: None,
            state: def.open(a.on, None),
        })
    }

    /// Revised values (修改承诺值): merged over the old ones and checked again.
    pub fn revise(&mut self, values: BTreeMap<String, Decimal>) -> DomainResult<&CheckReport> {
        let set = self.indicator_set.as_ref().ok_or_else(|| {
            DomainError::field("indicator_set", None, "no indicator set", "缺少指标体系")
        })?;
        for code in values.keys() {
            if !set.indicators.iter().any(|i| &i.code == code) {
                return Err(DomainError::field(
                    format!("values.{code}"),
                    Some(code),
                    format!("not an indicator of the set {}", set.version),
                    "不是本园区标准地指标",
                ));
            }
        }
        let mut merged = self.values.clone();
        merged.extend(values);
        let report = check(set, CheckStage::Admission, &merged);
        self.values = merged;
        Ok(self.admission.insert(report))
    }

    /// Records the joint review and its phases; a project of ≥ 100 亩 must be supplied in
    /// phases (plan task 6). Returns the decision.
    pub fn record_review(
        &mut self,
        review: JointReview,
        phases: Vec<SupplyPhase>,
    ) -> DomainResult<ReviewDecision> {
        let decision = review.decide()?;
        if decision == ReviewDecision::Approved {
            check_phases(self.area_m2, &phases)?;
        }
        self.review = Some(review);
        self.phases = phases;
        Ok(decision)
    }

    /// Prices the supply scheme from the appraised full-term (50-year) price by 年期修正.
    pub fn set_scheme(
        &mut self,
        scheme: SupplyScheme,
        full_term_price: Yuan,
        p: &TermParams,
    ) -> DomainResult<&SchemeQuote> {
        let q = scheme.quote(full_term_price, p)?;
        self.scheme = Some(scheme);
        Ok(self.quote.insert(q))
    }

    /// Signs the contract and the agreement: the contract must follow the scheme (same mode,
    /// the quoted years) and its dates must be in order; the agreement's indicators default to
    /// the committed values. Returns the §4.3 timeline to store.
    pub fn sign(
        &mut self,
        mut c: GrantContract,
        mut a: SupervisionAgreement,
    ) -> DomainResult<Vec<Checkpoint>> {
        let (Some(scheme), Some(q)) = (&self.scheme, &self.quote) else {
            return Err(DomainError::field(
                "scheme",
                None,
                "set the supply scheme first",
                "请先确定供应方案",
            ));
        };
        if &c.scheme != scheme {
            return Err(DomainError::field(
                "contract.scheme",
                None,
                "the contract's scheme differs from the decided one",
                "合同供应方式与确定的供应方案不一致",
            ));
        }
        let years = q.grant_years.max(q.lease_years);
        if c.term_years != years {
            return Err(DomainError::field(
                "contract.term_years",
                Some(&c.term_years.to_string()),
                format!("the scheme grants {years} years"),
                format!("供应方案年期为{years}年"),
            ));
        }
        if c.grantee != self.applicant {
            return Err(DomainError::field(
                "contract.grantee",
                Some(&c.grantee),
                "the grantee is the applicant",
                "受让人应为申请企业",
            ));
        }
        c.parcel_id = c.parcel_id.or(self.parcel_id);
        if a.indicators.is_empty()
            && let Some(set) = &self.indicator_set
        {
            a.indicators = super::supervision::agreed_indicators(set, &self.values);
        }
        let cps = checkpoints(&c, &a)?;
        self.contract = Some(c);
        self.agreement = Some(a);
        Ok(cps)
    }
}
