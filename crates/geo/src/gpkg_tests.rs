use super::*;
use crate::test_support;
use geo_types::{LineString, Point, point, polygon};
use proptest::prelude::*;

fn xuchang_parcel() -> Geometry<f64> {
    polygon![
        (x: 113.850, y: 34.030),
        (x: 113.853, y: 34.030),
        (x: 113.853, y: 34.032),
        (x: 113.850, y: 34.032),
    ]
    .into()
}

#[test]
fn header_layout() {
    let blob = encode_gpkg(&xuchang_parcel(), 4490);
    assert_eq!(&blob[..3], b"GP\0");
    // Little-endian, envelope code 1, not empty, standard type.
    assert_eq!(blob[3], 0b0000_0011);
    assert_eq!(
        i32::from_le_bytes([blob[4], blob[5], blob[6], blob[7]]),
        4490
    );
    let min_x = f64::from_le_bytes(blob[8..16].try_into().expect("8 bytes"));
    let max_y = f64::from_le_bytes(blob[32..40].try_into().expect("8 bytes"));
    assert_eq!((min_x, max_y), (113.850, 34.032));
    assert_eq!(&blob[40..], &wkb::write(&xuchang_parcel())[..]);
    let header = gpkg_header(&blob).expect("header");
    assert_eq!(header.srs_id, 4490);
    assert_eq!(header.len, 40);
    assert!(!header.empty);
}

#[test]
fn all_types_round_trip() {
    for g in test_support::all_types() {
        let blob = encode_gpkg(&g, 4526);
        assert_eq!(decode_gpkg(&blob).as_ref(), Ok(&g), "{g:?}");
        assert_eq!(
            gpkg_envelope(&blob),
            Ok(Envelope::from_geometry(&g)),
            "{g:?}"
        );
        assert_eq!(
            gpkg_is_empty(&blob),
            Ok(Envelope::from_geometry(&g).is_none()),
            "{g:?}"
        );
        assert_eq!(gpkg_header(&blob).map(|h| h.srs_id), Ok(4526));
    }
}

#[test]
fn empty_point_is_nan_with_the_empty_flag() {
    let empty: Geometry<f64> = Point::new(f64::NAN, f64::NAN).into();
    let blob = encode_gpkg(&empty, 4490);
    assert_eq!(blob[3], 0b0001_0001, "empty flag, no envelope");
    assert_eq!(gpkg_is_empty(&blob), Ok(true));
    assert_eq!(gpkg_envelope(&blob), Ok(None));
    let Ok(Geometry::Point(p)) = decode_gpkg(&blob) else {
        panic!("point expected")
    };
    assert!(p.x().is_nan() && p.y().is_nan());
}

/// A blob as another writer might produce it: big-endian header, optional envelope.
fn foreign_blob(envelope: Option<[f64; 4]>, flags_extra: u8) -> Vec<u8> {
    let mut b = b"GP\0".to_vec();
    let code = if envelope.is_some() { 1 } else { 0 };
    b.push((code << 1) | flags_extra);
    b.extend_from_slice(&4547i32.to_be_bytes());
    for v in envelope.into_iter().flatten() {
        b.extend_from_slice(&v.to_be_bytes());
    }
    b.extend(wkb::write(&xuchang_parcel()));
    b
}

#[test]
fn envelope_is_read_from_header_or_computed() {
    // The header envelope is trusted as stored (deliberately different from the geometry).
    let stored = foreign_blob(Some([0.0, 1.0, 2.0, 3.0]), 0);
    assert_eq!(gpkg_header(&stored).map(|h| h.srs_id), Ok(4547));
    assert_eq!(
        gpkg_envelope(&stored),
        Ok(Some(Envelope {
            min_x: 0.0,
            max_x: 1.0,
            min_y: 2.0,
            max_y: 3.0
        }))
    );
    assert_eq!(decode_gpkg(&stored), Ok(xuchang_parcel()));
    let computed = foreign_blob(None, 0);
    assert_eq!(
        gpkg_envelope(&computed),
        Ok(Envelope::from_geometry(&xuchang_parcel()))
    );
    assert_eq!(gpkg_is_empty(&computed), Ok(false));
    let nan_env = foreign_blob(Some([f64::NAN; 4]), 0);
    assert_eq!(
        gpkg_envelope(&nan_env),
        Ok(Envelope::from_geometry(&xuchang_parcel()))
    );
}

#[test]
fn envelopes_with_z_and_m_are_skipped_correctly() {
    for (code, doubles) in [(2u8, 6usize), (3, 6), (4, 8)] {
        let mut b = b"GP\0".to_vec();
        b.push((code << 1) | 1);
        b.extend_from_slice(&4490i32.to_le_bytes());
        for i in 0..doubles {
            b.extend_from_slice(&(i as f64).to_le_bytes());
        }
        b.extend(wkb::write(&xuchang_parcel()));
        assert_eq!(decode_gpkg(&b), Ok(xuchang_parcel()), "code {code}");
        assert_eq!(
            gpkg_envelope(&b),
            Ok(Some(Envelope {
                min_x: 0.0,
                max_x: 1.0,
                min_y: 2.0,
                max_y: 3.0
            }))
        );
    }
}

#[test]
fn bad_blobs_are_errors() {
    let good = encode_gpkg(&xuchang_parcel(), 4490);
    let mut bad_magic = good.clone();
    bad_magic[0] = b'X';
    let err = decode_gpkg(&bad_magic).expect_err("bad magic");
    assert!(err.to_string().contains("magic"), "{err}");
    let mut bad_version = good.clone();
    bad_version[2] = 1;
    assert!(decode_gpkg(&bad_version).is_err());
    let mut extended = good.clone();
    extended[3] |= 0b0010_0000;
    assert!(
        decode_gpkg(&extended)
            .expect_err("extended")
            .to_string()
            .contains("extended")
    );
    let mut bad_envelope = good.clone();
    bad_envelope[3] = (5 << 1) | 1;
    assert!(gpkg_envelope(&bad_envelope).is_err());
    for len in 0..good.len() {
        assert!(decode_gpkg(&good[..len]).is_err(), "truncated at {len}");
    }
    // A bare WKB (someone stored WKB instead of GeoPackage binary).
    assert!(decode_gpkg(&wkb::write(&xuchang_parcel())).is_err());
    assert!(gpkg_is_empty(&[]).is_err());
}

#[test]
fn is_empty_semantics() {
    assert!(is_empty(&LineString::<f64>::new(vec![]).into()));
    assert!(is_empty(&Point::new(f64::NAN, f64::NAN).into()));
    assert!(!is_empty(&point!(x: 0.0, y: 0.0).into()));
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode_gpkg(&bytes);
        let _ = gpkg_envelope(&bytes);
        let _ = gpkg_is_empty(&bytes);
    }

    #[test]
    fn random_bytes_after_a_valid_header_never_panic(
        flags in any::<u8>(),
        tail in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut bytes = b"GP\0".to_vec();
        bytes.push(flags);
        bytes.extend(tail);
        let _ = decode_gpkg(&bytes);
        let _ = gpkg_envelope(&bytes);
        let _ = gpkg_is_empty(&bytes);
    }

    #[test]
    fn random_polygons_round_trip(mp in test_support::multi_polygon(), srs_id in any::<i32>()) {
        let g = Geometry::MultiPolygon(mp);
        let blob = encode_gpkg(&g, srs_id);
        prop_assert_eq!(decode_gpkg(&blob), Ok(g.clone()));
        prop_assert_eq!(gpkg_envelope(&blob), Ok(Envelope::from_geometry(&g)));
        prop_assert_eq!(gpkg_header(&blob).map(|h| h.srs_id), Ok(srs_id));
    }
}
