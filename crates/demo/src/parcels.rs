//! Parcel layout: a street grid of blocks inside each park boundary, each block cut
//! (guillotine-wise) into rectangles of 5–150 亩 that tile it. Parcels never overlap and keep a
//! margin from the park boundary.

use crate::geom::{Rect, quad_inside_ring};
use crate::parks::Site;
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// Smallest parcel, m² (a little over 5 亩 = 3 333.3 m²).
pub(crate) const MIN_M2: f64 = 3_400.0;
/// Largest parcel, m² (150 亩).
pub(crate) const MAX_M2: f64 = 100_000.0;
/// Road width between blocks, cm.
const ROAD_CM: i64 = 3_000;
/// Distance kept between a block and the park boundary, cm.
const MARGIN_CM: i64 = 1_500;
/// Cuts fall on whole decimetres.
const SNAP_CM: i64 = 10;

/// One parcel's place in the layout.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    /// Park index.
    pub(crate) park: usize,
    /// Block number in the park (→ 地籍子区).
    pub(crate) block: usize,
    /// Block column and row (→ road names of the address).
    pub(crate) col: usize,
    pub(crate) row: usize,
    /// Parcel number inside its block.
    pub(crate) k: usize,
    /// The rectangle, in the park's grid.
    pub(crate) rect: Rect,
    /// The other half of the last cut, when it is a parcel too (both tile their union).
    pub(crate) sibling: Option<usize>,
}

struct Block {
    rect: Rect,
    col: usize,
    row: usize,
}

/// The blocks of a park's street grid that lie inside its boundary with a margin.
fn blocks(site: &Site, rng: &mut ChaCha8Rng) -> Vec<Block> {
    let f = &site.frame;
    let grid: Vec<(f64, f64)> = site
        .ring
        .iter()
        .map(|&(x, y)| f.metric_to_grid(x, y))
        .collect();
    let (umin, umax, vmin, vmax) = grid.iter().fold(
        (f64::MAX, f64::MIN, f64::MAX, f64::MIN),
        |(a, b, c, d), &(u, v)| (a.min(u), b.max(u), c.min(v), d.max(v)),
    );
    let bw = rng.random_range(32_000..48_000i64) / SNAP_CM * SNAP_CM;
    let bd = rng.random_range(22_000..32_000i64) / SNAP_CM * SNAP_CM;
    let (u_start, v_start) = ((umin * 100.0) as i64, (vmin * 100.0) as i64);
    let cols = ((umax - umin) * 100.0) as i64 / (bw + ROAD_CM) + 1;
    let rows = ((vmax - vmin) * 100.0) as i64 / (bd + ROAD_CM) + 1;
    let mut out = Vec::new();
    for row in 0..rows {
        for col in 0..cols {
            let u0 = u_start + col * (bw + ROAD_CM);
            let v0 = v_start + row * (bd + ROAD_CM);
            let rect = Rect {
                u0,
                v0,
                u1: u0 + bw,
                v1: v0 + bd,
            };
            if quad_inside_ring(&rect.grown(MARGIN_CM).corners_metric(f), &site.ring) {
                out.push(Block {
                    rect,
                    col: col as usize,
                    row: row as usize,
                });
            }
        }
    }
    out
}

struct Leaf {
    rect: Rect,
    block: usize,
    sibling: Option<usize>,
}

/// Cuts `r` along its longer side at `frac` (snapped), or `None` when a piece would be too small.
pub(crate) fn cut(r: &Rect, frac: f64) -> Option<(Rect, Rect)> {
    let (a, b) = if r.width_cm() >= r.height_cm() {
        let at = r.u0 + ((r.width_cm() as f64 * frac) as i64) / SNAP_CM * SNAP_CM;
        (Rect { u1: at, ..*r }, Rect { u0: at, ..*r })
    } else {
        let at = r.v0 + ((r.height_cm() as f64 * frac) as i64) / SNAP_CM * SNAP_CM;
        (Rect { v1: at, ..*r }, Rect { v0: at, ..*r })
    };
    (a.area_m2() >= MIN_M2 && b.area_m2() >= MIN_M2).then_some((a, b))
}

/// A target parcel size: skewed to small parcels, scaled by `scale`, within 5–150 亩.
fn target(rng: &mut ChaCha8Rng, scale: f64) -> f64 {
    let u: f64 = rng.random();
    (scale * MIN_M2 * 30f64.powf(u * u)).clamp(MIN_M2, MAX_M2)
}

fn subdivide(
    r: Rect,
    block: usize,
    rng: &mut ChaCha8Rng,
    scale: f64,
    out: &mut Vec<Leaf>,
) -> Option<usize> {
    let a = r.area_m2();
    let t = target(rng, scale);
    let frac = if a < 3.0 * MIN_M2 {
        0.5
    } else {
        rng.random_range(0.3..0.7)
    };
    let pieces = if a > MAX_M2 || a > t {
        cut(&r, frac)
    } else {
        None
    };
    match pieces {
        None => {
            out.push(Leaf {
                rect: r,
                block,
                sibling: None,
            });
            Some(out.len() - 1)
        }
        Some((p, q)) => {
            let i = subdivide(p, block, rng, scale, out);
            let j = subdivide(q, block, rng, scale, out);
            if let (Some(i), Some(j)) = (i, j) {
                out[i].sibling = Some(j);
                out[j].sibling = Some(i);
            }
            None
        }
    }
}

fn subdivide_all(blocks: &[Block], rng: &mut ChaCha8Rng, scale: f64) -> Vec<Leaf> {
    let mut out = Vec::new();
    for (b, blk) in blocks.iter().enumerate() {
        subdivide(blk.rect, b, rng, scale, &mut out);
    }
    out
}

/// Lays out `n` parcels in a park (fewer when the park cannot hold that many).
fn layout_park(p: usize, site: &Site, n: usize, rng: &mut ChaCha8Rng) -> Vec<Slot> {
    if n == 0 {
        return Vec::new();
    }
    let blocks = blocks(site, rng);
    let usable: f64 = blocks.iter().map(|b| b.rect.area_m2()).sum();
    // Calibrate the size scale so the cut yields a few more leaves than needed.
    let want = n as f64 * 1.03;
    let mut scale = (usable / want / (MIN_M2 * 5.6)).clamp(0.05, 50.0);
    let mut leaves = Vec::new();
    for _ in 0..6 {
        let mut trial = rng.clone();
        leaves = subdivide_all(&blocks, &mut trial, scale);
        let ratio = leaves.len() as f64 / want;
        if (0.99..1.06).contains(&ratio) {
            break;
        }
        scale = (scale * ratio).clamp(0.05, 50.0);
    }
    let _: u64 = rng.random(); // move past the trials' draws
    // Too few: halve the largest leaves (the halves become siblings).
    while leaves.len() < n {
        let Some((i, _)) = leaves
            .iter()
            .enumerate()
            .filter(|(_, l)| l.rect.area_m2() >= 2.0 * MIN_M2)
            .max_by(|a, b| {
                a.1.rect
                    .area_cm2()
                    .cmp(&b.1.rect.area_cm2())
                    .then(b.0.cmp(&a.0))
            })
        else {
            break;
        };
        let Some((a, b)) = cut(&leaves[i].rect, 0.5) else {
            break;
        };
        if let Some(s) = leaves[i].sibling {
            leaves[s].sibling = None;
        }
        let j = leaves.len();
        leaves[i].rect = a;
        leaves[i].sibling = Some(j);
        leaves.push(Leaf {
            rect: b,
            block: leaves[i].block,
            sibling: Some(i),
        });
    }
    // Too many: leave a random few out (vacant land, not in the registry).
    let mut keep: Vec<bool> = vec![true; leaves.len()];
    if leaves.len() > n {
        let mut idx: Vec<usize> = (0..leaves.len()).collect();
        idx.shuffle(rng);
        for &i in idx.iter().take(leaves.len() - n) {
            keep[i] = false;
        }
    }
    let mut new_index = vec![usize::MAX; leaves.len()];
    let mut k_in_block = vec![0usize; blocks.len()];
    let mut out: Vec<Slot> = Vec::with_capacity(n);
    for (i, l) in leaves.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        new_index[i] = out.len();
        k_in_block[l.block] += 1;
        out.push(Slot {
            park: p,
            block: l.block,
            col: blocks[l.block].col,
            row: blocks[l.block].row,
            k: k_in_block[l.block],
            rect: l.rect,
            sibling: None,
        });
    }
    for (i, l) in leaves.iter().enumerate() {
        if let (true, Some(s)) = (keep[i], l.sibling)
            && keep[s]
        {
            out[new_index[i]].sibling = Some(new_index[s]);
        }
    }
    out
}

/// Lays out every park's parcels: `counts[p]` in park `p`. Slot indices are global.
pub(crate) fn layout(sites: &[Site], counts: &[usize], rng: &mut ChaCha8Rng) -> Vec<Slot> {
    let mut all = Vec::new();
    for (p, (site, &n)) in sites.iter().zip(counts).enumerate() {
        let base = all.len();
        for mut s in layout_park(p, site, n, rng) {
            s.sibling = s.sibling.map(|j| j + base);
            all.push(s);
        }
    }
    all
}

/// Shares `total` out in proportion to `weights` (largest remainder; ties to the lower index).
pub(crate) fn share(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 || weights.is_empty() {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut out: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut rest: Vec<(usize, f64)> = exact
        .iter()
        .enumerate()
        .map(|(i, e)| (i, e - e.floor()))
        .collect();
    rest.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let missing = total.saturating_sub(out.iter().sum());
    for &(i, _) in rest.iter().take(missing) {
        out[i] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up() {
        assert_eq!(share(10, &[1.0, 1.0, 1.0]), vec![4, 3, 3]);
        assert_eq!(share(7, &[0.0, 2.0]), vec![0, 7]);
        assert_eq!(share(5, &[]), Vec::<usize>::new());
    }

    #[test]
    fn cuts_tile_and_respect_the_minimum() {
        let r = Rect {
            u0: 0,
            v0: 0,
            u1: 30_000,
            v1: 20_000,
        };
        let (a, b) = cut(&r, 0.37).unwrap();
        assert_eq!(a.area_cm2() + b.area_cm2(), r.area_cm2());
        assert_eq!(a.u1, b.u0);
        let small = Rect {
            u0: 0,
            v0: 0,
            u1: 6_000,
            v1: 10_000,
        };
        assert!(
            cut(&small, 0.5).is_none(),
            "30 m × 100 m halves are below 5 亩"
        );
    }
}
