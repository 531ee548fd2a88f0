//! 一地一策 disposal plans and 挂牌督办 (supervised listing).
//!
//! Disposal methods are the §3.5 list [PROPOSED-DEFAULT enumeration, in common use]. The plan
//! requires every cluster to have ≥ 2 parcels under 挂牌督办 by 2021-12-31 (task 13, VERIFIED,
//! `targets.supervised_listings_per_cluster_min`). Tracking fields follow the real system cited
//! in §3.5 (处置面积 ≤ 占地面积).

use crate::error::{DomainError, DomainResult, FieldError};
use crate::parcel::ParcelId;
use crate::park::ParkId;
use crate::units::AreaM2;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// 处置方式 (§3.5).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DisposalMethod {
    /// 提容增效（加层/扩建）.
    Densify,
    /// 技改提效.
    TechUpgrade,
    /// 兼并重组.
    Merger,
    /// 转让（二级市场）.
    Transfer,
    /// 分割转让.
    SplitTransfer,
    /// 协议收回/收购储备.
    NegotiatedRecovery,
    /// 腾笼换鸟（招商替换）.
    ReplaceTenant,
    /// 改变用途（规划调整）.
    ChangeUse,
    /// 整治淘汰.
    Eliminate,
    /// 无偿收回 (idle ≥ 2 years, §1.5).
    RecoverWithoutCompensation,
}

impl DisposalMethod {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Densify => "提容增效",
            Self::TechUpgrade => "技改提效",
            Self::Merger => "兼并重组",
            Self::Transfer => "转让",
            Self::SplitTransfer => "分割转让",
            Self::NegotiatedRecovery => "协议收回/收购储备",
            Self::ReplaceTenant => "腾笼换鸟",
            Self::ChangeUse => "改变用途",
            Self::Eliminate => "整治淘汰",
            Self::RecoverWithoutCompensation => "无偿收回",
        }
    }
}

/// What the plan disposes of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisposalSubject {
    /// 批而未供.
    Unsupplied,
    /// 闲置土地.
    Idle,
    /// 低效用地.
    LowEfficiency,
}

/// 挂牌督办: listed for supervision by a level of government, with a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SupervisedListing {
    /// Listed on.
    #[schema(value_type = String, format = Date)]
    pub listed_on: Date,
    /// By (e.g. 市“百园增效”领导小组).
    pub by: String,
    /// Deadline to finish.
    #[schema(value_type = String, format = Date)]
    pub deadline: Date,
}

/// 一地一策 disposal plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DisposalPlan {
    /// Plan id.
    pub id: String,
    /// Parcel.
    #[schema(value_type = Option<String>)]
    pub parcel_id: Option<ParcelId>,
    /// Park.
    #[schema(value_type = String)]
    pub park_id: ParkId,
    /// What it disposes of.
    pub subject: DisposalSubject,
    /// How.
    pub method: DisposalMethod,
    /// 计划实施单位.
    pub responsible_unit: String,
    /// 占地面积.
    #[schema(value_type = String)]
    pub area_m2: AreaM2,
    /// 已处置面积.
    #[schema(value_type = String)]
    pub disposed_m2: AreaM2,
    /// Target day.
    #[schema(value_type = String, format = Date)]
    pub target_on: Date,
    /// Done on.
    #[schema(value_type = Option<String>, format = Date)]
    pub completed_on: Option<Date>,
    /// 挂牌督办, if listed.
    pub supervised: Option<SupervisedListing>,
}

impl DisposalPlan {
    /// Checks areas (0 ≤ 处置 ≤ 占地), a supervision deadline after listing, completion only
    /// when fully disposed.
    pub fn validate(&self) -> DomainResult<()> {
        let mut errs = Vec::new();
        if self.area_m2.0 <= rust_decimal::Decimal::ZERO {
            errs.push(FieldError::new(
                "area_m2",
                Some(&self.area_m2.0.to_string()),
                "must be positive",
                "占地面积须为正数",
            ));
        }
        if self.disposed_m2.0 < rust_decimal::Decimal::ZERO || self.disposed_m2 > self.area_m2 {
            errs.push(FieldError::new(
                "disposed_m2",
                Some(&self.disposed_m2.0.to_string()),
                "disposed area must lie between 0 and the parcel area",
                "处置面积应在0与占地面积之间",
            ));
        }
        if let Some(s) = &self.supervised
            && s.deadline <= s.listed_on
        {
            errs.push(FieldError::new(
                "supervised.deadline",
                Some(&s.deadline.to_string()),
                format!("the deadline must come after listing ({})", s.listed_on),
                format!("督办期限应晚于挂牌日期{}", s.listed_on),
            ));
        }
        if self.completed_on.is_some() && self.disposed_m2 != self.area_m2 {
            errs.push(FieldError::new(
                "completed_on",
                None,
                "a plan is complete only when all its area is disposed",
                "处置面积未达占地面积，不能办结",
            ));
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(errs))
        }
    }

    /// Remaining area (剩余面积).
    pub fn remaining(&self) -> AreaM2 {
        AreaM2(self.area_m2.0 - self.disposed_m2.0)
    }
}

/// 挂牌督办 count per park as of `on` (listed on or before), with whether the park meets the
/// plan's minimum.
pub fn supervised_counts(
    plans: &[DisposalPlan],
    on: Date,
    min: usize,
) -> BTreeMap<ParkId, (usize, bool)> {
    let mut m: BTreeMap<ParkId, usize> = BTreeMap::new();
    for p in plans {
        m.entry(p.park_id.clone()).or_default();
        if p.supervised.as_ref().is_some_and(|s| s.listed_on <= on) {
            *m.entry(p.park_id.clone()).or_default() += 1;
        }
    }
    m.into_iter().map(|(k, n)| (k, (n, n >= min))).collect()
}
