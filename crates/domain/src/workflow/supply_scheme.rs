//! 弹性供应方案 — the four flexible supply modes of the plan (弹性年期出让, 先租后让, 租让结合,
//! 长期租赁; task 22, VERIFIED) with their term limits and the 年期修正 price (§6.3, VERIFIED
//! formula of GB/T 18508):
//!
//! ```text
//! K(r, n, N) = [1 − 1/(1+r)^n] / [1 − 1/(1+r)^N]      price(n) = price(N) × K
//! ```
//!
//! Term limits: the plan caps a new industrial grant at 20 years with conditional renewal
//! (VERIFIED); the legal maximum for industry is 50 years (暂行条例第十二条, VERIFIED); a short
//! lease is ≤ 5 years (VERIFIED, §6.1). `r` (土地还原率) is a local parameter: 6 %
//! [PROPOSED-DEFAULT, §10 `flexible_term.land_cap_rate`].
//!
//! Arithmetic is exact in decimals up to the powers (28 significant digits); only the price is
//! rounded, to the fen, and K is reported to 6 places.

use crate::error::{DomainError, DomainResult};
use crate::units::Yuan;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Term parameters (§10 `flexible_term`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TermParams {
    /// Legal maximum for industrial land (50).
    pub legal_max_years: u16,
    /// The plan's first-term cap (20).
    pub first_term_max_years: u16,
    /// Short-lease cap (5).
    pub short_lease_max_years: u16,
    /// 土地还原率 r.
    #[schema(value_type = String)]
    pub cap_rate: Decimal,
}

impl TermParams {
    /// The Xuchang defaults (§10, §6.2).
    pub fn xuchang_default() -> Self {
        Self {
            legal_max_years: 50,
            first_term_max_years: 20,
            short_lease_max_years: 5,
            cap_rate: Decimal::new(6, 2),
        }
    }
}

/// 供应方案.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum SupplyScheme {
    /// 弹性年期出让: a grant of `years` ≤ the first-term cap, renewable on conditions (§6.4).
    FlexibleGrant {
        /// Granted years.
        years: u16,
    },
    /// 先租后让: a lease of `lease_years` (≤ short-lease cap), converted to a grant for the rest
    /// of `total_years` when the 达产复核 passes; the grant price is appraised at conversion
    /// (§6.5), so the quote here is indicative.
    LeaseThenGrant {
        /// Lease phase.
        lease_years: u16,
        /// Lease + grant.
        total_years: u16,
    },
    /// 租让结合: lease and grant fixed together at signing — a lease phase followed by a grant
    /// of `grant_years`, both priced up front (interpretation: §6.5 PROPOSED-DEFAULT).
    LeaseAndGrant {
        /// Lease phase.
        lease_years: u16,
        /// Grant phase after it.
        grant_years: u16,
    },
    /// 长期租赁: a lease up to the legal maximum for the use, rent paid yearly.
    LongTermLease {
        /// Lease years.
        years: u16,
    },
}

/// A priced scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SchemeQuote {
    /// Years of the grant part (0 for a pure lease).
    pub grant_years: u16,
    /// Years of the lease part.
    pub lease_years: u16,
    /// K(r, grant_years, N), 6 places.
    #[schema(value_type = String)]
    pub k: Decimal,
    /// Grant price = full-term price × K, to the fen.
    #[schema(value_type = String)]
    pub grant_price: Yuan,
    /// True when renewal is conditional (§6.4).
    pub conditional_renewal: bool,
}

fn pow(base: Decimal, n: u16) -> Option<Decimal> {
    let mut acc = Decimal::ONE;
    for _ in 0..n {
        acc = acc.checked_mul(base)?;
    }
    Some(acc)
}

/// The term coefficient K(r, n, N) at full decimal precision (§6.3). `r` must be in (0, 1),
/// `1 ≤ n ≤ N`.
pub fn term_coefficient(r: Decimal, n: u16, big_n: u16) -> DomainResult<Decimal> {
    if r <= Decimal::ZERO || r >= Decimal::ONE {
        return Err(DomainError::field(
            "cap_rate",
            Some(&r.to_string()),
            "土地还原率 must lie strictly between 0 and 1",
            "土地还原率应在0与1之间",
        ));
    }
    if n == 0 || n > big_n {
        return Err(DomainError::field(
            "years",
            Some(&n.to_string()),
            format!("term must be 1–{big_n} years"),
            format!("年期应为1—{big_n}年"),
        ));
    }
    let one_r = Decimal::ONE + r;
    let over = || {
        DomainError::field(
            "years",
            Some(&n.to_string()),
            "term too long to compute",
            "年期过长无法计算",
        )
    };
    let num = Decimal::ONE - Decimal::ONE / pow(one_r, n).ok_or_else(over)?;
    let den = Decimal::ONE - Decimal::ONE / pow(one_r, big_n).ok_or_else(over)?;
    Ok(num / den)
}

impl SupplyScheme {
    /// Checks the term limits; every violation names the field and the limit.
    pub fn validate(&self, p: &TermParams) -> DomainResult<()> {
        let bad = |field: &str, v: u16, en: String, zh: String| {
            Err(DomainError::field(field, Some(&v.to_string()), en, zh))
        };
        match *self {
            Self::FlexibleGrant { years } if years == 0 || years > p.first_term_max_years => bad(
                "years",
                years,
                format!(
                    "a new industrial grant is 1–{} years, renewable on conditions (the plan)",
                    p.first_term_max_years
                ),
                format!(
                    "新增工业用地出让年限不超过{}年（许昌试点方案）",
                    p.first_term_max_years
                ),
            ),
            Self::LeaseThenGrant { lease_years, .. } | Self::LeaseAndGrant { lease_years, .. }
                if lease_years == 0 || lease_years > p.short_lease_max_years =>
            {
                bad(
                    "lease_years",
                    lease_years,
                    format!(
                        "the lease phase is 1–{} years (§6.5)",
                        p.short_lease_max_years
                    ),
                    format!("租赁期应为1—{}年", p.short_lease_max_years),
                )
            }
            Self::LeaseThenGrant {
                lease_years,
                total_years,
            } if total_years <= lease_years || total_years > p.first_term_max_years => bad(
                "total_years",
                total_years,
                format!(
                    "lease + grant must exceed the lease and stay within {} years",
                    p.first_term_max_years
                ),
                format!(
                    "先租后让总年期应长于租赁期且不超过{}年",
                    p.first_term_max_years
                ),
            ),
            Self::LeaseAndGrant {
                lease_years,
                grant_years,
            } if grant_years == 0 || lease_years + grant_years > p.first_term_max_years => bad(
                "grant_years",
                grant_years,
                format!(
                    "lease + grant must stay within {} years",
                    p.first_term_max_years
                ),
                format!("租让结合总年期不超过{}年", p.first_term_max_years),
            ),
            Self::LongTermLease { years }
                if years <= p.short_lease_max_years || years > p.legal_max_years =>
            {
                bad(
                    "years",
                    years,
                    format!(
                        "a long-term lease is {}–{} years",
                        p.short_lease_max_years + 1,
                        p.legal_max_years
                    ),
                    format!(
                        "长期租赁年期应为{}—{}年",
                        p.short_lease_max_years + 1,
                        p.legal_max_years
                    ),
                )
            }
            _ => Ok(()),
        }
    }

    /// Prices the grant part from the appraised full-term (N = legal max) price.
    pub fn quote(&self, full_term_price: Yuan, p: &TermParams) -> DomainResult<SchemeQuote> {
        self.validate(p)?;
        if full_term_price.0 <= Decimal::ZERO {
            return Err(DomainError::field(
                "full_term_price",
                Some(&full_term_price.0.to_string()),
                "the appraised price must be positive",
                "评估地价须为正数",
            ));
        }
        let (grant_years, lease_years, conditional) = match *self {
            Self::FlexibleGrant { years } => (years, 0, true),
            Self::LeaseThenGrant {
                lease_years,
                total_years,
            } => (total_years - lease_years, lease_years, true),
            Self::LeaseAndGrant {
                lease_years,
                grant_years,
            } => (grant_years, lease_years, true),
            Self::LongTermLease { years } => (0, years, false),
        };
        let k = if grant_years == 0 {
            Decimal::ZERO
        } else {
            term_coefficient(p.cap_rate, grant_years, p.legal_max_years)?
        };
        Ok(SchemeQuote {
            grant_years,
            lease_years,
            k: k.round_dp(6),
            grant_price: Yuan((full_term_price.0 * k).round_dp(2)),
            conditional_renewal: conditional,
        })
    }
}
