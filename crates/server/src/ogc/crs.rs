//! OGC API – Features Part 2: the CRSs offered, and moving geometry between the storage CRS
//! (CGCS2000 longitude/latitude, EPSG:4490) and a requested one **in that CRS's axis order**:
//! EPSG:4490 and 4326 are latitude-first, the Gauss–Krüger zones northing-first (X = north,
//! as Chinese surveying and EPSG define them), CRS84 and EPSG:3857 easting-first.
//!
//! CGCS2000 and WGS 84 coincide to a few centimetres (both ITRF-based); coordinates are not
//! shifted between them, as PROJ does not shift them either (its transformation is a null one).

use crate::error::ApiError;
use geo::MapCoords;
use geo_types::Geometry;
use landcycle_geo::{Crs, Envelope, Transformer};

/// The storage CRS.
pub const STORAGE: Crs = Crs::Cgcs2000Geographic;

/// Every CRS offered on output and for `bbox-crs`/`filter-crs`: CRS84 first (the default),
/// CGCS2000, WGS 84, Web Mercator, then every CGCS2000 Gauss–Krüger zone covering China
/// (3° zones 25–45, 6° zones 13–23, with and without the zone prefix: EPSG:4491–4554).
pub fn offered() -> Vec<Crs> {
    let mut v = vec![
        Crs::Crs84,
        Crs::Cgcs2000Geographic,
        Crs::Wgs84,
        Crs::WebMercator,
    ];
    v.extend((4491..=4554).filter_map(|c| Crs::from_epsg(c).ok()));
    v
}

/// The OGC URIs of [`offered`].
pub fn offered_uris() -> Vec<String> {
    offered().iter().map(Crs::ogc_uri).collect()
}

/// Parses a `crs`/`bbox-crs`/`filter-crs` value, refusing CRSs not offered.
pub fn parse(field: &str, v: &str) -> Result<Crs, ApiError> {
    let c = Crs::parse(v)
        .map_err(|e| ApiError::bad_field(field, Some(v), e.to_string(), "无法识别的坐标参考系"))?;
    if offered().contains(&c) {
        Ok(c)
    } else {
        Err(ApiError::bad_field(
            field,
            Some(v),
            "this CRS is not offered; see the collection's `crs` list",
            "不提供此坐标参考系，请见集合的 crs 列表",
        ))
    }
}

/// Moves a geometry from storage to `to`, in `to`'s axis order.
pub struct Output {
    to: Crs,
    t: Option<Transformer>,
}

impl Output {
    /// An output to `to`.
    pub fn new(to: Crs) -> Result<Self, ApiError> {
        let t = if matches!(to, Crs::Crs84 | Crs::Cgcs2000Geographic | Crs::Wgs84) {
            None
        } else {
            Some(
                Transformer::new(&STORAGE, &to)
                    .map_err(|e| ApiError::Internal(format!("transformer: {e}")))?,
            )
        };
        Ok(Self { to, t })
    }

    /// The target CRS.
    pub fn crs(&self) -> Crs {
        self.to
    }

    /// The geometry in the target CRS and axis order.
    pub fn geometry(&self, g: &Geometry<f64>) -> Result<Geometry<f64>, ApiError> {
        let g = match &self.t {
            Some(t) => t
                .geometry(g)
                .map_err(|e| ApiError::Internal(format!("transform: {e}")))?,
            None => g.clone(),
        };
        Ok(if self.to.northing_first() {
            g.map_coords(|c| geo_types::coord! { x: c.y, y: c.x })
        } else {
            g
        })
    }
}

/// A bbox given in `crs` (in its axis order) as a longitude/latitude envelope in storage.
/// Projected boxes are transformed along their edges (densified), so the result covers the box.
pub fn bbox_to_storage(b: [f64; 4], crs: Crs) -> Result<[f64; 4], ApiError> {
    let [a0, a1, b0, b1] = b;
    let (x0, y0, x1, y1) = if crs.northing_first() {
        (a1, a0, b1, b0)
    } else {
        (a0, a1, b0, b1)
    };
    if x0 > x1 || y0 > y1 {
        return Err(ApiError::bad_field(
            "bbox",
            None,
            "the lower corner must come first (in the axis order of bbox-crs)",
            "应先给出左下角坐标（按 bbox-crs 的轴序）",
        ));
    }
    if crs.is_geographic() {
        return Ok([x0, y0, x1, y1]);
    }
    let t = Transformer::new(&crs, &STORAGE)
        .map_err(|e| ApiError::Internal(format!("transformer: {e}")))?;
    let mut env: Option<Envelope> = None;
    const STEPS: u32 = 16;
    for i in 0..=STEPS {
        let f = f64::from(i) / f64::from(STEPS);
        for (x, y) in [
            (x0 + f * (x1 - x0), y0),
            (x0 + f * (x1 - x0), y1),
            (x0, y0 + f * (y1 - y0)),
            (x1, y0 + f * (y1 - y0)),
        ] {
            let (lon, lat) = t.point(x, y).map_err(|e| {
                ApiError::bad_field(
                    "bbox",
                    None,
                    format!("outside {crs}: {e}"),
                    "bbox 超出坐标系范围",
                )
            })?;
            env = Some(match env {
                None => Envelope::of_point(lon, lat),
                Some(e) => e.expanded_to(lon, lat),
            });
        }
    }
    let e = env.ok_or_else(|| ApiError::Internal("empty bbox".into()))?;
    Ok([e.min_x, e.min_y, e.max_x, e.max_y])
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::Point;

    #[test]
    fn axis_order_follows_the_crs() {
        let p = Geometry::Point(Point::new(113.85, 34.03));
        let lat_first = Output::new(Crs::Cgcs2000Geographic)
            .expect("o")
            .geometry(&p)
            .expect("g");
        assert_eq!(lat_first, Geometry::Point(Point::new(34.03, 113.85)));
        let crs84 = Output::new(Crs::Crs84).expect("o").geometry(&p).expect("g");
        assert_eq!(crs84, p);
        let gk = Output::new(Crs::from_epsg(4526).expect("4526"))
            .expect("o")
            .geometry(&p)
            .expect("g");
        let Geometry::Point(q) = gk else { panic!() };
        // Northing first: X ≈ 3 767 km north, Y ≈ 38 zone-prefixed easting.
        assert!(q.x() > 3_700_000.0 && q.x() < 3_800_000.0, "{q:?}");
        assert!(q.y() > 38_000_000.0 && q.y() < 39_000_000.0, "{q:?}");
    }

    #[test]
    fn projected_bboxes_cover_the_box() {
        let gk = Crs::from_epsg(4547).expect("4547");
        let b = bbox_to_storage([3_760_000.0, 480_000.0, 3_770_000.0, 490_000.0], gk).expect("b");
        assert!(b[0] < b[2] && b[1] < b[3]);
        assert!(
            (113.0..115.0).contains(&b[0]) && (33.0..35.0).contains(&b[1]),
            "{b:?}"
        );
        assert!(bbox_to_storage([34.1, 113.9, 34.0, 113.8], Crs::Cgcs2000Geographic).is_err());
        assert_eq!(
            bbox_to_storage([34.0, 113.8, 34.1, 113.9], Crs::Cgcs2000Geographic).expect("b"),
            [113.8, 34.0, 113.9, 34.1]
        );
    }
}
