//! The batch half of the rule scan: each approval batch's status on the day, with the 2019
//! flags (批准满2年未征收 → 可撤回批文; 征收满3年仍未供 → 核减计划) as findings about the batch.

use super::scan::{Loci, locus_at};
use crate::error::StoreResult;
use jiff::civil::Date;
use landcycle_domain::rules::{Finding, RuleSet, batch_status};
use landcycle_domain::{AdminCode, BatchRecord, ParkId};

/// One scanned batch: where it lies, and the range of its findings in the report.
#[derive(Debug, Clone)]
pub(crate) struct ScannedBatch {
    pub(crate) id: String,
    pub(crate) jurisdiction: AdminCode,
    pub(crate) park: Option<ParkId>,
    /// `start..end` in [`super::ScanReport::findings`].
    pub(crate) findings: (usize, usize),
}

/// Runs [`batch_status`] over every batch with the rules in force at its place, appending the
/// findings to `out`.
pub(super) fn scan_batches(
    batches: &[BatchRecord],
    rules: &RuleSet,
    as_of: Date,
    loci: &mut Loci,
    out: &mut Vec<Finding>,
) -> StoreResult<Vec<ScannedBatch>> {
    let mut rows = Vec::with_capacity(batches.len());
    for b in batches {
        let at = locus_at(loci, rules, as_of, &b.jurisdiction, b.park_id.as_ref())?;
        let Some((_, prm)) = loci.get(at) else {
            continue;
        };
        let start = out.len();
        out.extend(batch_status(&b.accounting(), as_of, &prm.unsupplied).findings);
        rows.push(ScannedBatch {
            id: b.id.clone(),
            jurisdiction: b.jurisdiction.clone(),
            park: b.park_id.clone(),
            findings: (start, out.len()),
        });
    }
    Ok(rows)
}
