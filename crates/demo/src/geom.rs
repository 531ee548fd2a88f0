//! Plain geometry for generating shapes: a local metric frame around a park's centre, rectangles
//! on a centimetre grid, and the few polygon predicates the layout needs. No areas are computed
//! for the registry here — it computes `computed_area_m2` itself in the Gauss–Krüger zone.

use geo_types::{Coord, LineString, MultiPolygon, Polygon};

/// GRS80 (CGCS2000) semi-major axis, m.
const A: f64 = 6_378_137.0;
/// GRS80 first eccentricity squared.
const E2: f64 = 0.006_694_380_022_900_788;

/// A local frame: metres east/north of a centre, and a grid rotated by `angle` inside it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    lon0: f64,
    lat0: f64,
    m_per_deg_lon: f64,
    m_per_deg_lat: f64,
    cos: f64,
    sin: f64,
}

impl Frame {
    /// A frame centred on (lon0, lat0), its grid turned `angle_rad` anticlockwise from east.
    pub(crate) fn new(lon0: f64, lat0: f64, angle_rad: f64) -> Self {
        let phi = lat0.to_radians();
        let w = (1.0 - E2 * phi.sin().powi(2)).sqrt();
        let n = A / w; // prime-vertical radius of curvature
        let m = A * (1.0 - E2) / (w * w * w); // meridian radius of curvature
        let rad = std::f64::consts::PI / 180.0;
        Self {
            lon0,
            lat0,
            m_per_deg_lon: n * phi.cos() * rad,
            m_per_deg_lat: m * rad,
            cos: angle_rad.cos(),
            sin: angle_rad.sin(),
        }
    }

    /// Metres east/north of this frame's centre → lon/lat degrees.
    pub(crate) fn to_lonlat(self, x: f64, y: f64) -> Coord<f64> {
        Coord {
            x: self.lon0 + x / self.m_per_deg_lon,
            y: self.lat0 + y / self.m_per_deg_lat,
        }
    }

    /// Lon/lat degrees → metres east/north of this frame's centre.
    pub(crate) fn to_metric(self, c: Coord<f64>) -> (f64, f64) {
        (
            (c.x - self.lon0) * self.m_per_deg_lon,
            (c.y - self.lat0) * self.m_per_deg_lat,
        )
    }

    /// Grid coordinates (metres along and across the grid) → metres east/north.
    pub(crate) fn grid_to_metric(&self, u: f64, v: f64) -> (f64, f64) {
        (u * self.cos - v * self.sin, u * self.sin + v * self.cos)
    }

    /// Metres east/north → grid coordinates.
    pub(crate) fn metric_to_grid(&self, x: f64, y: f64) -> (f64, f64) {
        (x * self.cos + y * self.sin, -x * self.sin + y * self.cos)
    }
}

/// An axis-aligned rectangle of the grid, in whole centimetres (so areas are exact decimals).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rect {
    pub(crate) u0: i64,
    pub(crate) v0: i64,
    pub(crate) u1: i64,
    pub(crate) v1: i64,
}

impl Rect {
    pub(crate) fn width_cm(&self) -> i64 {
        self.u1 - self.u0
    }
    pub(crate) fn height_cm(&self) -> i64 {
        self.v1 - self.v0
    }
    /// Area in cm² (exact).
    pub(crate) fn area_cm2(&self) -> i64 {
        self.width_cm() * self.height_cm()
    }
    /// Area in m² (for sizing decisions only).
    pub(crate) fn area_m2(&self) -> f64 {
        self.area_cm2() as f64 / 10_000.0
    }

    /// The four corners in metres of the grid, anticlockwise from the lower left.
    fn corners_m(&self) -> [(f64, f64); 4] {
        let (a, b, c, d) = (
            self.u0 as f64 / 100.0,
            self.v0 as f64 / 100.0,
            self.u1 as f64 / 100.0,
            self.v1 as f64 / 100.0,
        );
        [(a, b), (c, b), (c, d), (a, d)]
    }

    /// The corners in metres east/north.
    pub(crate) fn corners_metric(&self, f: &Frame) -> [(f64, f64); 4] {
        self.corners_m().map(|(u, v)| f.grid_to_metric(u, v))
    }

    /// The rectangle as a lon/lat multipolygon: one closed, anticlockwise exterior ring.
    pub(crate) fn to_lonlat(self, f: &Frame) -> MultiPolygon<f64> {
        let mut ring: Vec<Coord<f64>> = self
            .corners_metric(f)
            .iter()
            .map(|&(x, y)| f.to_lonlat(x, y))
            .collect();
        ring.push(ring[0]);
        MultiPolygon(vec![Polygon::new(LineString(ring), vec![])])
    }

    /// This rectangle grown by `m` centimetres on every side.
    pub(crate) fn grown(&self, m: i64) -> Rect {
        Rect {
            u0: self.u0 - m,
            v0: self.v0 - m,
            u1: self.u1 + m,
            v1: self.v1 + m,
        }
    }
}

/// Twice the signed area of a closed or open ring (positive when anticlockwise).
pub(crate) fn shoelace2(pts: &[(f64, f64)]) -> f64 {
    let n = pts.len();
    (0..n)
        .map(|i| {
            let (x0, y0) = pts[i];
            let (x1, y1) = pts[(i + 1) % n];
            x0 * y1 - x1 * y0
        })
        .sum()
}

/// Even–odd point-in-polygon test for an open ring.
pub(crate) fn point_in_ring(p: (f64, f64), ring: &[(f64, f64)]) -> bool {
    let n = ring.len();
    let mut inside = false;
    let mut j = n - 1;
    for i in 0..n {
        let (xi, yi) = ring[i];
        let (xj, yj) = ring[j];
        if (yi > p.1) != (yj > p.1) && p.0 < (xj - xi) * (p.1 - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

fn orient(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// True when the closed segments ab and cd touch or cross.
fn segments_meet(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let (d1, d2) = (orient(c, d, a), orient(c, d, b));
    let (d3, d4) = (orient(a, b, c), orient(a, b, d));
    ((d1 > 0.0) != (d2 > 0.0) || d1 == 0.0 || d2 == 0.0)
        && ((d3 > 0.0) != (d4 > 0.0) || d3 == 0.0 || d4 == 0.0)
}

/// True when the convex quadrilateral `quad` lies strictly inside the simple polygon `ring`:
/// every corner inside and no edge of one meeting an edge of the other.
pub(crate) fn quad_inside_ring(quad: &[(f64, f64); 4], ring: &[(f64, f64)]) -> bool {
    if !quad.iter().all(|&p| point_in_ring(p, ring)) {
        return false;
    }
    let n = ring.len();
    (0..4).all(|i| {
        let (a, b) = (quad[i], quad[(i + 1) % 4]);
        (0..n).all(|j| !segments_meet(a, b, ring[j], ring[(j + 1) % n]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_round_trips_and_scales() {
        let f = Frame::new(113.85, 34.0, 0.2);
        // At 34°N a degree of longitude is about 92.4 km and of latitude about 110.9 km.
        assert!(
            (f.m_per_deg_lon - 92_390.0).abs() < 100.0,
            "{}",
            f.m_per_deg_lon
        );
        assert!(
            (f.m_per_deg_lat - 110_900.0).abs() < 100.0,
            "{}",
            f.m_per_deg_lat
        );
        let (x, y) = f.grid_to_metric(120.0, -40.0);
        let (u, v) = f.metric_to_grid(x, y);
        assert!((u - 120.0).abs() < 1e-9 && (v + 40.0).abs() < 1e-9);
        let c = f.to_lonlat(x, y);
        let (x2, y2) = f.to_metric(c);
        assert!((x2 - x).abs() < 1e-6 && (y2 - y).abs() < 1e-6);
    }

    #[test]
    fn rectangle_ring_is_closed_and_anticlockwise() {
        let f = Frame::new(113.85, 34.0, -0.1);
        let r = Rect {
            u0: 0,
            v0: 0,
            u1: 10_000,
            v1: 5_000,
        };
        let mp = r.to_lonlat(&f);
        let ring = &mp.0[0].exterior().0;
        assert_eq!(ring.len(), 5);
        assert_eq!(ring[0], ring[4]);
        let pts: Vec<_> = ring.iter().map(|c| (c.x, c.y)).collect();
        assert!(shoelace2(&pts) > 0.0);
        assert_eq!(r.area_cm2(), 50_000_000);
    }

    #[test]
    fn containment() {
        let square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        assert!(quad_inside_ring(
            &[(1.0, 1.0), (9.0, 1.0), (9.0, 9.0), (1.0, 9.0)],
            &square
        ));
        assert!(!quad_inside_ring(
            &[(1.0, 1.0), (11.0, 1.0), (11.0, 9.0), (1.0, 9.0)],
            &square
        ));
        // A notch reaching into the quad between its corners.
        let notched = [
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (5.0, 5.0),
            (0.0, 10.0),
        ];
        assert!(!quad_inside_ring(
            &[(1.0, 1.0), (9.0, 1.0), (9.0, 6.0), (1.0, 6.0)],
            &notched
        ));
    }
}
