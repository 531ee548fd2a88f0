//! Exact units (§7.1 of the domain rules): areas in m², 亩 derived as `m² × 3 / 2000`, money in
//! 元 with 万元 derived. All decimals: 1 亩 = 2000/3 m² has no finite decimal or binary form, so
//! 亩 is never a stored master value and never a float constant such as 666.67.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An area in square metres (平方米), exact decimal.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct AreaM2(pub Decimal);

/// An area in 亩 (mu), derived from m²; display and comparison only.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct Mu(pub Decimal);

/// Money in 元 (yuan), exact decimal.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct Yuan(pub Decimal);

const THREE: Decimal = Decimal::from_parts(3, 0, 0, false, 0);
const TWO_THOUSAND: Decimal = Decimal::from_parts(2000, 0, 0, false, 0);
const TEN_THOUSAND: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

impl AreaM2 {
    /// Zero area.
    pub const ZERO: Self = Self(Decimal::ZERO);

    /// This area in 亩: `m² × 3 / 2000` (multiplying first keeps every m² value with up to
    /// 25 significant digits exact up to the division, which is the only rounding).
    pub fn to_mu(self) -> Mu {
        Mu(self.0 * THREE / TWO_THOUSAND)
    }

    /// This area in hectares (公顷): m² / 10 000, exact.
    pub fn to_hectares(self) -> Decimal {
        self.0 / TEN_THOUSAND
    }

    /// Rounded to 0.01 m² for display and export (§7.1), always with two decimals.
    pub fn display(self) -> Decimal {
        let mut d = self.0.round_dp(2);
        d.rescale(2);
        d
    }
}

impl Mu {
    /// This area in m²: `mu × 2000 / 3`.
    pub fn to_m2(self) -> AreaM2 {
        AreaM2(self.0 * TWO_THOUSAND / THREE)
    }

    /// Rounded to 0.0001 亩 for display and export (§7.1), always with four decimals.
    pub fn display(self) -> Decimal {
        let mut d = self.0.round_dp(4);
        d.rescale(4);
        d
    }
}

impl Yuan {
    /// This amount in 万元.
    pub fn to_wan(self) -> Decimal {
        self.0 / TEN_THOUSAND
    }
    /// An amount given in 万元.
    pub fn from_wan(wan: Decimal) -> Self {
        Self(wan * TEN_THOUSAND)
    }
}

impl std::ops::Add for AreaM2 {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        Self(self.0 + o.0)
    }
}

impl std::iter::Sum for AreaM2 {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn one_mu_is_two_thousand_thirds_m2() {
        assert_eq!(AreaM2(d("2000")).to_mu(), Mu(d("3")));
        assert_eq!(Mu(d("3")).to_m2(), AreaM2(d("2000")));
        assert_eq!(AreaM2(d("10000")).to_mu(), Mu(d("15")), "1 公顷 = 15 亩");
        assert_eq!(
            AreaM2(d("1000000")).to_mu(),
            Mu(d("1500")),
            "1 km² = 1500 亩"
        );
    }

    #[test]
    fn float_constant_would_be_wrong() {
        // 13 700 亩 (the plan's 1.37万亩) is 9 133 333.33… m², not 13 700 × 666.67.
        let m2 = Mu(d("13700")).to_m2();
        assert_eq!(m2.display(), d("9133333.33"));
        assert_ne!(m2.display(), d("9133379.00"));
        assert_eq!(m2.to_mu().display(), d("13700"));
    }

    #[test]
    fn display_rounding() {
        assert_eq!(AreaM2(d("666.666666")).display(), d("666.67"));
        assert_eq!(AreaM2(d("1000")).to_mu().display(), d("1.5"));
        assert_eq!(AreaM2(d("1")).to_mu().display(), d("0.0015"));
    }

    #[test]
    fn wan_yuan() {
        assert_eq!(Yuan(d("1234500")).to_wan(), d("123.45"));
        assert_eq!(Yuan::from_wan(d("15")), Yuan(d("150000")));
    }

    proptest! {
        #[test]
        fn mu_round_trip_within_display_precision(cents in 0i64..10_000_000_000) {
            let a = AreaM2(Decimal::new(cents, 2));
            let back = a.to_mu().to_m2();
            prop_assert_eq!(back.display(), a.display());
        }

        #[test]
        fn integer_multiples_of_2000_are_exact(k in 0i64..1_000_000_000) {
            let a = AreaM2(Decimal::from(k * 2000));
            prop_assert_eq!(a.to_mu(), Mu(Decimal::from(k * 3)));
        }
    }
}
