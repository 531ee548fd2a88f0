//! Reading an R*Tree's entries and replacing its whole content through its shadow tables
//! (`<name>_node`, `<name>_rowid`, `<name>_parent`), as rtree.c lays them out.
//!
//! Writing the shadow tables behind the virtual table's back is safe within the
//! transaction: rtree.c caches a node only while a statement holds it, re-reads the depth
//! whenever it loads the root, and re-opens its blob handle on `_node` when a write to the
//! table has expired it. The node size is the length of the root's blob, as rtree.c itself
//! determines it when it connects.

use super::pack::{Cell, Packed};
use crate::error::{StoreError, StoreResult};
use rusqlite::{Transaction, params};

/// The node size of R*Tree `name`: the length of its root's blob.
pub(super) fn node_size(tx: &Transaction<'_>, name: &str) -> StoreResult<usize> {
    let len: i64 = tx.query_row(
        &format!("SELECT length(data) FROM \"{name}_node\" WHERE nodeno = 1"),
        [],
        |r| r.get(0),
    )?;
    usize::try_from(len)
        .ok()
        .filter(|&n| n >= 448)
        .ok_or_else(|| StoreError::Backend(format!("{name}_node: root node of {len} bytes")))
}

/// How many entries R*Tree `name` holds (one `_rowid` row each).
pub(super) fn count(tx: &Transaction<'_>, name: &str) -> StoreResult<u64> {
    let n: i64 = tx.query_row(&format!("SELECT count(*) FROM \"{name}_rowid\""), [], |r| {
        r.get(0)
    })?;
    Ok(n.max(0) as u64)
}

/// Every entry of R*Tree `name`, as stored (float32 values, so converting back is exact).
pub(super) fn entries(tx: &Transaction<'_>, name: &str) -> StoreResult<Vec<Cell>> {
    let mut q = tx.prepare(&format!(
        "SELECT id, minx, maxx, miny, maxy FROM \"{name}\""
    ))?;
    let rows = q.query_map([], |r| {
        Ok(Cell {
            id: r.get(0)?,
            r: [
                r.get::<_, f64>(1)? as f32,
                r.get::<_, f64>(2)? as f32,
                r.get::<_, f64>(3)? as f32,
                r.get::<_, f64>(4)? as f32,
            ],
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Replaces the content of R*Tree `name` by the packed tree `p`. Each table is written in
/// key order, so its B-tree is filled by appending.
pub(super) fn replace(tx: &Transaction<'_>, name: &str, p: &Packed) -> StoreResult<()> {
    tx.execute_batch(&format!(
        "DELETE FROM \"{name}_node\"; DELETE FROM \"{name}_parent\"; DELETE FROM \"{name}_rowid\";"
    ))?;
    let mut node = tx.prepare(&format!(
        "INSERT INTO \"{name}_node\" (nodeno, data) VALUES (?1, ?2)"
    ))?;
    for (i, blob) in p.nodes.chunks_exact(p.node_size).enumerate() {
        node.execute(params![i as i64 + 1, blob])?;
    }
    let mut parent = tx.prepare(&format!(
        "INSERT INTO \"{name}_parent\" (nodeno, parentnode) VALUES (?1, ?2)"
    ))?;
    for (no, up) in &p.parents {
        parent.execute([no, up])?;
    }
    let mut rowid = tx.prepare(&format!(
        "INSERT INTO \"{name}_rowid\" (rowid, nodeno) VALUES (?1, ?2)"
    ))?;
    for (id, no) in &p.rowids {
        rowid.execute([id, no])?;
    }
    Ok(())
}
