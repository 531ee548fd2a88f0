use super::*;
use crate::error::GeoError;
use crate::test_support;
use geo_types::{Geometry, Point, line_string, point};
use proptest::prelude::*;

#[test]
fn known_bytes_for_a_point() {
    let bytes = write(&point!(x: 1.0, y: 2.0).into());
    let expected = [
        0x01, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40,
    ];
    assert_eq!(bytes, expected);
}

#[test]
fn all_types_round_trip() {
    for g in test_support::all_types() {
        let bytes = write(&g);
        assert_eq!(read(&bytes).as_ref(), Ok(&g), "{g:?}");
    }
}

#[test]
fn line_rect_and_triangle_become_wkb_types() {
    let line: Geometry<f64> = geo_types::Line::new((0.0, 0.0), (1.0, 1.0)).into();
    assert_eq!(
        read(&write(&line)),
        Ok(line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0)].into())
    );
    let rect = geo_types::Rect::new((0.0, 0.0), (1.0, 2.0));
    assert_eq!(read(&write(&rect.into())), Ok(rect.to_polygon().into()));
    let tri = geo_types::Triangle::new((0.0, 0.0).into(), (1.0, 0.0).into(), (0.0, 1.0).into());
    assert_eq!(read(&write(&tri.into())), Ok(tri.to_polygon().into()));
}

#[test]
fn reads_big_endian_and_z_m_variants() {
    // POINT(1 2) big-endian.
    let mut be = vec![0u8, 0, 0, 0, 1];
    be.extend_from_slice(&1.0f64.to_be_bytes());
    be.extend_from_slice(&2.0f64.to_be_bytes());
    assert_eq!(read(&be), Ok(point!(x: 1.0, y: 2.0).into()));

    let xyz = |type_code: u32, extra: usize| {
        let mut b = vec![1u8];
        b.extend_from_slice(&type_code.to_le_bytes());
        for v in [1.0f64, 2.0]
            .into_iter()
            .chain(std::iter::repeat_n(99.0, extra))
        {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b
    };
    let p: Geometry<f64> = Point::new(1.0, 2.0).into();
    assert_eq!(read(&xyz(1001, 1)), Ok(p.clone()), "ISO Z");
    assert_eq!(read(&xyz(2001, 1)), Ok(p.clone()), "ISO M");
    assert_eq!(read(&xyz(3001, 2)), Ok(p.clone()), "ISO ZM");
    assert_eq!(read(&xyz(0x8000_0001, 1)), Ok(p.clone()), "EWKB Z");
    // EWKB with SRID: flag, then the SRID before the coordinates.
    let mut srid = vec![1u8];
    srid.extend_from_slice(&0x2000_0001u32.to_le_bytes());
    srid.extend_from_slice(&4490u32.to_le_bytes());
    srid.extend_from_slice(&1.0f64.to_le_bytes());
    srid.extend_from_slice(&2.0f64.to_le_bytes());
    assert_eq!(read(&srid), Ok(p));
}

#[test]
fn open_rings_are_closed_on_read() {
    let mut b = vec![1u8];
    b.extend_from_slice(&3u32.to_le_bytes());
    b.extend_from_slice(&1u32.to_le_bytes());
    b.extend_from_slice(&3u32.to_le_bytes());
    for v in [0.0f64, 0.0, 1.0, 0.0, 0.0, 1.0] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    let Ok(Geometry::Polygon(p)) = read(&b) else {
        panic!("polygon expected")
    };
    assert_eq!(p.exterior().0.len(), 4);
}

#[test]
fn malformed_input_is_an_error() {
    let good = write(&test_support::all_types()[3]);
    for len in 0..good.len() {
        assert!(
            matches!(read(&good[..len]), Err(GeoError::Wkb { .. })),
            "truncated at {len}"
        );
    }
    let mut trailing = good.clone();
    trailing.push(0);
    assert!(read(&trailing).is_err());
    let mut bad_order = good.clone();
    bad_order[0] = 7;
    assert!(
        read(&bad_order)
            .unwrap_err()
            .to_string()
            .contains("byte-order")
    );
    let mut bad_type = good;
    bad_type[1] = 17;
    assert!(
        read(&bad_type)
            .unwrap_err()
            .to_string()
            .contains("unsupported geometry type")
    );
}

#[test]
fn huge_counts_fail_without_allocating() {
    // LineString claiming 4 billion points in 9 bytes.
    let mut b = vec![1u8];
    b.extend_from_slice(&2u32.to_le_bytes());
    b.extend_from_slice(&u32::MAX.to_le_bytes());
    let err = read(&b).unwrap_err().to_string();
    assert!(err.contains("count"), "{err}");
}

#[test]
fn multi_members_must_have_the_right_type() {
    // MultiPolygon containing a Point.
    let mut b = vec![1u8];
    b.extend_from_slice(&6u32.to_le_bytes());
    b.extend_from_slice(&1u32.to_le_bytes());
    b.extend(write(&point!(x: 1.0, y: 2.0).into()));
    let err = read(&b).unwrap_err().to_string();
    assert!(
        err.contains("MultiPolygon may only contain Polygons"),
        "{err}"
    );
}

#[test]
fn deep_nesting_is_refused() {
    let mut b = Vec::new();
    for _ in 0..100 {
        b.push(1u8);
        b.extend_from_slice(&7u32.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
    }
    b.extend(write(&point!(x: 1.0, y: 2.0).into()));
    assert!(read(&b).unwrap_err().to_string().contains("nested"));
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = read(&bytes);
    }

    #[test]
    fn random_wkb_like_bytes_never_panic(
        kind in 1u32..8,
        order in 0u8..2,
        tail in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut bytes = vec![order];
        bytes.extend_from_slice(&if order == 1 { kind.to_le_bytes() } else { kind.to_be_bytes() });
        bytes.extend(tail);
        let _ = read(&bytes);
    }

    #[test]
    fn random_polygons_round_trip(mp in test_support::multi_polygon()) {
        let g = Geometry::MultiPolygon(mp);
        prop_assert_eq!(read(&write(&g)), Ok(g));
    }
}
