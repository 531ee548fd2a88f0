//! Before/after values of a change: only the fields that differ.

use landcycle_domain::Parcel;
use serde_json::{Map, Value};

/// A parcel as a JSON record for history: attributes plus its geometry as GeoJSON.
pub fn parcel_record(p: &Parcel) -> Value {
    let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert(
            "geometry".into(),
            landcycle_geo::geometry_to_geojson(&geo_types::Geometry::MultiPolygon(
                p.geometry.clone(),
            )),
        );
        // Bookkeeping, not content.
        m.remove("valid_to");
        m.remove("valid_from");
        m.remove("version");
    }
    v
}

/// The fields of `a` and `b` that differ, as (before, after) objects.
pub fn changed(a: &Value, b: &Value) -> (Value, Value) {
    let (mut before, mut after) = (Map::new(), Map::new());
    if let (Value::Object(x), Value::Object(y)) = (a, b) {
        for (k, va) in x {
            let vb = y.get(k).unwrap_or(&Value::Null);
            if va != vb {
                before.insert(k.clone(), va.clone());
                after.insert(k.clone(), vb.clone());
            }
        }
        for (k, vb) in y {
            if !x.contains_key(k) {
                before.insert(k.clone(), Value::Null);
                after.insert(k.clone(), vb.clone());
            }
        }
    }
    (Value::Object(before), Value::Object(after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_fields() {
        let (b, a) = changed(&json!({"x": 1, "y": 2}), &json!({"x": 1, "y": 3, "z": 4}));
        assert_eq!(b, json!({"y": 2, "z": null}));
        assert_eq!(a, json!({"y": 3, "z": 4}));
    }
}
