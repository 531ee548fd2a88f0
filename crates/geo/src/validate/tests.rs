use super::*;
use geo_types::{LineString, MultiPolygon, coord, line_string, point, polygon};
use serde_json::json;

fn codes_of(problems: &[GeometryProblem]) -> Vec<&'static str> {
    problems.iter().map(|p| p.code).collect()
}

/// A ~280 m × 220 m parcel in Xuchang, counter-clockwise.
fn parcel() -> Polygon<f64> {
    polygon![
        (x: 113.850, y: 34.030),
        (x: 113.853, y: 34.030),
        (x: 113.853, y: 34.032),
        (x: 113.850, y: 34.032),
    ]
}

const CGCS: Crs = Crs::Cgcs2000Geographic;

#[test]
fn valid_polygon_has_no_problems() {
    assert_eq!(validate_parcel_geometry(&parcel().into(), &CGCS), vec![]);
    let hole = line_string![
        (x: 113.851, y: 34.0305), (x: 113.851, y: 34.031), (x: 113.852, y: 34.031), (x: 113.851, y: 34.0305)
    ];
    let with_hole = Polygon::new(parcel().exterior().clone(), vec![hole]);
    assert_eq!(validate_parcel_geometry(&with_hole.into(), &CGCS), vec![]);
    let t = crate::Transformer::new(
        &CGCS,
        &Crs::Gk3 {
            zone: 38,
            prefixed: true,
        },
    )
    .expect("t");
    let projected = t.geometry(&parcel().into()).expect("projected");
    assert_eq!(
        validate_parcel_geometry(
            &projected,
            &Crs::Gk3 {
                zone: 38,
                prefixed: true
            }
        ),
        vec![]
    );
}

#[test]
fn bowtie_is_a_self_intersection_with_location() {
    let bowtie = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 2.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0)];
    let problems = validate_parcel_geometry(&bowtie.into(), &CGCS);
    assert_eq!(codes_of(&problems), vec!["self_intersection"]);
    assert_eq!(problems[0].location, Some((1.0, 1.0)));
    assert!(problems[0].is_error());
    assert!(
        problems[0].message_en.contains("exterior ring"),
        "{}",
        problems[0].message_en
    );
    assert!(
        problems[0].message_zh.contains("自相交"),
        "{}",
        problems[0].message_zh
    );
}

#[test]
fn unclosed_ring_is_reported_from_geojson() {
    let v = json!({"type": "Polygon", "coordinates": [[[113.85, 34.03], [113.853, 34.03], [113.853, 34.032], [113.85, 34.032]]]});
    let problems = validate_parcel_geojson(&v, &CGCS);
    assert_eq!(codes_of(&problems), vec!["unclosed_ring"]);
    assert_eq!(problems[0].location, Some((113.85, 34.03)));
    assert!(problems[0].message_zh.contains("未闭合"));
    let closed = geometry_to_geojson_for_test(&parcel());
    assert_eq!(validate_parcel_geojson(&closed, &CGCS), vec![]);
}

fn geometry_to_geojson_for_test(p: &Polygon<f64>) -> Value {
    crate::geojson::geometry_to_geojson(&p.clone().into())
}

#[test]
fn three_point_ring_has_too_few_points() {
    let ring = LineString::from(vec![(0.0, 0.0), (1.0, 0.0), (0.0, 0.0)]);
    let problems = validate_parcel_geometry(&Polygon::new(ring, vec![]).into(), &CGCS);
    assert_eq!(codes_of(&problems), vec!["too_few_points"]);
    let v = json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]});
    assert_eq!(
        codes_of(&validate_parcel_geojson(&v, &CGCS)),
        vec!["too_few_points"]
    );
}

#[test]
fn nan_coordinates_are_non_finite() {
    let p = polygon![(x: 0.0, y: 0.0), (x: f64::NAN, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
    let problems = validate_parcel_geometry(&p.into(), &CGCS);
    assert_eq!(codes_of(&problems), vec!["non_finite"]);
    assert!(
        problems[0].message_en.contains("vertex 2"),
        "{}",
        problems[0].message_en
    );
}

#[test]
fn latitude_95_is_out_of_range() {
    let p = polygon![(x: 113.0, y: 34.0), (x: 114.0, y: 34.0), (x: 114.0, y: 95.0)];
    let problems = validate_parcel_geometry(&p.into(), &CGCS);
    assert_eq!(codes_of(&problems), vec!["out_of_range"]);
    assert_eq!(problems[0].location, Some((114.0, 95.0)));
}

#[test]
fn swapped_axes_get_a_hint() {
    let swapped =
        polygon![(x: 34.030, y: 113.850), (x: 34.032, y: 113.850), (x: 34.032, y: 113.853)];
    let problems = validate_parcel_geometry(&swapped.into(), &CGCS);
    assert!(codes_of(&problems).contains(&"out_of_range"));
    assert!(
        problems[0].message_en.contains("swapped"),
        "{}",
        problems[0].message_en
    );
    assert!(
        problems[0].message_zh.contains("颠倒"),
        "{}",
        problems[0].message_zh
    );

    let gk = Crs::Gk3 {
        zone: 38,
        prefixed: true,
    };
    let ne = polygon![(x: 3_766_999.0, y: 38_486_147.0), (x: 3_767_099.0, y: 38_486_147.0), (x: 3_767_099.0, y: 38_486_247.0)];
    let problems = validate_parcel_geometry(&ne.into(), &gk);
    assert_eq!(problems[0].code, "out_of_range");
    assert!(
        problems[0]
            .message_en
            .contains("X (northing) and Y (easting) look swapped")
    );
}

#[test]
fn clockwise_exterior_is_a_warning() {
    let cw: LineString<f64> = parcel().exterior().0.iter().rev().copied().collect();
    let problems = validate_parcel_geometry(&Polygon::new(cw, vec![]).into(), &CGCS);
    assert_eq!(codes_of(&problems), vec!["wrong_orientation"]);
    assert_eq!(problems[0].severity, Severity::Warning);
    assert!(!problems[0].is_error());
    let fixed = normalize_orientation(&MultiPolygon(vec![Polygon::new(
        parcel().exterior().0.iter().rev().copied().collect(),
        vec![],
    )]));
    assert_eq!(validate_parcel_geometry(&fixed.into(), &CGCS), vec![]);
}

#[test]
fn non_polygons_and_empties() {
    let problems = validate_parcel_geometry(&point!(x: 1.0, y: 2.0).into(), &CGCS);
    assert_eq!(codes_of(&problems), vec!["not_polygon"]);
    assert!(problems[0].message_en.contains("Point"));
    let empty = MultiPolygon::<f64>(vec![]);
    assert_eq!(
        codes_of(&validate_parcel_geometry(&empty.into(), &CGCS)),
        vec!["empty"]
    );
    let empty_part = MultiPolygon(vec![
        parcel(),
        Polygon::new(LineString::new(vec![]), vec![]),
    ]);
    assert_eq!(
        codes_of(&validate_parcel_geometry(&empty_part.into(), &CGCS)),
        vec!["empty"]
    );
}

#[test]
fn holes_and_parts() {
    let outside = line_string![(x: 10.0, y: 10.0), (x: 10.0, y: 11.0), (x: 11.0, y: 11.0), (x: 10.0, y: 10.0)];
    let square = polygon![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0)];
    let p = Polygon::new(square.exterior().clone(), vec![outside]);
    assert_eq!(
        codes_of(&validate_parcel_geometry(&p.into(), &CGCS)),
        vec!["hole_outside_shell"]
    );

    let h1 = line_string![(x: 1.0, y: 1.0), (x: 1.0, y: 3.0), (x: 3.0, y: 3.0), (x: 3.0, y: 1.0), (x: 1.0, y: 1.0)];
    let h2 = line_string![(x: 2.0, y: 2.0), (x: 2.0, y: 3.5), (x: 3.5, y: 3.5), (x: 3.5, y: 2.0), (x: 2.0, y: 2.0)];
    let p = Polygon::new(square.exterior().clone(), vec![h1, h2]);
    assert_eq!(
        codes_of(&validate_parcel_geometry(&p.into(), &CGCS)),
        vec!["rings_intersect"]
    );

    let shifted = polygon![(x: 2.0, y: 2.0), (x: 6.0, y: 2.0), (x: 6.0, y: 6.0), (x: 2.0, y: 6.0)];
    let overlap = MultiPolygon(vec![square.clone(), shifted]);
    let problems = validate_parcel_geometry(&overlap.into(), &CGCS);
    assert_eq!(codes_of(&problems), vec!["overlapping_parts"]);
    assert_eq!(problems[0].location, Some((3.0, 3.0)));

    let neighbour =
        polygon![(x: 4.0, y: 0.0), (x: 8.0, y: 0.0), (x: 8.0, y: 4.0), (x: 4.0, y: 4.0)];
    let touching = MultiPolygon(vec![square.clone(), neighbour]);
    assert_eq!(
        codes_of(&validate_parcel_geometry(&touching.into(), &CGCS)),
        vec!["parts_touch_on_line"]
    );

    let corner = polygon![(x: 4.0, y: 4.0), (x: 8.0, y: 4.0), (x: 8.0, y: 8.0), (x: 4.0, y: 8.0)];
    let corner_touch = MultiPolygon(vec![square, corner]);
    assert_eq!(
        validate_parcel_geometry(&corner_touch.into(), &CGCS),
        vec![]
    );
}

#[test]
fn multipolygon_messages_name_the_part() {
    let bowtie = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 2.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0)];
    let mp = MultiPolygon(vec![parcel(), bowtie]);
    let problems = validate_parcel_geometry(&mp.into(), &CGCS);
    assert_eq!(codes_of(&problems), vec!["self_intersection"]);
    assert!(
        problems[0]
            .message_en
            .starts_with("polygon 2, exterior ring"),
        "{}",
        problems[0].message_en
    );
    assert!(
        problems[0].message_zh.starts_with("第2个面的外环"),
        "{}",
        problems[0].message_zh
    );
}

#[test]
fn projected_range_checks() {
    let gk = Crs::Gk3 {
        zone: 38,
        prefixed: false,
    };
    let prefixed_data = polygon![(x: 38_486_147.0, y: 3_766_999.0), (x: 38_486_247.0, y: 3_766_999.0), (x: 38_486_247.0, y: 3_767_099.0)];
    let problems = validate_parcel_geometry(&prefixed_data.into(), &gk);
    assert_eq!(codes_of(&problems), vec!["out_of_range"]);
    let merc = polygon![(x: 0.0, y: 0.0), (x: 3e7, y: 0.0), (x: 0.0, y: 1.0)];
    assert_eq!(
        codes_of(&validate_parcel_geometry(&merc.into(), &Crs::WebMercator)),
        vec!["out_of_range"]
    );
    let c = coord! {x: 1.0, y: 1.0};
    assert_eq!(c.x, 1.0);
}

#[test]
fn invalid_geojson_is_a_problem_not_a_panic() {
    let problems = validate_parcel_geojson(&json!({"type": "Polygon"}), &CGCS);
    assert_eq!(codes_of(&problems), vec!["invalid_geojson"]);
    assert!(problems[0].message_en.contains("coordinates"));
}

#[test]
fn problems_serialize_for_the_api() {
    let bowtie = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 2.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0)];
    let problems = validate_parcel_geometry(&bowtie.into(), &CGCS);
    let v = serde_json::to_value(&problems).expect("serialize");
    assert_eq!(v[0]["code"], "self_intersection");
    assert_eq!(v[0]["severity"], "error");
    assert_eq!(v[0]["location"], json!([1.0, 1.0]));
}
