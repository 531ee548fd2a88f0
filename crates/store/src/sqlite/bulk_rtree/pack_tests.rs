//! The node encoding and the float32 rounding against SQLite's own rtree module, and the
//! packed tree's shape.
#![allow(clippy::unwrap_used)]

use super::super::shadow;
use super::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// 4 + 24 × 51: the node size of a table created with 4 KiB pages.
const NODE: usize = 1228;

fn rtree() -> rusqlite::Connection {
    let c = rusqlite::Connection::open_in_memory().unwrap();
    c.execute_batch("CREATE VIRTUAL TABLE t USING rtree(id, minx, maxx, miny, maxy);")
        .unwrap();
    c
}

/// Doubles of every kind the rtree rounds: lon/lat with many digits, negatives, tiny and
/// large magnitudes, values a float32 holds exactly, and zero.
fn doubles(n: usize) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut v = vec![
        0.0, -0.0, 1.0, -1.0, 0.5, 113.5, -113.5, 1e-40, -1e-40, 3.4e38, -3.4e38,
    ];
    for _ in 0..n {
        let d = match rng.random_range(0..4) {
            0 => rng.random_range(73.0..136.0),
            1 => rng.random_range(-180.0..180.0),
            2 => rng.random_range(-1.0..1.0) * 10f64.powi(rng.random_range(-30..30)),
            _ => f64::from(rng.random_range(-1e6f32..1e6)),
        };
        v.push(d);
    }
    v
}

#[test]
fn rounding_matches_what_the_rtree_module_stores() {
    let c = rtree();
    let ds = doubles(20_000);
    let mut ins = c
        .prepare("INSERT INTO t VALUES (?1, ?2, ?2, ?2, ?2)")
        .unwrap();
    for (i, d) in ds.iter().enumerate() {
        ins.execute(rusqlite::params![i as i64, d]).unwrap();
    }
    let mut q = c.prepare("SELECT minx, maxx FROM t WHERE id = ?1").unwrap();
    for (i, &d) in ds.iter().enumerate() {
        let (lo, hi): (f64, f64) = q
            .query_row([i as i64], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        assert_eq!(
            (round_down(d).to_bits(), round_up(d).to_bits()),
            ((lo as f32).to_bits(), (hi as f32).to_bits()),
            "{d:e}"
        );
        // Outwards — except below float32's normal range, where rtree.c's one-ulp scaling
        // of a subnormal rounds back to the same value (and so does ours, as asserted above).
        if d == 0.0 || d.abs() >= f64::from(f32::MIN_POSITIVE) {
            assert!(
                f64::from(round_down(d)) <= d && d <= f64::from(round_up(d)),
                "{d:e}"
            );
        }
    }
}

#[test]
fn a_cell_refuses_what_the_rtree_refuses() {
    assert!(Cell::outward(1, [2.0, 1.0, 0.0, 1.0]).is_none());
    assert!(Cell::outward(1, [0.0, 1.0, f64::NAN, 1.0]).is_none());
    let c = Cell::outward(9, [113.1, 113.2, 33.1, 33.1]).unwrap();
    assert!(
        c.r[0] < c.r[1] && c.r[2] < c.r[3],
        "a point's y widens outwards: {c:?}"
    );
}

#[test]
fn a_node_is_depth_count_then_big_endian_cells() {
    let cells = vec![
        Cell {
            id: 0x0102_0304_0506_0708,
            r: [1.0, 2.0, -3.0, 4.5],
        },
        Cell {
            id: -2,
            r: [0.0, 0.0, 0.0, 0.0],
        },
    ];
    let p = pack(cells, NODE);
    assert_eq!((p.depth, p.nodes.len(), p.parents.len()), (0, NODE, 0));
    let n = &p.nodes;
    assert_eq!(&n[..4], &[0, 0, 0, 2]);
    assert_eq!(&n[4..12], &[1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(&n[12..16], &1.0f32.to_be_bytes());
    assert_eq!(&n[16..20], &[0x40, 0, 0, 0]); // 2.0
    assert_eq!(&n[20..24], &(-3.0f32).to_be_bytes());
    assert_eq!(&n[24..28], &4.5f32.to_be_bytes());
    assert_eq!(&n[28..36], &(-2i64).to_be_bytes());
    assert!(
        n[52..].iter().all(|&b| b == 0),
        "the rest of the node is zero"
    );
    assert_eq!(p.rowids, vec![(-2, 1), (0x0102_0304_0506_0708, 1)]);
}

fn random_cells(n: usize, seed: u64) -> Vec<Cell> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let (x, y) = (rng.random_range(113.0..114.0), rng.random_range(33.0..34.0));
            let (w, h) = (rng.random_range(0.0..0.01), rng.random_range(0.0..0.01));
            Cell::outward(i as i64 * 3 + 1, [x, x + w, y, y + h]).unwrap()
        })
        .collect()
}

/// Decodes node `no` of `p`: (depth field, cells).
fn node(p: &Packed, no: i64) -> (u16, Vec<Cell>) {
    let b = &p.nodes[(no as usize - 1) * p.node_size..no as usize * p.node_size];
    let n = u16::from_be_bytes([b[2], b[3]]) as usize;
    let cells = b[4..]
        .chunks_exact(CELL_BYTES)
        .take(n)
        .map(|c| Cell {
            id: i64::from_be_bytes(c[..8].try_into().unwrap()),
            r: std::array::from_fn(|k| {
                f32::from_be_bytes(c[8 + 4 * k..12 + 4 * k].try_into().unwrap())
            }),
        })
        .collect();
    (u16::from_be_bytes([b[0], b[1]]), cells)
}

/// Walks the tree from the root: every entry once, in a leaf at the same depth, inside
/// its parents' boxes; nodes full but for rounding; the maps agree with the nodes.
fn check_shape(p: &Packed, want: &[Cell]) {
    let cap = capacity(p.node_size);
    let mut found = Vec::new();
    let mut parents = Vec::new();
    let mut rowids = Vec::new();
    let mut stack = vec![(1i64, p.depth, None::<[f32; 4]>)];
    while let Some((no, depth, within)) = stack.pop() {
        let (d, cells) = node(p, no);
        assert_eq!(d, if no == 1 { p.depth } else { 0 });
        assert!(cells.len() <= cap);
        if no != 1 {
            assert!(cells.len() >= cap / 2, "node {no}: {} cells", cells.len());
        }
        for c in &cells {
            if let Some(b) = within {
                assert!(b[0] <= c.r[0] && c.r[1] <= b[1] && b[2] <= c.r[2] && c.r[3] <= b[3]);
            }
            if depth == 0 {
                found.push(*c);
                rowids.push((c.id, no));
            } else {
                parents.push((c.id, no));
                stack.push((c.id, depth - 1, Some(c.r)));
            }
        }
    }
    let mut want = want.to_vec();
    want.sort_by_key(|c| c.id);
    found.sort_by_key(|c| c.id);
    assert_eq!(found, want);
    parents.sort_unstable();
    rowids.sort_unstable();
    assert_eq!(p.parents, parents);
    assert_eq!(p.rowids, rowids);
    assert_eq!(p.nodes.len() / p.node_size, parents.len() + 1);
}

#[test]
fn packed_trees_hold_every_entry_in_full_nodes() {
    for n in [0, 1, 51, 52, 101, 2_601, 2_602, 20_000, 140_000] {
        let cells = random_cells(n, n as u64);
        let p = pack(cells.clone(), NODE);
        check_shape(&p, &cells);
        let leaves = n.div_ceil(51).max(1);
        let height = if n <= 51 {
            0
        } else if n <= 2_601 {
            1
        } else if n <= 132_651 {
            2
        } else {
            3
        };
        assert_eq!(p.depth, height, "{n} entries");
        assert!(p.nodes.len() / NODE >= leaves);
    }
    // A smaller node (1 KiB pages: 960 bytes, 39 cells).
    let cells = random_cells(5_000, 3);
    check_shape(&pack(cells.clone(), 960), &cells);
}

#[test]
fn a_packed_tree_passes_rtreecheck_and_answers_like_one_built_row_by_row() {
    let cells = random_cells(30_000, 11);
    let mut c = rtree();
    c.execute_batch("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy);")
        .unwrap();
    let tx = c.transaction().unwrap();
    {
        let mut ins = tx
            .prepare("INSERT INTO r VALUES (?1, ?2, ?3, ?4, ?5)")
            .unwrap();
        for c in &cells {
            let [a, b, d, e] = c.r.map(f64::from);
            ins.execute(rusqlite::params![c.id, a, b, d, e]).unwrap();
        }
    }
    let size = shadow::node_size(&tx, "t").unwrap();
    assert_eq!(size, NODE);
    shadow::replace(&tx, "t", &pack(cells.clone(), size)).unwrap();
    let check: String = tx
        .query_row("SELECT rtreecheck('t')", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_eq!(shadow::count(&tx, "t").unwrap(), 30_000);
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for _ in 0..300 {
        let (x, y) = (rng.random_range(112.9..114.0), rng.random_range(32.9..34.0));
        let (w, h) = (rng.random_range(0.0..0.2), rng.random_range(0.0..0.2));
        let ids = |t: &str| -> Vec<i64> {
            tx.prepare(&format!(
                "SELECT id FROM {t} WHERE maxx >= ?1 AND minx <= ?2 AND maxy >= ?3 AND miny <= ?4 ORDER BY id"
            ))
            .unwrap()
            .query_map(rusqlite::params![x, x + w, y, y + h], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        };
        assert_eq!(ids("t"), ids("r"));
    }
    // The virtual table keeps working on the packed tree: updates, deletes, inserts.
    tx.execute_batch(
        "DELETE FROM t WHERE id % 7 = 0;
         UPDATE t SET minx = minx + 0.5, maxx = maxx + 0.5 WHERE id % 5 = 0;
         INSERT INTO t VALUES (2, 113.0, 113.1, 33.0, 33.1);",
    )
    .unwrap();
    let check: String = tx
        .query_row("SELECT rtreecheck('t')", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let kept = cells.iter().filter(|c| c.id % 7 != 0).count();
    assert_eq!(shadow::entries(&tx, "t").unwrap().len(), kept + 1);
}
