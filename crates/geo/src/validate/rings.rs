//! Checks on one ring at a time.

use geo_types::Coord;

use super::problem::{GeometryProblem, RingRef, codes, new};
use super::sweep::first_self_intersection;
use crate::crs::Crs;
use crate::transform::WEB_MERCATOR_HALF_WORLD;

/// Northings in China are 2–6 million metres; anything in [0, 10 000 000] is plausible.
const MAX_NORTHING: f64 = 10_000_000.0;

/// Checks one ring, appending problems. Returns false if the ring is too broken for the
/// ring-to-ring checks to mean anything.
pub(super) fn check_ring(
    ring: &[Coord<f64>],
    at: RingRef,
    crs: &Crs,
    out: &mut Vec<GeometryProblem>,
) -> bool {
    if let Some(k) = ring
        .iter()
        .position(|c| !(c.x.is_finite() && c.y.is_finite()))
    {
        out.push(new(
            codes::NON_FINITE,
            format!(
                "{} has a coordinate that is not a finite number at vertex {}",
                at.en(),
                k + 1
            ),
            format!(
                "{}第{}个顶点的坐标不是有效数值（NaN或无穷大）",
                at.zh(),
                k + 1
            ),
            None,
        ));
        return false;
    }
    let (Some(&first), Some(&last)) = (ring.first(), ring.last()) else {
        return true;
    };
    if first != last {
        out.push(super::problem::unclosed_ring(at, (first.x, first.y)));
        return false;
    }
    let distinct = distinct_vertices(ring);
    if distinct < 3 {
        out.push(new(
            codes::TOO_FEW_POINTS,
            format!(
                "{} has {distinct} distinct vertices; a ring needs at least 3 (4 points with the \
                 closing one)",
                at.en()
            ),
            format!(
                "{}只有{distinct}个不同顶点，至少需要3个（含闭合点共4个点）",
                at.zh()
            ),
            Some((first.x, first.y)),
        ));
        return false;
    }
    check_range(ring, at, crs, out);
    if let Some(c) = first_self_intersection(ring) {
        out.push(new(
            codes::SELF_INTERSECTION,
            format!(
                "{} crosses or touches itself near ({}, {})",
                at.en(),
                c.x,
                c.y
            ),
            format!("{}自相交，位置约在({}, {})", at.zh(), c.x, c.y),
            Some((c.x, c.y)),
        ));
        return false;
    }
    let area2 = twice_signed_area(ring);
    let wants_ccw = at.hole.is_none();
    if area2 != 0.0 && (area2 > 0.0) != wants_ccw {
        let (en, zh) = if wants_ccw {
            (
                "is clockwise; exterior rings should be counter-clockwise",
                "为顺时针方向，外环应为逆时针",
            )
        } else {
            (
                "is counter-clockwise; holes should be clockwise",
                "为逆时针方向，内环应为顺时针",
            )
        };
        out.push(new(
            codes::WRONG_ORIENTATION,
            format!("{} {en} (repairable automatically)", at.en()),
            format!("{}{zh}（可自动修正）", at.zh()),
            Some((first.x, first.y)),
        ));
    }
    true
}

/// Vertices that differ from their predecessor, not counting the closing vertex.
fn distinct_vertices(ring: &[Coord<f64>]) -> usize {
    let open = &ring[..ring.len().saturating_sub(1)];
    let mut kept: Vec<Coord<f64>> = Vec::with_capacity(open.len());
    for c in open {
        if kept.last() != Some(c) {
            kept.push(*c);
        }
    }
    // A ring like [a, b, a, a] returns to its start before the closing vertex.
    while kept.len() > 1 && kept.first() == kept.last() {
        kept.pop();
    }
    kept.len()
}

/// Twice the signed (shoelace) area; positive for counter-clockwise in an x-right, y-up frame.
fn twice_signed_area(ring: &[Coord<f64>]) -> f64 {
    // Relative to the first vertex: GK coordinates are ~1e7 and would lose precision otherwise.
    let Some(&o) = ring.first() else { return 0.0 };
    ring.windows(2)
        .map(|w| (w[0].x - o.x) * (w[1].y - o.y) - (w[1].x - o.x) * (w[0].y - o.y))
        .sum()
}

fn check_range(ring: &[Coord<f64>], at: RingRef, crs: &Crs, out: &mut Vec<GeometryProblem>) {
    let bad: Vec<&Coord<f64>> = ring.iter().filter(|c| !in_range(crs, c.x, c.y)).collect();
    let Some(c) = bad.first() else { return };
    let (expect_en, expect_zh) = expected_range(crs);
    let swapped = in_range(crs, c.y, c.x);
    let (hint_en, hint_zh) = if swapped {
        if crs.is_geographic() {
            ("; longitude and latitude look swapped", "，疑似经纬度颠倒")
        } else {
            (
                "; X (northing) and Y (easting) look swapped",
                "，疑似X（北）与Y（东）坐标颠倒",
            )
        }
    } else {
        ("; is the CRS right?", "，请确认坐标系是否正确")
    };
    out.push(new(
        codes::OUT_OF_RANGE,
        format!(
            "{} has {} vertices outside {expect_en}, first ({}, {}){hint_en}",
            at.en(),
            bad.len(),
            c.x,
            c.y
        ),
        format!(
            "{}有{}个顶点超出{expect_zh}，首个为({}, {}){hint_zh}",
            at.zh(),
            bad.len(),
            c.x,
            c.y
        ),
        Some((c.x, c.y)),
    ));
}

fn in_range(crs: &Crs, x: f64, y: f64) -> bool {
    match crs {
        Crs::Cgcs2000Geographic | Crs::Wgs84 | Crs::Crs84 => {
            (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)
        }
        Crs::WebMercator => {
            x.abs() <= WEB_MERCATOR_HALF_WORLD && y.abs() <= WEB_MERCATOR_HALF_WORLD
        }
        Crs::Gk3 { .. } | Crs::Gk6 { .. } => {
            let (lo, hi) = easting_band(crs);
            (lo..=hi).contains(&x) && (0.0..=MAX_NORTHING).contains(&y)
        }
    }
}

/// Plausible eastings: the zone's million-metre band, or (0, 1 000 000) unprefixed.
fn easting_band(crs: &Crs) -> (f64, f64) {
    let prefix = crs.false_easting().unwrap_or(500_000.0) - 500_000.0;
    (prefix, prefix + 1_000_000.0)
}

fn expected_range(crs: &Crs) -> (String, String) {
    match crs {
        Crs::Cgcs2000Geographic | Crs::Wgs84 | Crs::Crs84 => (
            "longitude [-180, 180] / latitude [-90, 90]".into(),
            "经度[-180, 180]或纬度[-90, 90]范围".into(),
        ),
        Crs::WebMercator => (
            format!("±{WEB_MERCATOR_HALF_WORLD} m"),
            format!("Web墨卡托坐标范围±{WEB_MERCATOR_HALF_WORLD}米"),
        ),
        Crs::Gk3 { .. } | Crs::Gk6 { .. } => {
            let (lo, hi) = easting_band(crs);
            (
                format!(
                    "{}: easting [{lo}, {hi}] m, northing [0, {MAX_NORTHING}] m",
                    crs.name()
                ),
                format!(
                    "{}的范围（东坐标[{lo}, {hi}]米，北坐标[0, {MAX_NORTHING}]米）",
                    crs.name()
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::coord;

    fn ring(pts: &[(f64, f64)]) -> Vec<Coord<f64>> {
        pts.iter().map(|&(x, y)| coord! {x: x, y: y}).collect()
    }

    #[test]
    fn distinct_vertex_counting() {
        assert_eq!(distinct_vertices(&ring(&[(0., 0.), (1., 0.), (0., 0.)])), 2);
        assert_eq!(
            distinct_vertices(&ring(&[(0., 0.), (1., 0.), (1., 0.), (0., 1.), (0., 0.)])),
            3
        );
        assert_eq!(
            distinct_vertices(&ring(&[(0., 0.), (1., 0.), (0., 0.), (0., 0.)])),
            2
        );
        assert_eq!(distinct_vertices(&ring(&[(0., 0.), (0., 0.)])), 1);
    }

    #[test]
    fn signed_area_sign() {
        let ccw = ring(&[(0., 0.), (1., 0.), (1., 1.), (0., 0.)]);
        assert!(twice_signed_area(&ccw) > 0.0);
        let cw: Vec<_> = ccw.iter().rev().copied().collect();
        assert!(twice_signed_area(&cw) < 0.0);
    }
}
