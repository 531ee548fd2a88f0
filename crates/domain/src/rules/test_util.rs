//! Shared fixtures of the rule tests.

use super::config::{Locus, ResolvedRules, RuleSet};
use crate::codes::{AdminCode, Uscc, uscc_check_char};
use crate::parcel::ParcelId;
use crate::park::ParkId;
use jiff::civil::Date;
use rust_decimal::Decimal;
use std::str::FromStr;

/// A valid 统一社会信用代码 numbered `i`.
pub fn uscc(i: u32) -> Uscc {
    let first = format!("914110000000{i:05}");
    let check = uscc_check_char(&first).unwrap();
    Uscc::parse(&format!("{first}{check}")).unwrap()
}

/// A parcel id numbered `i`.
pub fn parcel(i: u128) -> ParcelId {
    ParcelId(uuid::Uuid::from_u128(i))
}

/// A decimal from text.
pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// 魏都区, in the 魏都 park.
pub fn weidu() -> Locus {
    Locus {
        county: AdminCode::parse("411002").unwrap(),
        park: Some(ParkId::parse("weidu").unwrap()),
    }
}

/// The Xuchang defaults resolved for 魏都 on `date`.
pub fn xuchang(date: Date) -> ResolvedRules {
    RuleSet::xuchang_default().resolve(&weidu(), date)
}
