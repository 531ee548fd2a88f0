//! 园区目标 — a park's figures against the Xuchang pilot plan's targets [VERIFIED, the plan]:
//! - 亩均税收 bands per park ("通过2—3年的努力 … 亩均税收达到20万元—30万元 / 18万元—25万元 /
//!   15万元以上"), compared with [`TaxPerMuTarget::position`];
//! - "到2021年年底，全市产业集聚区范围内存量低效用地消化处置率达到60%以上";
//! - "到2022年年底，整备、盘活全市产业集聚区1.37万亩存量建设用地空间".
//!
//! Pure computations over aggregates the caller gives. Shares compare exactly
//! (`disposed ≥ rate × stock`); displayed values are rounded to 4 places.

use super::config::{Confidence, ResolvedRules};
use super::finding::{Finding, LegalSource, Severity, Subject, docs};
use crate::error::DomainResult;
use crate::park::TaxPerMuTarget;
use crate::units::{AreaM2, Mu, Yuan};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The plan's city-wide targets (§10 `park_targets`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanTargets {
    /// Version of the resolved rules.
    pub rule_set_version: String,
    /// 低效用地消化处置率 target (0.60).
    pub le_disposal_rate: Decimal,
    /// … by this day (2021-12-31).
    pub le_disposal_deadline: Date,
    /// 整备、盘活 target in 亩 (13 700).
    pub revitalise_mu: Decimal,
    /// … by this day (2022-12-31).
    pub revitalise_deadline: Date,
}

impl PlanTargets {
    /// Reads the targets from resolved rules.
    pub fn from_rules(r: &ResolvedRules) -> DomainResult<Self> {
        Ok(Self {
            rule_set_version: r.version.clone(),
            le_disposal_rate: r.number("park_targets.le_disposal_rate")?,
            le_disposal_deadline: r.date("park_targets.le_disposal_deadline")?,
            revitalise_mu: r.number("park_targets.revitalise_mu")?,
            revitalise_deadline: r.date("park_targets.revitalise_deadline")?,
        })
    }
}

/// Where a target stands (目标进度).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    /// 已完成.
    Met,
    /// 未完成，期限未到.
    Pending,
    /// 逾期未完成.
    Missed,
}

fn status(met: bool, as_of: Date, deadline: Date) -> TargetStatus {
    match (met, as_of > deadline) {
        (true, _) => TargetStatus::Met,
        (false, false) => TargetStatus::Pending,
        (false, true) => TargetStatus::Missed,
    }
}

/// Where a value falls against a band (目标区间位置).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BandPosition {
    /// 低于目标.
    Below,
    /// 达到目标区间.
    Within,
    /// 高于目标区间.
    Above,
}

impl From<Ordering> for BandPosition {
    fn from(o: Ordering) -> Self {
        match o {
            Ordering::Less => Self::Below,
            Ordering::Equal => Self::Within,
            Ordering::Greater => Self::Above,
        }
    }
}

/// A park's 亩均税收 against its band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParkTaxResult {
    /// 亩均税收, 万元/亩, rounded to 4 places.
    pub value_wan: Decimal,
    /// Below, within or above the band.
    pub position: BandPosition,
    /// A finding when below.
    pub finding: Option<Finding>,
}

/// 亩均税收 = Σ tax ÷ Σ industrial land in 亩, against the park's target.
pub fn park_tax_per_mu(
    park: Subject,
    tax: Yuan,
    land: AreaM2,
    target: TaxPerMuTarget,
    as_of: Date,
    rule_set_version: &str,
) -> Option<ParkTaxResult> {
    let mu = land.to_mu().0;
    if mu <= Decimal::ZERO {
        return None;
    }
    let exact = tax.to_wan() / mu;
    let position = BandPosition::from(target.position(exact));
    let value_wan = exact.round_dp(4);
    let band = match target.max_wan {
        Some(m) => format!("{}—{} 万元/亩", target.min_wan, m),
        None => format!("{} 万元/亩以上", target.min_wan),
    };
    let finding = (position == BandPosition::Below).then(|| {
        Finding::new(
            "PARK-TAX",
            rule_set_version,
            park,
            as_of,
            LegalSource::new(docs::XUCHANG_PLAN, "二、主要目标"),
            Confidence::Verified,
            Severity::Notice,
        )
        .input("tax_yuan", tax.0)
        .input("industrial_land_m2", land.0)
        .input("tax_per_mu_wan", value_wan)
        .threshold(band.clone())
        .reason(
            format!("园区亩均税收 {value_wan} 万元/亩，低于目标 {band}"),
            format!("park tax per mu {value_wan} 万元 below the target {band}"),
        )
    });
    Some(ParkTaxResult {
        value_wan,
        position,
        finding,
    })
}

/// Progress of a share target (消化处置率).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateProgress {
    /// Achieved share, rounded to 4 places.
    pub rate: Decimal,
    /// Target share.
    pub target: Decimal,
    /// Status.
    pub status: TargetStatus,
}

/// 存量低效用地消化处置率 (`disposed ÷ stock`) against the plan's 60 % by 2021-12-31.
pub fn le_disposal_progress(
    stock: AreaM2,
    disposed: AreaM2,
    as_of: Date,
    t: &PlanTargets,
) -> Option<RateProgress> {
    if stock.0 <= Decimal::ZERO {
        return None;
    }
    let met = disposed.0 >= t.le_disposal_rate * stock.0;
    Some(RateProgress {
        rate: (disposed.0 / stock.0).round_dp(4),
        target: t.le_disposal_rate,
        status: status(met, as_of, t.le_disposal_deadline),
    })
}

/// Progress of the 1.37万亩 整备、盘活 target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaProgress {
    /// Done, 亩 (rounded to 0.0001).
    pub done_mu: Decimal,
    /// Target, 亩.
    pub target_mu: Decimal,
    /// Remaining, 亩 (0 when met).
    pub remaining_mu: Decimal,
    /// Done ÷ target, rounded to 4 places.
    pub share: Decimal,
    /// Status.
    pub status: TargetStatus,
}

/// 整备、盘活 progress: area done (m²) against the target in 亩.
pub fn revitalisation_progress(done: AreaM2, as_of: Date, t: &PlanTargets) -> AreaProgress {
    // Exact: done_mu ≥ target ⇔ done_m2 × 3 ≥ target × 2000.
    let met = done.0 * Decimal::from(3) >= t.revitalise_mu * Decimal::from(2000);
    let done_mu = done.to_mu().0;
    let share = if t.revitalise_mu > Decimal::ZERO {
        (done_mu / t.revitalise_mu).round_dp(4)
    } else {
        Decimal::ONE
    };
    AreaProgress {
        done_mu: Mu(done_mu).display(),
        target_mu: t.revitalise_mu,
        remaining_mu: Mu((t.revitalise_mu - done_mu).max(Decimal::ZERO)).display(),
        share,
        status: status(met, as_of, t.revitalise_deadline),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::ParkId;
    use crate::rules::test_util::{d, xuchang};
    use jiff::civil::date;

    fn targets() -> PlanTargets {
        PlanTargets::from_rules(&xuchang(date(2021, 6, 1))).unwrap()
    }

    #[test]
    fn tax_band_edges() {
        let band = TaxPerMuTarget {
            min_wan: d("20"),
            max_wan: Some(d("30")),
        };
        let park = Subject::Park(ParkId::parse("weidu").unwrap());
        // 1000 亩 = 2 000 000/3 m²; 20 万元/亩 × 1000 亩 = 2 亿元.
        let land = Mu(d("1000")).to_m2();
        let at = |y: &str| {
            park_tax_per_mu(park.clone(), Yuan(d(y)), land, band, date(2022, 1, 1), "v").unwrap()
        };
        assert_eq!(
            at("200000000").position,
            BandPosition::Within,
            "exactly 20 is within"
        );
        assert_eq!(
            at("300000000").position,
            BandPosition::Within,
            "exactly 30 is within"
        );
        let low = at("199990000");
        assert_eq!(
            (low.position, low.value_wan),
            (BandPosition::Below, d("19.999"))
        );
        assert_eq!(
            low.finding.unwrap().reason_zh,
            "园区亩均税收 19.999 万元/亩，低于目标 20—30 万元/亩（《河南省产业集聚区“百园增效”行动许昌试点工作实施方案》二、主要目标）"
        );
        assert_eq!(at("300010000").position, BandPosition::Above);
        assert!(
            park_tax_per_mu(
                park,
                Yuan(d("1")),
                AreaM2::ZERO,
                band,
                date(2022, 1, 1),
                "v"
            )
            .is_none()
        );
    }

    #[test]
    fn sixty_percent_by_end_2021() {
        let t = targets();
        let stock = AreaM2(d("10000"));
        let p = le_disposal_progress(stock, AreaM2(d("6000")), date(2021, 12, 31), &t).unwrap();
        assert_eq!(
            (p.rate, p.status),
            (d("0.6"), TargetStatus::Met),
            "exactly 60 % meets 60 %以上"
        );
        let p = le_disposal_progress(stock, AreaM2(d("5999.99")), date(2021, 12, 31), &t).unwrap();
        assert_eq!(p.status, TargetStatus::Pending);
        let p = le_disposal_progress(stock, AreaM2(d("5999.99")), date(2022, 1, 1), &t).unwrap();
        assert_eq!(p.status, TargetStatus::Missed);
    }

    #[test]
    fn thirteen_thousand_seven_hundred_mu_by_end_2022() {
        let t = targets();
        // 13 700 亩 is 9 133 333.33… m²: 9 133 333.34 m² meets it, 9 133 333.33 m² does not.
        let p = revitalisation_progress(AreaM2(d("9133333.34")), date(2023, 1, 1), &t);
        assert_eq!(p.status, TargetStatus::Met);
        let short = revitalisation_progress(AreaM2(d("9133333.33")), date(2023, 1, 1), &t);
        assert_eq!(short.status, TargetStatus::Missed);
        assert_eq!(short.remaining_mu, d("0.0000"));
        let half = revitalisation_progress(Mu(d("6850")).to_m2(), date(2022, 6, 30), &t);
        assert_eq!(
            (half.share, half.status, half.remaining_mu),
            (d("0.5"), TargetStatus::Pending, d("6850.0000"))
        );
    }
}
