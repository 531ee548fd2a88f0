//! Packs R*Tree entries into full nodes, sort-tile-recursive (STR), and encodes them in the
//! node format of SQLite's `rtree` module (`ext/rtree/rtree.c`), so that a bulk write can
//! store the whole tree at once instead of inserting entry by entry (GDAL ≥ 3.7 does the
//! same with its `sqlite_rtree_bulk_load`).
//!
//! The format, from rtree.c: a node is one blob of the table's node size (the length of the
//! root's blob, set from the page size when the table was created: 4 + 24 × 51 = 1228 bytes
//! for 4 KiB pages). It starts with a 2-byte big-endian depth (read only on the root, node
//! 1: the tree's height, 0 when the root is a leaf) and a 2-byte big-endian cell count; then
//! the cells, each an 8-byte big-endian rowid (the feature's fid in a leaf, the child's
//! nodeno above) and the four coordinates minx, maxx, miny, maxy as big-endian float32.

use rayon::slice::ParallelSliceMut;

/// Bytes of one 2-D cell: rowid and four float32 coordinates.
pub(super) const CELL_BYTES: usize = 8 + 4 * 4;

/// rtree.c's `RNDTOWARDS` and `RNDAWAY`: one float32 ulp's worth of scaling.
const RND_TOWARDS: f64 = 1.0 - 1.0 / 8_388_608.0;
const RND_AWAY: f64 = 1.0 + 1.0 / 8_388_608.0;

/// A coordinate stored as a lower bound: rtree.c's `rtreeValueDown`, so that a packed entry
/// holds exactly the value an `INSERT` into the virtual table would have stored.
pub(super) fn round_down(d: f64) -> f32 {
    let f = d as f32;
    if f64::from(f) > d {
        (d * if d < 0.0 { RND_AWAY } else { RND_TOWARDS }) as f32
    } else {
        f
    }
}

/// A coordinate stored as an upper bound: rtree.c's `rtreeValueUp`.
pub(super) fn round_up(d: f64) -> f32 {
    let f = d as f32;
    if f64::from(f) < d {
        (d * if d < 0.0 { RND_TOWARDS } else { RND_AWAY }) as f32
    } else {
        f
    }
}

/// One cell: a rowid (fid, or a child's index while building) and its box as stored,
/// `[minx, maxx, miny, maxy]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Cell {
    pub id: i64,
    pub r: [f32; 4],
}

impl Cell {
    /// The cell of an entry given in double precision, rounded outwards as the virtual
    /// table's insert rounds it; `None` where the virtual table would refuse the row
    /// (`min > max` or NaN: "rtree constraint failed").
    pub(super) fn outward(id: i64, [x0, x1, y0, y1]: [f64; 4]) -> Option<Cell> {
        // `x0 <= x1` is false for NaN too.
        let ordered = |a: f64, b: f64| a.partial_cmp(&b).is_some_and(|o| o.is_le());
        if !ordered(x0, x1) || !ordered(y0, y1) {
            return None;
        }
        Some(Cell {
            id,
            r: [round_down(x0), round_up(x1), round_down(y0), round_up(y1)],
        })
    }

    /// Twice the centre on axis 0 (x) or 1 (y): the STR sort key.
    fn centre(&self, axis: usize) -> f64 {
        f64::from(self.r[2 * axis]) + f64::from(self.r[2 * axis + 1])
    }
}

/// The union of the boxes of `cells` (not empty).
fn union(cells: &[Cell]) -> [f32; 4] {
    let mut r = cells[0].r;
    for c in &cells[1..] {
        r[0] = r[0].min(c.r[0]);
        r[1] = r[1].max(c.r[1]);
        r[2] = r[2].min(c.r[2]);
        r[3] = r[3].max(c.r[3]);
    }
    r
}

/// How many cells a node of `node_size` bytes holds (rtree.c: `(iNodeSize-4)/nBytesPerCell`).
pub(super) fn capacity(node_size: usize) -> usize {
    node_size.saturating_sub(4) / CELL_BYTES
}

/// A packed tree, ready for the shadow tables.
#[derive(Debug)]
pub(super) struct Packed {
    /// The node blobs in nodeno order (nodeno 1, the root, first), each `node_size` bytes.
    pub nodes: Vec<u8>,
    pub node_size: usize,
    /// `(nodeno, parent nodeno)` of every node but the root, by nodeno.
    pub parents: Vec<(i64, i64)>,
    /// `(rowid, leaf nodeno)` of every entry, by rowid.
    pub rowids: Vec<(i64, i64)>,
    /// The tree's height: 0 when the root is the only (leaf) node.
    pub depth: u16,
}

/// One level of the tree below the root: its cells in tile order and where each node's
/// cells start (with the end as the last element).
struct Level {
    cells: Vec<Cell>,
    starts: Vec<usize>,
}

/// Packs `entries` (distinct rowids) into a tree of nodes of `node_size` bytes.
///
/// Each level is tiled by STR: the cells sorted by the x of their centres, cut into ⌈√P⌉
/// vertical slices (P nodes on the level), each slice sorted by y and cut into nodes. The
/// P = ⌈n / capacity⌉ nodes share the n cells evenly (sizes differ by at most one), so
/// every node is full or one short of full, except on levels of fewer cells than two nodes.
pub(super) fn pack(entries: Vec<Cell>, node_size: usize) -> Packed {
    let cap = capacity(node_size);
    assert!(
        cap >= 3,
        "an R*Tree node of {node_size} bytes holds fewer than 3 cells"
    );
    let mut levels: Vec<Level> = Vec::new();
    let mut items = entries;
    while items.len() > cap {
        let starts = tile(&mut items, cap);
        let up = starts
            .windows(2)
            .enumerate()
            .map(|(i, w)| Cell {
                id: i as i64,
                r: union(&items[w[0]..w[1]]),
            })
            .collect();
        levels.push(Level {
            cells: items,
            starts,
        });
        items = up;
    }
    let depth = u16::try_from(levels.len()).unwrap_or(u16::MAX);
    // Node numbers in depth-first pre-order from the root (1): a leaf's siblings, which
    // cover neighbouring ground, get neighbouring numbers and so share database pages.
    let mut nodeno: Vec<Vec<i64>> = levels.iter().map(|l| vec![0; l.starts.len() - 1]).collect();
    let mut next = 2;
    if let Some(top) = levels.len().checked_sub(1) {
        for c in &items {
            number(&levels, &mut nodeno, top, c.id as usize, &mut next);
        }
    }
    let count = (next - 1) as usize;
    let mut nodes = vec![0u8; count * node_size];
    let mut parents = vec![(0, 0); count - 1];
    let mut rowids = Vec::with_capacity(levels.first().map_or(items.len(), |l| l.cells.len()));
    // The root: its children are the top level's nodes, or the entries themselves.
    let root_child = |c: &Cell| match levels.last() {
        Some(_) => nodeno[levels.len() - 1][c.id as usize],
        None => c.id,
    };
    encode(&mut nodes[..node_size], depth, &items, root_child);
    for (lvl, level) in levels.iter().enumerate() {
        for (i, w) in level.starts.windows(2).enumerate() {
            let no = nodeno[lvl][i];
            let at = (no - 1) as usize * node_size;
            let cells = &level.cells[w[0]..w[1]];
            if lvl == 0 {
                encode(&mut nodes[at..at + node_size], 0, cells, |c| c.id);
                rowids.extend(cells.iter().map(|c| (c.id, no)));
            } else {
                let below = &nodeno[lvl - 1];
                encode(&mut nodes[at..at + node_size], 0, cells, |c| {
                    below[c.id as usize]
                });
                for c in cells {
                    parents[(below[c.id as usize] - 2) as usize] = (below[c.id as usize], no);
                }
            }
        }
    }
    if let Some(top) = nodeno.last() {
        for &no in top {
            parents[(no - 2) as usize] = (no, 1);
        }
    } else {
        rowids.extend(items.iter().map(|c| (c.id, 1)));
    }
    // By rowid: the `_rowid` table's B-tree is then filled by appending.
    rowids.par_sort_unstable();
    Packed {
        nodes,
        node_size,
        parents,
        rowids,
        depth,
    }
}

/// Gives node `i` of level `lvl` the next number, then its children (depth first).
fn number(levels: &[Level], nodeno: &mut [Vec<i64>], lvl: usize, i: usize, next: &mut i64) {
    nodeno[lvl][i] = *next;
    *next += 1;
    if lvl > 0 {
        let level = &levels[lvl];
        for c in &level.cells[level.starts[i]..level.starts[i + 1]] {
            number(levels, nodeno, lvl - 1, c.id as usize, next);
        }
    }
}

/// Orders `items` in STR tiles of nodes of at most `cap` cells; returns where each node
/// starts, with `items.len()` last.
fn tile(items: &mut [Cell], cap: usize) -> Vec<usize> {
    let n = items.len();
    let nodes = n.div_ceil(cap);
    let slices = (nodes as f64).sqrt().ceil() as usize;
    let node_len = |k: usize| n / nodes + usize::from(k < n % nodes);
    // Ties broken by rowid: the same entries always give the same tree.
    let by = |axis: usize| {
        move |a: &Cell, b: &Cell| {
            a.centre(axis)
                .total_cmp(&b.centre(axis))
                .then(a.id.cmp(&b.id))
        }
    };
    items.par_sort_unstable_by(by(0));
    let mut starts = Vec::with_capacity(nodes + 1);
    let (mut node, mut at) = (0, 0);
    for s in 0..slices {
        let in_slice = nodes / slices + usize::from(s < nodes % slices);
        let len: usize = (node..node + in_slice).map(node_len).sum();
        items[at..at + len].par_sort_unstable_by(by(1));
        for k in node..node + in_slice {
            starts.push(at);
            at += node_len(k);
        }
        node += in_slice;
    }
    starts.push(n);
    starts
}

/// Writes one node: depth (meaningful on the root only), cell count, then the cells with
/// their rowid given by `id`.
fn encode(out: &mut [u8], depth: u16, cells: &[Cell], id: impl Fn(&Cell) -> i64) {
    out[..2].copy_from_slice(&depth.to_be_bytes());
    out[2..4].copy_from_slice(&(cells.len() as u16).to_be_bytes());
    for (c, slot) in cells.iter().zip(out[4..].chunks_exact_mut(CELL_BYTES)) {
        slot[..8].copy_from_slice(&id(c).to_be_bytes());
        for (k, v) in c.r.iter().enumerate() {
            slot[8 + 4 * k..12 + 4 * k].copy_from_slice(&v.to_be_bytes());
        }
    }
}

#[cfg(test)]
#[path = "pack_tests.rs"]
mod tests;
