//! What an import's checks need from the store, read once before any row is checked: the
//! codes live parcels already carry, which parks and land users exist, the live parcels near
//! each row, and which rows of the file have envelopes that meet (candidate overlaps).
//!
//! With these in memory the row checks ([`super::import_checks::RowChecker`]) touch the store
//! no more, so they can run while the store writes the rows already checked, inside the
//! import's one transaction ([`super::Registry::import_parcels`]): the write holds the file,
//! and a reader then would wait on it.

use crate::backend::Store;
use crate::error::StoreResult;
use crate::model::ParcelQuery;
use geo::BoundingRect;
use landcycle_domain::{Parcel, ParcelDraft, ParkId, Uscc, ZongdiCode};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, Envelope, RTree, RTreeObject};
use std::collections::{HashMap, HashSet};

/// An envelope and the file row it belongs to.
type Boxed = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// The store's answers for one file's rows, and the file's own envelope pairs.
#[derive(Default)]
pub(super) struct ImportFacts {
    /// 宗地代码 of the file that live parcels already carry.
    pub(super) taken_codes: HashSet<String>,
    /// Every park the file names (as validated), and whether it exists.
    pub(super) parks: HashMap<String, bool>,
    /// Every land user the file names (as validated), and whether it is registered.
    pub(super) enterprises: HashMap<String, bool>,
    /// Live parcels whose envelopes meet a row's, by the row's number.
    pub(super) live_near: HashMap<usize, Vec<Parcel>>,
    /// Earlier rows whose envelopes meet a row's, by the later row's number.
    pub(super) earlier_near: HashMap<usize, Vec<usize>>,
    /// Rows that some later row's envelope meets: their checked geometry is kept for the
    /// exact intersection.
    pub(super) kept: HashSet<usize>,
    /// The store's generation when it was read.
    pub(super) generation: u64,
}

fn boxed(row: usize, draft: &ParcelDraft) -> Option<Boxed> {
    let r = draft.geometry.bounding_rect()?;
    Some(GeomWithData::new(
        Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
        row,
    ))
}

impl ImportFacts {
    /// Reads what the checks of `rows` (each row's number and draft, in file order) need from
    /// `store`: a few queries for the whole file, one more per row whose envelope meets a live
    /// parcel's. With `within_file`, also the pairs of rows whose envelopes meet.
    pub(super) fn gather<S: Store + ?Sized>(
        store: &S,
        rows: &[(usize, &ParcelDraft)],
        within_file: bool,
    ) -> StoreResult<Self> {
        let generation = store.generation();
        let mut facts = ImportFacts {
            generation,
            ..Self::default()
        };
        let items: Vec<Boxed> = rows.par_iter().filter_map(|(r, d)| boxed(*r, d)).collect();
        // The file's own envelope pairs need no store: found on one core while the other asks
        // the store.
        let (asked, pairs) = rayon::join(
            || facts.ask_store(store, rows, &items).map(|()| facts),
            || within_file.then(|| pair_rows(items.clone())),
        );
        let mut facts = asked?;
        for (row, earlier) in pairs.into_iter().flatten() {
            facts.kept.extend(earlier.iter().copied());
            facts.earlier_near.insert(row, earlier);
        }
        Ok(facts)
    }

    /// The codes of the file already taken, whether its parks and land users exist, and the
    /// live parcels near its rows.
    fn ask_store<S: Store + ?Sized>(
        &mut self,
        store: &S,
        rows: &[(usize, &ParcelDraft)],
        items: &[Boxed],
    ) -> StoreResult<()> {
        // Parsed as the row checks will parse them, so their answers are found by the same
        // text; a value that does not parse is refused there and needs no answer.
        let mut codes: Vec<String> = rows
            .par_iter()
            .filter_map(|(_, d)| ZongdiCode::parse_unit(trimmed(d.code.as_deref())?).ok())
            .map(|c| c.as_str().to_owned())
            .collect();
        codes.par_sort_unstable();
        codes.dedup();
        self.taken_codes = store.live_codes(&codes)?;
        let mut parks = HashSet::new();
        let mut enterprises = HashSet::new();
        for (_, d) in rows {
            if let Some(p) = d.park_id.as_deref() {
                parks.insert(p);
            }
            if let Some(u) = trimmed(d.enterprise.as_deref()) {
                enterprises.insert(u);
            }
        }
        for p in parks.into_iter().filter_map(|p| ParkId::parse(p).ok()) {
            let exists = store.park(&p)?.is_some();
            self.parks.insert(p.as_str().to_owned(), exists);
        }
        for u in enterprises.into_iter().filter_map(|u| Uscc::parse(u).ok()) {
            let exists = store.enterprise(&u)?.is_some();
            self.enterprises.insert(u.as_str().to_owned(), exists);
        }
        self.gather_live(store, items)
    }

    /// The live parcels whose envelopes meet each row's: one query of envelopes for the
    /// file's extent, then one of parcels for each row that meets one.
    fn gather_live<S: Store + ?Sized>(&mut self, store: &S, items: &[Boxed]) -> StoreResult<()> {
        let Some(extent) = items
            .iter()
            .map(|b| b.geom().envelope())
            .reduce(|a, b| a.merged(&b))
        else {
            return Ok(());
        };
        let (lo, hi) = (extent.lower(), extent.upper());
        let live: Vec<Rectangle<[f64; 2]>> = store
            .live_envelopes([lo[0], lo[1], hi[0], hi[1]])?
            .into_iter()
            .map(|[x0, y0, x1, y1]| Rectangle::from_corners([x0, y0], [x1, y1]))
            .collect();
        if live.is_empty() {
            return Ok(());
        }
        let live = RTree::bulk_load(live);
        for it in items {
            let env = AABB::from_corners(it.geom().lower(), it.geom().upper());
            if live.locate_in_envelope_intersecting(env).next().is_none() {
                continue;
            }
            let (l, u) = (env.lower(), env.upper());
            let q = ParcelQuery {
                bbox: Some([l[0], l[1], u[0], u[1]]),
                limit: 1000,
                skip_total: true,
                ..Default::default()
            };
            let near = store.parcels(&q)?.items;
            if !near.is_empty() {
                self.live_near.insert(it.data, near);
            }
        }
        Ok(())
    }
}

/// The rows whose envelopes meet an earlier row's, with those earlier rows (in order), through
/// an R-tree of the file's envelopes.
fn pair_rows(items: Vec<Boxed>) -> Vec<(usize, Vec<usize>)> {
    let queries: Vec<(usize, AABB<[f64; 2]>)> = items
        .iter()
        .map(|it| {
            let env = AABB::from_corners(it.geom().lower(), it.geom().upper());
            (it.data, env)
        })
        .collect();
    let tree = RTree::bulk_load(items);
    queries
        .into_par_iter()
        .filter_map(|(row, env)| {
            let mut earlier: Vec<usize> = tree
                .locate_in_envelope_intersecting(env)
                .map(|o| o.data)
                .filter(|&o| o < row)
                .collect();
            earlier.sort_unstable();
            (!earlier.is_empty()).then_some((row, earlier))
        })
        .collect()
}

fn trimmed(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}
