//! Replays the ops the way the registry applies them (without geometry or storage) to check
//! that every step is legal and to learn each parcel's final state.

use crate::DemoOp;
use jiff::civil::Date;
use landcycle_domain::{ParcelDraft, ParcelId, ParcelLifecycle, SupplyDraft};
use std::collections::{BTreeMap, BTreeSet};

/// A parcel's state after the last op.
#[derive(Debug, Clone)]
pub(crate) struct Final {
    pub(crate) draft: ParcelDraft,
    /// The latest supply record.
    pub(crate) supply: Option<SupplyDraft>,
}

/// The outcome of a replay.
#[derive(Debug, Default)]
pub(crate) struct Replay {
    pub(crate) live: BTreeMap<ParcelId, Final>,
    pub(crate) created: usize,
    pub(crate) updates: usize,
    pub(crate) splits: usize,
    pub(crate) merges: usize,
    pub(crate) supplies: usize,
    /// Everything the registry would refuse, or that breaks the generator's own invariants.
    pub(crate) problems: Vec<String>,
}

impl Replay {
    fn born(&mut self, seen: &mut BTreeSet<ParcelId>, id: ParcelId, f: Final) {
        if !seen.insert(id) {
            self.problems.push(format!("parcel id {id} used twice"));
        }
        self.created += 1;
        self.live.insert(id, f);
    }

    fn take(&mut self, id: ParcelId, what: &str) -> Option<Final> {
        let f = self.live.remove(&id);
        if f.is_none() {
            self.problems
                .push(format!("{what}: parcel {id} is not live"));
        }
        f
    }
}

/// Replays `ops` in order.
pub(crate) fn replay(ops: &[DemoOp]) -> Replay {
    let mut r = Replay::default();
    let mut seen = BTreeSet::new();
    let mut last: Option<Date> = None;
    for op in ops {
        let on = op.on();
        if last.is_some_and(|l| on < l) {
            r.problems
                .push(format!("op on {on} comes after one on {last:?}"));
        }
        last = Some(on);
        match op {
            DemoOp::CreateParcel { id, draft, .. } => {
                if draft.status != ParcelLifecycle::ApprovedUnsupplied {
                    r.problems
                        .push(format!("parcel {id} is created as {}", draft.status));
                }
                let f = Final {
                    draft: draft.clone(),
                    supply: None,
                };
                r.born(&mut seen, *id, f);
            }
            DemoOp::UpdateParcel { id, draft, .. } => {
                r.updates += 1;
                if let Some(mut f) = r.take(*id, "update") {
                    if let Err(e) = f.draft.status.check_transition(draft.status) {
                        r.problems.push(format!("parcel {id} on {on}: {e}"));
                    }
                    f.draft = draft.clone();
                    r.live.insert(*id, f);
                }
            }
            DemoOp::SplitParcel {
                parent, children, ..
            } => {
                r.splits += 1;
                let p = r.take(*parent, "split");
                if children.len() < 2 {
                    r.problems
                        .push(format!("split of {parent} has {} parts", children.len()));
                }
                for (cid, d) in children {
                    if p.as_ref().is_some_and(|p| p.draft.status != d.status) {
                        r.problems
                            .push(format!("split child {cid} changes the status"));
                    }
                    let f = Final {
                        draft: d.clone(),
                        supply: None,
                    };
                    r.born(&mut seen, *cid, f);
                }
            }
            DemoOp::MergeParcels { parents, child, .. } => {
                r.merges += 1;
                for p in parents {
                    r.take(*p, "merge");
                }
                let f = Final {
                    draft: child.1.clone(),
                    supply: None,
                };
                r.born(&mut seen, child.0, f);
            }
            DemoOp::AddSupply { draft, .. } => {
                r.supplies += 1;
                match r.live.get_mut(&draft.parcel_id) {
                    Some(f) => {
                        if f.draft.enterprise.as_deref() != Some(draft.enterprise.as_str()) {
                            r.problems.push(format!(
                                "supply of {} names another land user",
                                draft.parcel_id
                            ));
                        }
                        f.supply = Some(draft.clone());
                    }
                    None => r.problems.push(format!(
                        "supply for parcel {} that is not live",
                        draft.parcel_id
                    )),
                }
            }
        }
    }
    r
}
