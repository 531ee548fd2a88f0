use super::*;
use crate::error::GeoError;
use crate::test_support;
use geo_types::{Geometry, point, polygon};
use serde_json::json;

fn member_of(err: GeoError) -> String {
    match err {
        GeoError::GeoJson { member, .. } => member,
        other => panic!("expected a GeoJSON error, got {other:?}"),
    }
}

#[test]
fn all_types_round_trip() {
    for g in test_support::all_types() {
        let v = geometry_to_geojson(&g);
        assert_eq!(geometry_from_geojson(&v).as_ref(), Ok(&g), "{v}");
    }
}

#[test]
fn output_agrees_with_the_geojson_crate() {
    for g in test_support::all_types() {
        let ours = geometry_to_geojson(&g);
        let theirs: ::geojson::Geometry =
            serde_json::from_value(ours.clone()).expect("geojson crate parses our output");
        let back = Geometry::<f64>::try_from(&theirs.value).expect("converts");
        assert_eq!(back, g, "{ours}");
    }
}

#[test]
fn reads_features_and_drops_heights() {
    let feature = json!({
        "type": "Feature",
        "properties": {"zddm": "411002"},
        "geometry": {"type": "Point", "coordinates": [113.85, 34.03, 72.5]},
    });
    assert_eq!(
        geometry_from_geojson(&feature),
        Ok(point!(x: 113.85, y: 34.03).into())
    );
    let no_geometry = json!({"type": "Feature", "properties": {}, "geometry": null});
    assert_eq!(
        member_of(geometry_from_geojson(&no_geometry).unwrap_err()),
        "geometry"
    );
}

#[test]
fn unclosed_rings_are_closed() {
    let v = json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]});
    assert_eq!(
        geometry_from_geojson(&v),
        Ok(polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 0.0)].into())
    );
}

#[test]
fn errors_name_the_member() {
    let cases = [
        (json!([1, 2]), "(root)"),
        (json!({"coordinates": [1, 2]}), "type"),
        (json!({"type": 7, "coordinates": [1, 2]}), "type"),
        (json!({"type": "Pointy", "coordinates": [1, 2]}), "type"),
        (json!({"type": "Point"}), "coordinates"),
        (json!({"type": "Point", "coordinates": [1]}), "coordinates"),
        (
            json!({"type": "Point", "coordinates": [1, "2"]}),
            "coordinates[1]",
        ),
        (
            json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, null]]]}),
            "coordinates[0][3][1]",
        ),
        (
            json!({"type": "MultiPolygon", "coordinates": [[[[0, 0]]], 5]}),
            "coordinates[1]",
        ),
        (
            json!({"type": "GeometryCollection", "geometries": [
                {"type": "Point", "coordinates": [0, 0]},
                {"type": "LineString", "coordinates": [[0, 0], {}]},
            ]}),
            "geometries[1].coordinates[1]",
        ),
        (json!({"type": "FeatureCollection", "features": []}), "type"),
        (
            json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": []}}),
            "geometry.coordinates",
        ),
    ];
    for (v, member) in cases {
        let err = geometry_from_geojson(&v).expect_err("invalid");
        let text = err.to_string();
        assert_eq!(member_of(err), member, "{v}: {text}");
        assert!(text.contains(member), "{text}");
    }
}

#[test]
fn geometry_type_names_are_listed_for_unknown_types() {
    let err = geometry_from_geojson(&json!({"type": "Circle", "coordinates": [0, 0]})).unwrap_err();
    assert!(
        err.to_string().contains("unknown geometry type `Circle`"),
        "{err}"
    );
}

#[test]
fn serializes_straight_to_text() {
    let g: Geometry<f64> = geo_types::MultiPolygon(vec![polygon!(
        exterior: [(x: 0.0, y: 0.0), (x: 2.5, y: 0.0), (x: 0.0, y: 1.0)],
        interiors: [[(x: 0.1, y: 0.1), (x: 0.2, y: 0.1), (x: 0.1, y: 0.2)]],
    )])
    .into();
    assert_eq!(
        serde_json::to_string(&GeoJson(&g)).expect("serializes"),
        r#"{"type":"MultiPolygon","coordinates":[[[[0.0,0.0],[2.5,0.0],[0.0,1.0],[0.0,0.0]],[[0.1,0.1],[0.2,0.1],[0.1,0.2],[0.1,0.1]]]]}"#
    );
    let empty: Geometry<f64> =
        geo_types::Polygon::new(geo_types::LineString(vec![]), vec![]).into();
    assert_eq!(
        geometry_to_geojson(&empty),
        json!({"type": "Polygon", "coordinates": []})
    );
}
