//! The parcel lifecycle state machine (§8.3 of the domain rules): 供给 → 监管 → 退出.
//!
//! Overlay conditions (idle case, low efficiency, breach, mortgage, seizure) are not states:
//! they are findings and cases that sit beside the lifecycle.

use crate::error::{DomainError, DomainResult};
use serde::{Deserialize, Serialize};

/// Where a parcel stands in its life (宗地生命周期状态).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ParcelLifecycle {
    /// 批而未供: inside an approved batch, not yet supplied (§2).
    ApprovedUnsupplied,
    /// 纳入储备 / 前期开发: being readied as 净地.
    Reserved,
    /// 挂牌 / 招拍挂公告: listed for supply (云上供地).
    Listed,
    /// 已供应: contract signed, 划拨决定书 or lease contract.
    Granted,
    /// 已交地: 交地确认书 signed; the term starts.
    Delivered,
    /// 已动工.
    Started,
    /// 已竣工: 竣工验收备案.
    Completed,
    /// 对标验收 done at completion.
    ConformityChecked,
    /// 已投产.
    InProduction,
    /// 达产复核 done.
    CapacityReviewed,
    /// 正常运营: periodic evaluations.
    Operating,
    /// 临近期满: within the renewal window before term end.
    NearExpiry,
    /// 已续期.
    Renewed,
    /// 已收回: recovered by the government (无偿/有偿收回, 期满不续, 解除合同).
    Recovered,
    /// 已转让: transferred on the secondary market to a new land user.
    Transferred,
}

use ParcelLifecycle::*;

impl ParcelLifecycle {
    /// Every state, in lifecycle order.
    pub const ALL: [ParcelLifecycle; 15] = [
        ApprovedUnsupplied,
        Reserved,
        Listed,
        Granted,
        Delivered,
        Started,
        Completed,
        ConformityChecked,
        InProduction,
        CapacityReviewed,
        Operating,
        NearExpiry,
        Renewed,
        Recovered,
        Transferred,
    ];

    /// The API name (snake_case).
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovedUnsupplied => "approved_unsupplied",
            Reserved => "reserved",
            Listed => "listed",
            Granted => "granted",
            Delivered => "delivered",
            Started => "started",
            Completed => "completed",
            ConformityChecked => "conformity_checked",
            InProduction => "in_production",
            CapacityReviewed => "capacity_reviewed",
            Operating => "operating",
            NearExpiry => "near_expiry",
            Renewed => "renewed",
            Recovered => "recovered",
            Transferred => "transferred",
        }
    }

    /// The Chinese label shown to users.
    pub fn label_zh(self) -> &'static str {
        match self {
            ApprovedUnsupplied => "批而未供",
            Reserved => "储备",
            Listed => "挂牌",
            Granted => "已供应",
            Delivered => "已交地",
            Started => "已动工",
            Completed => "已竣工",
            ConformityChecked => "已对标验收",
            InProduction => "已投产",
            CapacityReviewed => "已达产复核",
            Operating => "运营中",
            NearExpiry => "临近期满",
            Renewed => "已续期",
            Recovered => "已收回",
            Transferred => "已转让",
        }
    }

    /// Parses the API name.
    pub fn parse(s: &str) -> DomainResult<Self> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s || v.label_zh() == s)
            .ok_or_else(|| {
                DomainError::field(
                    "status",
                    Some(s),
                    format!(
                        "unknown lifecycle status; one of {}",
                        Self::ALL.map(Self::as_str).join(", ")
                    ),
                    "未知的生命周期状态",
                )
            })
    }

    /// True once the land has been supplied (供) — the divide of 批而未供.
    pub fn is_supplied(self) -> bool {
        !matches!(self, ApprovedUnsupplied | Reserved | Listed | Recovered)
    }

    /// The states reachable in one step, each justified by §8.3.
    pub fn next_states(self) -> &'static [ParcelLifecycle] {
        match self {
            ApprovedUnsupplied => &[Reserved, Listed, Granted, Recovered],
            Reserved => &[Listed, Granted],
            Listed => &[Granted, Reserved],
            Granted => &[Delivered, Recovered],
            Delivered => &[Started, Recovered],
            Started => &[Completed, Recovered],
            Completed => &[ConformityChecked, InProduction, Recovered],
            ConformityChecked => &[InProduction, Recovered],
            InProduction => &[CapacityReviewed, Operating, Recovered, Transferred],
            CapacityReviewed => &[Operating, Recovered, Transferred],
            Operating => &[NearExpiry, Recovered, Transferred],
            NearExpiry => &[Renewed, Recovered],
            Renewed => &[Operating],
            Recovered => &[Reserved, Listed],
            // A transfer keeps the parcel at its stage under a new land user.
            Transferred => &[
                Started,
                Completed,
                InProduction,
                Operating,
                NearExpiry,
                Recovered,
            ],
        }
    }

    /// Checks a transition; staying in the same state is always allowed (an attribute edit).
    pub fn check_transition(self, to: ParcelLifecycle) -> DomainResult<()> {
        if self == to || self.next_states().contains(&to) {
            return Ok(());
        }
        Err(DomainError::IllegalTransition {
            from: self.as_str().into(),
            to: to.as_str().into(),
            reason: format!(
                "{}（{}）之后只能进入：{}",
                self.label_zh(),
                self.as_str(),
                self.next_states()
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    }
}

impl std::fmt::Display for ParcelLifecycle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in ParcelLifecycle::ALL {
            assert_eq!(ParcelLifecycle::parse(s.as_str()).unwrap(), s);
            assert_eq!(ParcelLifecycle::parse(s.label_zh()).unwrap(), s);
        }
        assert!(ParcelLifecycle::parse("nope").is_err());
    }

    #[test]
    fn supply_path_is_legal() {
        let path = [
            ApprovedUnsupplied,
            Reserved,
            Listed,
            Granted,
            Delivered,
            Started,
            Completed,
            ConformityChecked,
            InProduction,
            CapacityReviewed,
            Operating,
            NearExpiry,
            Renewed,
            Operating,
        ];
        for w in path.windows(2) {
            w[0].check_transition(w[1]).unwrap();
        }
    }

    #[test]
    fn skipping_is_refused_with_reason() {
        let e = ApprovedUnsupplied.check_transition(Operating).unwrap_err();
        assert!(e.to_string().contains("批而未供"), "{e}");
        assert!(Granted.check_transition(Completed).is_err());
        assert!(Recovered.check_transition(Operating).is_err());
    }

    #[test]
    fn every_state_can_reach_recovery_or_is_pre_supply() {
        for s in ParcelLifecycle::ALL {
            let reach = s.next_states().contains(&Recovered) || !s.is_supplied() || s == Renewed;
            assert!(reach || s == Recovered, "{s}");
        }
    }
}
