//! Axis-aligned bounding boxes in the GeoPackage order (min x, max x, min y, max y).

use geo::CoordsIter;
use geo_types::{Coord, Geometry, Rect};

/// A 2D bounding box. Fields are in GeoPackage envelope order; x is longitude/easting.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Envelope {
    /// Smallest x.
    pub min_x: f64,
    /// Largest x.
    pub max_x: f64,
    /// Smallest y.
    pub min_y: f64,
    /// Largest y.
    pub max_y: f64,
}

impl Envelope {
    /// The envelope of a single point.
    pub fn of_point(x: f64, y: f64) -> Envelope {
        Envelope {
            min_x: x,
            max_x: x,
            min_y: y,
            max_y: y,
        }
    }

    /// The bounding box of a geometry's finite coordinates; `None` if it has none (empty
    /// geometry, or only NaN coordinates as in a GeoPackage empty point).
    pub fn from_geometry(g: &Geometry<f64>) -> Option<Envelope> {
        Envelope::from_coords(g.coords_iter())
    }

    /// The bounding box of the finite coordinates among `coords`.
    pub fn from_coords(coords: impl IntoIterator<Item = Coord<f64>>) -> Option<Envelope> {
        coords
            .into_iter()
            .filter(|c| c.x.is_finite() && c.y.is_finite())
            .fold(None, |env: Option<Envelope>, c| {
                Some(match env {
                    Some(e) => e.expanded_to(c.x, c.y),
                    None => Envelope::of_point(c.x, c.y),
                })
            })
    }

    /// This envelope grown to include (x, y).
    pub fn expanded_to(self, x: f64, y: f64) -> Envelope {
        Envelope {
            min_x: self.min_x.min(x),
            max_x: self.max_x.max(x),
            min_y: self.min_y.min(y),
            max_y: self.max_y.max(y),
        }
    }

    /// Whether the two boxes share at least one point (touching edges count).
    pub fn intersects(&self, other: &Envelope) -> bool {
        self.min_x <= other.max_x
            && other.min_x <= self.max_x
            && self.min_y <= other.max_y
            && other.min_y <= self.max_y
    }

    /// Whether (x, y) lies inside or on the boundary.
    pub fn contains_point(&self, x: f64, y: f64) -> bool {
        (self.min_x..=self.max_x).contains(&x) && (self.min_y..=self.max_y).contains(&y)
    }

    /// Whether `other` lies entirely inside this envelope (boundary included).
    pub fn contains(&self, other: &Envelope) -> bool {
        self.min_x <= other.min_x
            && other.max_x <= self.max_x
            && self.min_y <= other.min_y
            && other.max_y <= self.max_y
    }

    /// The smallest envelope holding both.
    pub fn union(&self, other: &Envelope) -> Envelope {
        Envelope {
            min_x: self.min_x.min(other.min_x),
            max_x: self.max_x.max(other.max_x),
            min_y: self.min_y.min(other.min_y),
            max_y: self.max_y.max(other.max_y),
        }
    }

    /// Width (x extent).
    pub fn width(&self) -> f64 {
        self.max_x - self.min_x
    }

    /// Height (y extent).
    pub fn height(&self) -> f64 {
        self.max_y - self.min_y
    }

    /// As `[min_x, min_y, max_x, max_y]`, the order of GeoJSON `bbox` and OGC API `bbox=`.
    pub fn to_bbox(&self) -> [f64; 4] {
        [self.min_x, self.min_y, self.max_x, self.max_y]
    }

    /// As a geo-types rectangle.
    pub fn to_rect(&self) -> Rect<f64> {
        Rect::new(
            Coord {
                x: self.min_x,
                y: self.min_y,
            },
            Coord {
                x: self.max_x,
                y: self.max_y,
            },
        )
    }
}

impl From<Rect<f64>> for Envelope {
    fn from(r: Rect<f64>) -> Envelope {
        Envelope {
            min_x: r.min().x,
            max_x: r.max().x,
            min_y: r.min().y,
            max_y: r.max().y,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{LineString, Point, line_string};

    #[test]
    fn from_geometry_skips_nan_and_empty() {
        let ls: Geometry<f64> = line_string![(x: 1.0, y: 5.0), (x: -2.0, y: 3.0)].into();
        assert_eq!(
            Envelope::from_geometry(&ls),
            Some(Envelope {
                min_x: -2.0,
                max_x: 1.0,
                min_y: 3.0,
                max_y: 5.0
            })
        );
        let empty: Geometry<f64> = LineString::<f64>::new(vec![]).into();
        assert_eq!(Envelope::from_geometry(&empty), None);
        let nan_point: Geometry<f64> = Point::new(f64::NAN, f64::NAN).into();
        assert_eq!(Envelope::from_geometry(&nan_point), None);
    }

    #[test]
    fn predicates() {
        let a = Envelope {
            min_x: 0.0,
            max_x: 2.0,
            min_y: 0.0,
            max_y: 2.0,
        };
        let b = Envelope {
            min_x: 2.0,
            max_x: 3.0,
            min_y: 1.0,
            max_y: 4.0,
        };
        let c = Envelope {
            min_x: 2.1,
            max_x: 3.0,
            min_y: 1.0,
            max_y: 4.0,
        };
        assert!(a.intersects(&b) && b.intersects(&a));
        assert!(!a.intersects(&c));
        assert!(a.contains_point(2.0, 0.0));
        assert!(!a.contains_point(2.0, -0.1));
        let u = a.union(&c);
        assert_eq!(
            u,
            Envelope {
                min_x: 0.0,
                max_x: 3.0,
                min_y: 0.0,
                max_y: 4.0
            }
        );
        assert!(u.contains(&a) && u.contains(&c) && !a.contains(&u));
        assert_eq!((u.width(), u.height()), (3.0, 4.0));
        assert_eq!(Envelope::from(u.to_rect()), u);
        assert_eq!(u.to_bbox(), [0.0, 0.0, 3.0, 4.0]);
    }
}
