//! Shared fixtures and proptest strategies for the unit tests.

use geo_types::{
    Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon, Polygon,
    coord, line_string, point, polygon,
};
use proptest::prelude::*;

/// One geometry of every type, including empties and a polygon with a hole.
pub fn all_types() -> Vec<Geometry<f64>> {
    let square =
        polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)];
    let with_hole = Polygon::new(
        square.exterior().clone(),
        vec![line_string![(x: 2.0, y: 2.0), (x: 2.0, y: 4.0), (x: 4.0, y: 4.0), (x: 2.0, y: 2.0)]],
    );
    let line = line_string![(x: 113.85, y: 34.03), (x: 113.86, y: 34.04), (x: -1.5e-300, y: 9e300)];
    vec![
        point!(x: 113.852, y: 34.036).into(),
        line.clone().into(),
        square.clone().into(),
        with_hole.clone().into(),
        MultiPoint(vec![point!(x: 1.0, y: 2.0), point!(x: 3.0, y: 4.0)]).into(),
        MultiLineString(vec![
            line.clone(),
            line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0)],
        ])
        .into(),
        MultiPolygon(vec![square.clone(), with_hole.clone()]).into(),
        Geometry::GeometryCollection(GeometryCollection(vec![
            point!(x: 5.0, y: 6.0).into(),
            line.into(),
            Geometry::GeometryCollection(GeometryCollection(vec![with_hole.into()])),
        ])),
        LineString::<f64>::new(vec![]).into(),
        Polygon::<f64>::new(LineString::new(vec![]), vec![]).into(),
        MultiPoint::<f64>(vec![]).into(),
        MultiLineString::<f64>(vec![]).into(),
        MultiPolygon::<f64>(vec![]).into(),
        Geometry::GeometryCollection(GeometryCollection::<f64>(vec![])),
    ]
}

/// Finite coordinates across the range parcels use (lon/lat up to GK prefixed eastings).
pub fn coordinate() -> impl Strategy<Value = f64> {
    prop_oneof![-180.0..180.0f64, -5.0e7..5.0e7f64]
}

/// A random closed ring of 3..40 distinct-ish vertices (possibly self-intersecting; the
/// encoders must not care).
pub fn ring() -> impl Strategy<Value = LineString<f64>> {
    prop::collection::vec((coordinate(), coordinate()), 3..40).prop_map(|pts| {
        LineString::from(
            pts.into_iter()
                .map(|(x, y)| coord! {x: x, y: y})
                .collect::<Vec<_>>(),
        )
    })
}

/// A random polygon with up to three holes (closing is done by `Polygon::new`).
pub fn polygon() -> impl Strategy<Value = Polygon<f64>> {
    (ring(), prop::collection::vec(ring(), 0..3)).prop_map(|(ext, holes)| Polygon::new(ext, holes))
}

/// A random multipolygon of up to four polygons.
pub fn multi_polygon() -> impl Strategy<Value = MultiPolygon<f64>> {
    prop::collection::vec(polygon(), 0..4).prop_map(MultiPolygon)
}
