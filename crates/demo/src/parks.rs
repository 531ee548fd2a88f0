//! The ten parks of the pilot plan with synthetic boundaries at their estimated centres.

use crate::geom::{Frame, shoelace2};
use crate::plan::{Cluster, PilotPlan};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use landcycle_domain::{Jurisdiction, Park, ParkAlias, ParkId, TaxPerMuTarget};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::prelude::ToPrimitive;

/// Cluster name → (park id, short name used in parcel names and addresses).
const PARK_META: [(&str, &str, &str); 10] = [
    ("经济技术产业集聚区", "jingkai", "经开"),
    ("中原电气谷核心区", "dianqigu", "电气谷"),
    ("长葛市产业集聚区", "changge", "长葛"),
    ("长葛市大周再生金属循环产业集聚区", "dazhou", "大周"),
    ("禹州市产业集聚区", "yuzhou", "禹州"),
    ("襄城县循环经济产业集聚区", "xiangcheng-xh", "襄城循环"),
    ("尚集产业集聚区", "shangji", "尚集"),
    ("鄢陵县产业集聚区", "yanling", "鄢陵"),
    ("襄城县产业集聚区", "xiangcheng", "襄城"),
    ("魏都产业集聚区", "weidu", "魏都"),
];

/// Area of a park whose planned area the plan does not give, km².
const DEFAULT_AREA_KM2: f64 = 8.0;
/// Least distance kept between two park boundaries, m.
const PARK_GAP_M: f64 = 400.0;

/// A park with what the generator needs to lay parcels out in it.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// The park record.
    pub(crate) park: Park,
    /// Short name (经开, 电气谷 …).
    pub(crate) short: String,
    /// Place name that starts enterprise names (许昌, 长葛 …).
    pub(crate) place: &'static str,
    /// One-character prefix of certificate and contract numbers (许, 长 …).
    pub(crate) abbr: &'static str,
    /// Local frame at the park centre; its grid angle is the street grid's.
    pub(crate) frame: Frame,
    /// Boundary ring, metres east/north of the centre, anticlockwise, open.
    pub(crate) ring: Vec<(f64, f64)>,
    /// Area of the boundary, m² (planar, for sharing parcels out).
    pub(crate) area_m2: f64,
    /// Lead industries of the cluster.
    pub(crate) lead_industries: Vec<String>,
}

/// Place name and certificate prefix by county code.
fn place_of(code: &str) -> (&'static str, &'static str) {
    match code {
        "411082" => ("长葛", "长"),
        "411081" => ("禹州", "禹"),
        "411024" => ("鄢陵", "鄢"),
        "411025" => ("襄城", "襄"),
        _ => ("许昌", "许"),
    }
}

fn meta(i: usize, c: &Cluster) -> (String, String) {
    PARK_META
        .iter()
        .find(|(n, _, _)| *n == c.name)
        .map(|(_, id, short)| ((*id).to_owned(), (*short).to_owned()))
        .unwrap_or_else(|| (format!("park-{}", i + 1), c.name.clone()))
}

/// A star-shaped, nearly convex ring of 12–16 vertices with the given area, centred on 0.
fn boundary_ring(rng: &mut ChaCha8Rng, area_m2: f64) -> Vec<(f64, f64)> {
    let n = rng.random_range(12..=16);
    let step = std::f64::consts::TAU / n as f64;
    let start = rng.random_range(0.0..step);
    let raw: Vec<(f64, f64)> = (0..n)
        .map(|k| {
            let a = start + step * (k as f64 + rng.random_range(-0.3..0.3));
            let r = 1.0 + rng.random_range(-0.1..0.1);
            (r * a.cos(), r * a.sin())
        })
        .collect();
    let s = (area_m2 / (shoelace2(&raw) / 2.0)).sqrt();
    raw.into_iter().map(|(x, y)| (x * s, y * s)).collect()
}

fn max_radius(ring: &[(f64, f64)]) -> f64 {
    ring.iter().map(|(x, y)| x.hypot(*y)).fold(0.0, f64::max)
}

/// Builds the parks of the plan: records, frames and non-overlapping boundaries.
pub(crate) fn build(plan: &PilotPlan, rng: &mut ChaCha8Rng) -> Vec<Site> {
    let mut rings: Vec<Vec<(f64, f64)>> = plan
        .clusters
        .iter()
        .map(|c| {
            let km2 = c
                .area_km2
                .and_then(|a| a.to_f64())
                .unwrap_or(DEFAULT_AREA_KM2);
            boundary_ring(rng, km2 * 1e6)
        })
        .collect();
    // Shrink pairs of parks whose boundaries could touch (中原电气谷 and 尚集 are ~3 km apart).
    let city = Frame::new(113.85, 34.03, 0.0);
    let centres: Vec<(f64, f64)> = plan
        .clusters
        .iter()
        .map(|c| {
            city.to_metric(Coord {
                x: c.center_lon,
                y: c.center_lat,
            })
        })
        .collect();
    for i in 0..rings.len() {
        for j in i + 1..rings.len() {
            let d = (centres[i].0 - centres[j].0).hypot(centres[i].1 - centres[j].1);
            let reach = max_radius(&rings[i]) + max_radius(&rings[j]);
            if reach + PARK_GAP_M > d {
                let f = ((d - PARK_GAP_M) / reach).max(0.05);
                for k in [i, j] {
                    for p in &mut rings[k] {
                        *p = (p.0 * f, p.1 * f);
                    }
                }
            }
        }
    }
    plan.clusters
        .iter()
        .zip(rings)
        .enumerate()
        .map(|(i, (c, ring))| site(plan, i, c, ring, rng))
        .collect()
}

fn site(
    plan: &PilotPlan,
    i: usize,
    c: &Cluster,
    ring: Vec<(f64, f64)>,
    rng: &mut ChaCha8Rng,
) -> Site {
    let (id, short) = meta(i, c);
    // 许昌城乡一体化示范区 is not in [admin_codes]: `admin_code` maps it to 建安区 411003. A name
    // missing for any other reason falls back to the city, 许昌市 411000.
    let (jname, code) = plan
        .admin_code(&c.jurisdiction)
        .or_else(|| plan.admin_code("许昌市"))
        .map(|(n, a)| (n.to_owned(), a.clone()))
        .unwrap_or_else(|| ("许昌市".to_owned(), fallback_code()));
    let (place, abbr) = place_of(code.as_str());
    let frame = Frame::new(c.center_lon, c.center_lat, rng.random_range(-0.2..0.2));
    let mut coords: Vec<Coord<f64>> = ring.iter().map(|&(x, y)| frame.to_lonlat(x, y)).collect();
    coords.push(coords[0]);
    let area_m2 = shoelace2(&ring) / 2.0;
    let park = Park {
        id: ParkId::parse(&id).unwrap_or_else(|_| fallback_park_id(i)),
        name: c.name.clone(),
        aliases: c
            .alias
            .iter()
            .map(|a| ParkAlias {
                name: a.clone(),
                valid_from: None,
                valid_to: None,
            })
            .collect(),
        jurisdiction: Jurisdiction { code, name: jname },
        lead_industries: c.lead_industries.clone(),
        tax_per_mu_target: TaxPerMuTarget {
            min_wan: c.tax_per_mu_min,
            max_wan: c.tax_per_mu_max,
        },
        area_km2: c.area_km2,
        roles: c.roles.clone(),
        boundary: Some(MultiPolygon(vec![Polygon::new(LineString(coords), vec![])])),
    };
    Site {
        park,
        short,
        place,
        abbr,
        frame,
        ring,
        area_m2,
        lead_industries: c.lead_industries.clone(),
    }
}

fn fallback_code() -> landcycle_domain::AdminCode {
    // "411000" is a valid GB/T 2260 code (许昌市); parsing it cannot fail.
    landcycle_domain::AdminCode::parse("411000").expect("411000 is a valid division code")
}

fn fallback_park_id(i: usize) -> ParkId {
    ParkId::parse(&format!("park-{}", i + 1)).expect("park-N is a valid park id")
}
