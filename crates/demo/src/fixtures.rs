//! Small fixtures shared by the tests of every crate: a park, its land user and parcel drafts
//! near Xuchang. One place, so a change to a record's shape changes every test's data at once.

use geo_types::{MultiPolygon, polygon};
use landcycle_domain::park::{Jurisdiction, TaxPerMuTarget};
use landcycle_domain::{
    AdminCode, Enterprise, LandUse, ParcelDraft, ParcelLifecycle, Park, ParkId, PlanningConditions,
};
use rust_decimal::Decimal;

/// The 统一社会信用代码 of the fixtures' land user (a real, valid code).
pub const TEST_USCC: &str = "914403001922038216";

/// An axis-aligned rectangle, `w`×`h` degrees from (`x`, `y`), counter-clockwise.
pub fn rect(x: f64, y: f64, w: f64, h: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![
        polygon![(x: x, y: y), (x: x + w, y: y), (x: x + w, y: y + h), (x: x, y: y + h), (x: x, y: y)],
    ])
}

/// A park `id` in county `county` (GB/T 2260 code and name) with a 15 万元/亩 floor target.
///
/// # Panics
/// When `id` or `county` is not a valid id or code: fixtures are written by tests.
#[allow(clippy::expect_used)]
pub fn park(
    id: &str,
    county: &str,
    county_name: &str,
    name: &str,
    boundary: Option<MultiPolygon<f64>>,
) -> Park {
    Park {
        id: ParkId::parse(id).expect("fixture park id"),
        name: name.into(),
        aliases: vec![],
        jurisdiction: Jurisdiction {
            code: AdminCode::parse(county).expect("fixture county code"),
            name: county_name.into(),
        },
        lead_industries: vec!["高端装备制造业".into()],
        tax_per_mu_target: TaxPerMuTarget {
            min_wan: Decimal::from(15),
            max_wan: None,
        },
        area_km2: None,
        roles: vec![],
        boundary,
    }
}

/// 魏都产业集聚区 in 魏都区 (411002).
pub fn weidu(boundary: Option<MultiPolygon<f64>>) -> Park {
    park("weidu", "411002", "魏都区", "魏都产业集聚区", boundary)
}

/// The land user [`TEST_USCC`], registered in park `park`.
///
/// # Panics
/// Never for the fixed code; fixtures are written by tests.
#[allow(clippy::expect_used)]
pub fn enterprise(park: &str) -> Enterprise {
    Enterprise::new(
        TEST_USCC,
        "许昌测试机械有限公司",
        Some("C3411"),
        true,
        Some(park),
        None,
    )
    .expect("fixture enterprise")
}

/// A granted 一类工业用地 parcel of 魏都 used by [`TEST_USCC`], with the given geometry.
pub fn parcel_draft(geometry: MultiPolygon<f64>) -> ParcelDraft {
    ParcelDraft {
        code: Some("411002001001GB00001".into()),
        legacy_codes: vec![],
        name: "测试地块".into(),
        address: None,
        jurisdiction: "411002".into(),
        park_id: Some("weidu".into()),
        land_use: LandUse::industrial_class1(),
        status: ParcelLifecycle::Granted,
        geometry,
        registered_area_m2: None,
        enterprise: Some(TEST_USCC.into()),
        planning: PlanningConditions::default(),
    }
}

/// Replaces the `pick`-th node of a JSON document (in document order, modulo the node count)
/// with `v`: the fuzz tests' way to damage one valid feature anywhere.
pub fn replace_node(doc: &mut serde_json::Value, pick: u64, v: serde_json::Value) {
    use serde_json::Value;
    fn count(v: &Value) -> u64 {
        1 + match v {
            Value::Array(a) => a.iter().map(count).sum(),
            Value::Object(o) => o.values().map(count).sum(),
            _ => 0,
        }
    }
    fn walk(node: &mut Value, n: &mut u64, v: &mut Option<Value>) {
        if *n == 0 {
            if let Some(v) = v.take() {
                *node = v;
            }
            return;
        }
        *n -= 1;
        match node {
            Value::Array(a) => a.iter_mut().for_each(|c| walk(c, n, v)),
            Value::Object(o) => o.values_mut().for_each(|c| walk(c, n, v)),
            _ => {}
        }
    }
    let mut n = pick % count(doc);
    walk(doc, &mut n, &mut Some(v));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_are_valid() {
        assert!(
            parcel_draft(rect(113.85, 34.03, 0.001, 0.001))
                .validate()
                .is_ok()
        );
        assert_eq!(weidu(None).jurisdiction.code.as_str(), "411002");
        assert_eq!(enterprise("weidu").uscc.as_str(), TEST_USCC);
    }
}
