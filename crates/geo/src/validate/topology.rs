//! Checks between rings of a polygon and between parts of a multipolygon, using geo's `Relate`
//! (DE-9IM), as geo's own `Validation` does.

use std::borrow::Cow;

use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{PreparedGeometry, Relate};
use geo_types::{LineString, Polygon};

use super::problem::{GeometryProblem, RingRef, codes, new};
use crate::envelope::Envelope;

pub(super) fn check(
    polygons: &[Cow<'_, Polygon<f64>>],
    multi: bool,
    out: &mut Vec<GeometryProblem>,
) {
    for (i, p) in polygons.iter().enumerate() {
        check_holes(p, multi.then_some(i), out);
    }
    let envelopes: Vec<Option<Envelope>> = polygons
        .iter()
        .map(|p| Envelope::from_coords(p.exterior().coords().copied()))
        .collect();
    for i in 0..polygons.len() {
        for j in i + 1..polygons.len() {
            let (Some(ei), Some(ej)) = (envelopes[i], envelopes[j]) else {
                continue;
            };
            if !ei.intersects(&ej) {
                continue;
            }
            let im = polygons[i].relate(polygons[j].as_ref());
            // Centre of the boxes' overlap: a rough but useful place to look.
            let at = Some((
                (ei.min_x.max(ej.min_x) + ei.max_x.min(ej.max_x)) / 2.0,
                (ei.min_y.max(ej.min_y) + ei.max_y.min(ej.max_y)) / 2.0,
            ));
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                out.push(new(
                    codes::OVERLAPPING_PARTS,
                    format!(
                        "polygons {} and {} of the multipolygon overlap",
                        i + 1,
                        j + 1
                    ),
                    format!("多面中的第{}个面与第{}个面重叠", i + 1, j + 1),
                    at,
                ));
            } else if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary)
                == Dimensions::OneDimensional
            {
                out.push(new(
                    codes::PARTS_TOUCH_ON_LINE,
                    format!(
                        "polygons {} and {} of the multipolygon share an edge; merge them",
                        i + 1,
                        j + 1
                    ),
                    format!(
                        "多面中的第{}个面与第{}个面共用边界，应合并为一个面",
                        i + 1,
                        j + 1
                    ),
                    at,
                ));
            }
        }
    }
}

fn check_holes(p: &Polygon<f64>, polygon: Option<usize>, out: &mut Vec<GeometryProblem>) {
    if p.interiors().is_empty() {
        return;
    }
    let as_polygon = |ring: &LineString<f64>| Polygon::new(ring.clone(), vec![]);
    let shell = as_polygon(p.exterior());
    let shell = PreparedGeometry::from(&shell);
    let holes: Vec<Polygon<f64>> = p.interiors().iter().map(as_polygon).collect();
    let first_vertex = |h: &Polygon<f64>| h.exterior().0.first().map(|c| (c.x, c.y));
    for (h, hole) in holes.iter().enumerate() {
        let at = RingRef {
            polygon,
            hole: Some(h),
        };
        let im = shell.relate(hole);
        if !im.is_contains() {
            out.push(new(
                codes::HOLE_OUTSIDE_SHELL,
                format!("{} is not inside the exterior ring", at.en()),
                format!("{}不在外环之内", at.zh()),
                first_vertex(hole),
            ));
        } else if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
            out.push(new(
                codes::RINGS_INTERSECT,
                format!("{} touches the exterior ring along a line", at.en()),
                format!("{}与外环沿线段接触", at.zh()),
                first_vertex(hole),
            ));
        }
        for (k, other) in holes.iter().enumerate().skip(h + 1) {
            let im = hole.relate(other);
            let overlap = im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional;
            let shared_edge =
                im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional;
            if overlap || shared_edge {
                let other_at = RingRef {
                    polygon,
                    hole: Some(k),
                };
                out.push(new(
                    codes::RINGS_INTERSECT,
                    format!("{} and {} overlap or share an edge", at.en(), other_at.en()),
                    format!("{}与{}重叠或共用边界", at.zh(), other_at.zh()),
                    first_vertex(other),
                ));
            }
        }
    }
}
