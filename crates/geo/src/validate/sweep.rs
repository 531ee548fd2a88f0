//! Where a ring crosses or touches itself, found with a sweep over x so that long rings are
//! not compared segment-by-segment against every other segment.

use geo::line_intersection::{LineIntersection, line_intersection};
use geo_types::{Coord, Line};

/// The first self-intersection found in a closed ring, or `None` if the ring is simple.
///
/// Adjacent segments may share their common vertex; any other contact — a crossing, a vertex
/// touching another edge, a repeated vertex, or a spike doubling back on itself — counts.
/// Consecutive duplicate vertices are ignored.
pub(super) fn first_self_intersection(ring: &[Coord<f64>]) -> Option<Coord<f64>> {
    let mut pts: Vec<Coord<f64>> = Vec::with_capacity(ring.len());
    for c in ring {
        if pts.last() != Some(c) {
            pts.push(*c);
        }
    }
    let segments: Vec<Line<f64>> = pts.windows(2).map(|w| Line::new(w[0], w[1])).collect();
    let m = segments.len();
    if m < 3 {
        return None;
    }
    let min_x = |i: usize| segments[i].start.x.min(segments[i].end.x);
    let max_x = |i: usize| segments[i].start.x.max(segments[i].end.x);
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| min_x(a).total_cmp(&min_x(b)));
    for (k, &a) in order.iter().enumerate() {
        for &b in &order[k + 1..] {
            if min_x(b) > max_x(a) {
                break;
            }
            let (lo, hi) = (a.min(b), a.max(b));
            let adjacent = hi - lo == 1 || (lo == 0 && hi == m - 1);
            match line_intersection(segments[a], segments[b]) {
                Some(LineIntersection::SinglePoint { intersection, .. }) if !adjacent => {
                    return Some(intersection);
                }
                // Adjacent collinear segments meet in their shared vertex unless the ring
                // doubles back (a spike), which makes the overlap a real line.
                Some(LineIntersection::Collinear { intersection })
                    if !adjacent || intersection.start != intersection.end =>
                {
                    return Some(intersection.start);
                }
                _ => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::coord;

    fn ring(pts: &[(f64, f64)]) -> Vec<Coord<f64>> {
        pts.iter().map(|&(x, y)| coord! {x: x, y: y}).collect()
    }

    #[test]
    fn simple_rings_pass() {
        let square = ring(&[(0., 0.), (2., 0.), (2., 2.), (0., 2.), (0., 0.)]);
        assert_eq!(first_self_intersection(&square), None);
        let triangle = ring(&[(0., 0.), (2., 0.), (0., 2.), (0., 0.)]);
        assert_eq!(first_self_intersection(&triangle), None);
        let with_duplicates = ring(&[(0., 0.), (2., 0.), (2., 0.), (2., 2.), (0., 2.), (0., 0.)]);
        assert_eq!(first_self_intersection(&with_duplicates), None);
        // Collinear vertex in the middle of an edge is fine.
        let collinear = ring(&[(0., 0.), (1., 0.), (2., 0.), (2., 2.), (0., 2.), (0., 0.)]);
        assert_eq!(first_self_intersection(&collinear), None);
    }

    #[test]
    fn bowtie_crossing_is_located() {
        let bowtie = ring(&[(0., 0.), (2., 2.), (2., 0.), (0., 2.), (0., 0.)]);
        assert_eq!(
            first_self_intersection(&bowtie),
            Some(coord! {x: 1.0, y: 1.0})
        );
    }

    #[test]
    fn self_touching_and_spikes_are_found() {
        // Figure eight through a repeated vertex (1, 1).
        let eight = ring(&[
            (0., 0.),
            (1., 1.),
            (2., 0.),
            (2., 2.),
            (1., 1.),
            (0., 2.),
            (0., 0.),
        ]);
        assert_eq!(
            first_self_intersection(&eight),
            Some(coord! {x: 1.0, y: 1.0})
        );
        // Spike going out and straight back.
        let spike = ring(&[
            (0., 0.),
            (2., 0.),
            (3., 0.),
            (2., 0.),
            (2., 2.),
            (0., 2.),
            (0., 0.),
        ]);
        assert!(first_self_intersection(&spike).is_some());
        // A vertex touching the middle of another edge.
        let touch = ring(&[(0., 0.), (4., 0.), (4., 4.), (2., 0.), (0., 4.), (0., 0.)]);
        assert_eq!(
            first_self_intersection(&touch),
            Some(coord! {x: 2.0, y: 0.0})
        );
    }

    #[test]
    fn long_rings_are_fast() {
        // 20 000-vertex circle: a quadratic check would do 4e8 segment tests.
        let n = 20_000;
        let circle: Vec<Coord<f64>> = (0..=n)
            .map(|i| {
                let t = std::f64::consts::TAU * f64::from(i % n) / f64::from(n);
                coord! {x: 1000.0 * t.cos(), y: 1000.0 * t.sin()}
            })
            .collect();
        let start = std::time::Instant::now();
        assert_eq!(first_self_intersection(&circle), None);
        assert!(start.elapsed().as_secs_f64() < 2.0, "{:?}", start.elapsed());
    }
}
