//! The card's map: the parcel and its neighbours as vector paths in a box, with a scale bar
//! and a north arrow. Coordinates are CGCS2000 lon/lat projected to local metres around the
//! parcel (equirectangular, metres per degree at its latitude): over the few hundred metres a
//! card shows, that differs from the Gauss–Krüger plane by far less than a printed line width.

use geo::{BooleanOps, BoundingRect};
use geo_types::{Coord, LineString, MultiPolygon, Rect, coord};
use printpdf::{
    Color, Line, LinePoint, Mm, Op, PaintMode, Point, Polygon, PolygonRing, Pt, Rgb, WindingOrder,
};

use crate::text::Writer;

/// A box on the page, millimetres from the bottom-left corner.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    /// Left edge.
    pub x: f32,
    /// Bottom edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

fn rgb(r: f32, g: f32, b: f32) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

/// Metres per degree of longitude and latitude at `lat` (WGS84/CGCS2000 ellipsoid series).
fn metres_per_degree(lat: f64) -> (f64, f64) {
    let phi = lat.to_radians();
    let lon = 111_412.84 * phi.cos() - 93.5 * (3.0 * phi).cos();
    let lat = 111_132.92 - 559.82 * (2.0 * phi).cos() + 1.175 * (4.0 * phi).cos();
    (lon, lat)
}

/// A "nice" scale-bar length (1, 2 or 5 × 10ⁿ metres) not longer than `max_m`.
pub fn nice_length(max_m: f64) -> f64 {
    let p = 10f64.powf(max_m.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|f| f * p)
        .find(|l| *l <= max_m)
        .unwrap_or(p)
}

/// Draws the map into `frame`. `neighbours` are clipped to the map's extent.
pub fn draw(
    w: &mut Writer,
    frame: Frame,
    parcel: &MultiPolygon<f64>,
    neighbours: &[(String, MultiPolygon<f64>)],
) {
    let ops = &mut w.ops;
    // Frame outline.
    ops.push(Op::SetOutlineColor {
        col: rgb(0.4, 0.4, 0.4),
    });
    ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
    ops.push(Op::DrawLine {
        line: Line {
            points: [
                (frame.x, frame.y),
                (frame.x + frame.w, frame.y),
                (frame.x + frame.w, frame.y + frame.h),
                (frame.x, frame.y + frame.h),
            ]
            .into_iter()
            .map(|(x, y)| pt(x, y))
            .collect(),
            is_closed: true,
        },
    });
    let Some(bounds) = parcel.bounding_rect() else {
        return;
    };
    let centre = bounds.center();
    let (mx, my) = metres_per_degree(centre.y);
    let half_w_m = (bounds.width() * mx).max(bounds.height() * my * f64::from(frame.w / frame.h));
    let half_w_m = (half_w_m * 0.5 * 1.6).max(20.0); // margin around the parcel, 40 m at least
    let half_h_m = half_w_m * f64::from(frame.h / frame.w);
    let scale = f64::from(frame.w) / (2.0 * half_w_m); // mm per metre
    let to_page = |c: Coord<f64>| -> (f32, f32) {
        let x = (c.x - centre.x) * mx * scale + f64::from(frame.x + frame.w / 2.0);
        let y = (c.y - centre.y) * my * scale + f64::from(frame.y + frame.h / 2.0);
        (x as f32, y as f32)
    };
    let extent = Rect::new(
        coord! { x: centre.x - half_w_m / mx, y: centre.y - half_h_m / my },
        coord! { x: centre.x + half_w_m / mx, y: centre.y + half_h_m / my },
    )
    .to_polygon();
    let extent = MultiPolygon(vec![extent]);
    for (_, n) in neighbours {
        let clipped = n.intersection(&extent);
        fill(
            ops,
            &clipped,
            &to_page,
            rgb(0.92, 0.92, 0.92),
            rgb(0.55, 0.55, 0.55),
            0.4,
        );
    }
    fill(
        ops,
        parcel,
        &to_page,
        rgb(1.0, 0.85, 0.6),
        rgb(0.8, 0.1, 0.1),
        1.2,
    );
    // Neighbour codes at their clipped centres, small and grey.
    for (code, n) in neighbours {
        let clipped = n.intersection(&extent);
        if let Some(r) = clipped.bounding_rect() {
            let (x, y) = to_page(r.center());
            w.text(x - 8.0, y, 5.0, code);
        }
    }
    // Scale bar: bottom left.
    let len_m = nice_length(half_w_m * 2.0 / 4.0);
    let len_mm = (len_m * scale) as f32;
    let (x0, y0) = (frame.x + 4.0, frame.y + 5.0);
    w.ops.push(Op::SetOutlineColor {
        col: rgb(0.0, 0.0, 0.0),
    });
    w.ops.push(Op::SetOutlineThickness { pt: Pt(1.0) });
    for seg in [
        [(x0, y0), (x0 + len_mm, y0)],
        [(x0, y0 - 1.0), (x0, y0 + 1.0)],
        [(x0 + len_mm, y0 - 1.0), (x0 + len_mm, y0 + 1.0)],
    ] {
        w.ops.push(Op::DrawLine {
            line: Line {
                points: seg.iter().map(|&(x, y)| pt(x, y)).collect(),
                is_closed: false,
            },
        });
    }
    w.text(x0, y0 + 2.0, 7.0, &format!("{len_m} 米 (m)"));
    // North arrow: top right.
    let (nx, ny) = (frame.x + frame.w - 8.0, frame.y + frame.h - 14.0);
    w.ops.push(Op::SetFillColor {
        col: rgb(0.0, 0.0, 0.0),
    });
    w.ops.push(Op::DrawPolygon {
        polygon: Polygon {
            rings: vec![PolygonRing {
                points: vec![
                    pt(nx, ny + 9.0),
                    pt(nx + 2.5, ny),
                    pt(nx, ny + 2.0),
                    pt(nx - 2.5, ny),
                ],
            }],
            mode: PaintMode::Fill,
            winding_order: WindingOrder::NonZero,
        },
    });
    w.text(nx - 1.5, ny + 10.0, 8.0, "北");
}

fn pt(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point::new(Mm(x), Mm(y)),
        bezier: false,
    }
}

fn ring(ls: &LineString<f64>, to_page: &impl Fn(Coord<f64>) -> (f32, f32)) -> PolygonRing {
    PolygonRing {
        points: ls
            .0
            .iter()
            .map(|&c| {
                let (x, y) = to_page(c);
                pt(x, y)
            })
            .collect(),
    }
}

fn fill(
    ops: &mut Vec<Op>,
    mp: &MultiPolygon<f64>,
    to_page: &impl Fn(Coord<f64>) -> (f32, f32),
    fill: Color,
    stroke: Color,
    width: f32,
) {
    ops.push(Op::SetFillColor { col: fill });
    ops.push(Op::SetOutlineColor { col: stroke });
    ops.push(Op::SetOutlineThickness { pt: Pt(width) });
    for p in &mp.0 {
        let mut rings = vec![ring(p.exterior(), to_page)];
        rings.extend(p.interiors().iter().map(|r| ring(r, to_page)));
        ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings,
                mode: PaintMode::FillStroke,
                winding_order: WindingOrder::EvenOdd,
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_bar_lengths_are_round() {
        assert!((nice_length(180.0) - 100.0).abs() < 1e-9);
        assert!((nice_length(260.0) - 200.0).abs() < 1e-9);
        assert!((nice_length(75.0) - 50.0).abs() < 1e-9);
        assert!((nice_length(1.0) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_degree_of_latitude_is_about_111_km() {
        let (lon, lat) = metres_per_degree(30.0);
        assert!((lat - 110_852.0).abs() < 5.0, "{lat}");
        assert!((lon - 96_486.0).abs() < 5.0, "{lon}");
    }
}
