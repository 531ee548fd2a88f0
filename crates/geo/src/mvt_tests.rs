//! Tests of the MVT layer builder.

use super::*;
use geo_types::polygon;

fn tile_at(z: u8) -> TileId {
    let (px, py) = TileMatrixSet::WebMercatorQuad.position(z, 113.85, 34.03);
    TileId {
        tms: TileMatrixSet::WebMercatorQuad,
        z,
        x: px.floor() as u32,
        y: py.floor() as u32,
    }
}

fn parcel() -> MultiPolygon<f64> {
    MultiPolygon(vec![polygon![
        (x: 113.849, y: 34.029), (x: 113.851, y: 34.029),
        (x: 113.851, y: 34.031), (x: 113.849, y: 34.031), (x: 113.849, y: 34.029)
    ]])
}

#[test]
fn a_parcel_round_trips_with_its_attributes() {
    let mut l = LayerBuilder::new("parcels", tile_at(14));
    assert!(l.add_polygons(
        Some(7),
        &parcel(),
        &[
            ("status", MvtValue::Text("granted")),
            ("area_mu", MvtValue::Number(66.5)),
        ],
    ));
    let bytes = encode(vec![l.finish()]);
    let t = decode(&bytes).expect("decodes");
    let layer = &t.layers[0];
    assert_eq!(layer.name, "parcels");
    assert_eq!(layer.extent, Some(EXTENT));
    let f = &layer.features[0];
    assert_eq!(f.id, Some(7));
    assert_eq!(layer.keys, vec!["status", "area_mu"]);
    assert_eq!(
        layer.values[f.tags[1] as usize].string_value.as_deref(),
        Some("granted")
    );
    // MoveTo(1), 2 params, LineTo(3), 6 params, ClosePath.
    assert_eq!(f.geometry[0], command(1, 1));
    assert_eq!(f.geometry[3], command(2, 3));
    assert_eq!(*f.geometry.last().expect("cmds"), command(7, 1));
}

#[test]
fn equal_values_share_one_table_entry_and_each_feature_points_at_its_own() {
    let mut l = LayerBuilder::new("parcels", tile_at(14));
    for i in 0..1000 {
        l.add_polygons(
            Some(i),
            &parcel(),
            &[
                ("code", MvtValue::Text(&format!("c{i}"))),
                ("status", MvtValue::Text("granted")),
                ("area_mu", MvtValue::Number(f64::from(i as u32 % 3))),
                ("n", MvtValue::Int(1)),
                ("same_bits_other_type", MvtValue::Number(1.0)),
            ],
        );
    }
    let layer = l.finish();
    assert_eq!(layer.keys.len(), 5);
    // 1000 codes, one status, areas 0/1/2, the integer 1 (and 1.0, already among areas).
    assert_eq!(layer.values.len(), 1000 + 1 + 3 + 1);
    for (i, f) in layer.features.iter().enumerate() {
        let v = |k: usize| &layer.values[f.tags[2 * k + 1] as usize];
        assert_eq!(v(0).string_value.as_deref(), Some(format!("c{i}").as_str()));
        assert_eq!(v(1).string_value.as_deref(), Some("granted"));
        assert_eq!(v(2).double_value, Some((i % 3) as f64));
        assert_eq!(v(3).sint_value, Some(1));
        assert_eq!(v(4).double_value, Some(1.0));
    }
}

#[test]
fn exterior_rings_have_positive_area_whatever_the_input_winding() {
    let mut cw = parcel();
    cw.0[0].exterior_mut(|r| r.0.reverse());
    for g in [parcel(), cw] {
        let ring = ring_to_grid(
            &project(g.0[0].exterior(), &{
                let t = tile_at(16);
                t.tms.to_tile_grid(t.z, t.x, t.y, EXTENT)
            }),
            true,
        )
        .expect("ring");
        let a: i64 = (0..ring.len())
            .map(|i| {
                let (p, q) = (ring[i], ring[(i + 1) % ring.len()]);
                i64::from(p.0) * i64::from(q.1) - i64::from(q.0) * i64::from(p.1)
            })
            .sum();
        assert!(a > 0);
    }
}

#[test]
fn far_away_and_sub_pixel_features_are_left_out() {
    let mut l = LayerBuilder::new("parcels", tile_at(14));
    let far = MultiPolygon(vec![polygon![
        (x: 100.0, y: 20.0), (x: 100.1, y: 20.0), (x: 100.1, y: 20.1), (x: 100.0, y: 20.0)
    ]]);
    assert!(!l.add_polygons(None, &far, &[]));
    let mut l0 = LayerBuilder::new("parcels", tile_at(2));
    assert!(
        !l0.add_polygons(None, &parcel(), &[]),
        "200 m is under a pixel at z2"
    );
    assert!(l.is_empty());
}

#[test]
fn large_polygons_are_clipped_to_the_buffered_tile() {
    let t = tile_at(16);
    let b = t.tms.tile_bounds_lonlat(t.z, t.x, t.y);
    let big = MultiPolygon(vec![polygon![
        (x: b.min_x - 1.0, y: b.min_y - 1.0), (x: b.max_x + 1.0, y: b.min_y - 1.0),
        (x: b.max_x + 1.0, y: b.max_y + 1.0), (x: b.min_x - 1.0, y: b.max_y + 1.0)
    ]]);
    let to_grid = t.tms.to_tile_grid(t.z, t.x, t.y, EXTENT);
    let ring = ring_to_grid(&project(big.0[0].exterior(), &to_grid), true).expect("ring");
    let lim = (f64::from(EXTENT) + BUFFER) as i32;
    assert!(
        ring.iter()
            .all(|p| (-64..=lim).contains(&p.0) && (-64..=lim).contains(&p.1))
    );
    assert_eq!(ring.len(), 4);
}
