//! The numeric feature id of the vector tiles (the parcel row's `fid`) and its lookup: the map
//! finds a clicked parcel by it, so a fid must keep naming the same live parcel through edits
//! and never be handed to another one after a split, merge or end.

use super::*;
use std::collections::HashMap;

/// Every live parcel's fid, as the tiles read it.
fn fids<S: Store>(s: &S) -> HashMap<String, i64> {
    let mut out = HashMap::new();
    let q = ParcelQuery {
        bbox: Some([113.0, 33.0, 115.0, 35.0]),
        limit: 1000,
        ..Default::default()
    };
    s.tile_parcels(&q, &mut |p| {
        out.insert(p.id.to_owned(), p.fid);
    })
    .unwrap();
    out
}

pub fn feature_ids_name_one_live_parcel<S: Store>(reg: Registry<S>) {
    seed(&reg);
    let m = |r: &str, d| meta(r).effective(d);
    let a = reg
        .create_parcel(
            draft(rect(113.85, 34.03, 0.003, 0.001)),
            &m("入库", date(2022, 1, 1)),
            None,
        )
        .unwrap();
    let b = reg
        .create_parcel(
            draft(rect(113.86, 34.03, 0.001, 0.001)),
            &m("入库", date(2022, 1, 1)),
            None,
        )
        .unwrap();
    let s = reg.store();
    let before = fids(s);
    let (fa, fb) = (before[&a.id.to_string()], before[&b.id.to_string()]);
    assert_ne!(fa, fb);
    assert_eq!(s.parcel_id_by_fid(fa).unwrap(), Some(a.id));
    assert_eq!(s.parcel_id_by_fid(fb).unwrap(), Some(b.id));
    assert_eq!(s.parcel_id_by_fid(fb + 1000).unwrap(), None);

    // An update (a new version) keeps the row and so the fid.
    let mut d = draft(rect(113.85, 34.03, 0.003, 0.001));
    d.name = "改过的".into();
    reg.update_parcel(a.id, Some(1), d, &m("变更", date(2022, 2, 1)))
        .unwrap();
    assert_eq!(fids(s)[&a.id.to_string()], fa, "an update keeps the fid");
    assert_eq!(s.parcel_id_by_fid(fa).unwrap(), Some(a.id));

    // A split ends the parent's fid; the children get fids never used before.
    let kids = reg
        .split_parcel(
            a.id,
            Some(2),
            vec![
                (None, draft(rect(113.85, 34.03, 0.001, 0.001))),
                (None, draft(rect(113.851, 34.03, 0.001, 0.001))),
                (None, draft(rect(113.852, 34.03, 0.001, 0.001))),
            ],
            &m("分割", date(2022, 3, 1)),
        )
        .unwrap();
    assert_eq!(
        s.parcel_id_by_fid(fa).unwrap(),
        None,
        "the parent's fid names nothing"
    );
    let now = fids(s);
    let kid_fids: Vec<i64> = kids.iter().map(|k| now[&k.id.to_string()]).collect();
    for (k, f) in kids.iter().zip(&kid_fids) {
        assert!(*f > fb, "a new row: {f}");
        assert_eq!(s.parcel_id_by_fid(*f).unwrap(), Some(k.id));
    }

    // Ending the newest row and creating another parcel does not hand its fid on.
    let newest = *kid_fids.iter().max().unwrap();
    let last = kids[kid_fids.iter().position(|f| *f == newest).unwrap()].id;
    reg.end_parcel(last, Some(1), &m("注销", date(2022, 4, 1)))
        .unwrap();
    assert_eq!(s.parcel_id_by_fid(newest).unwrap(), None);
    let c = reg
        .create_parcel(
            draft(rect(113.87, 34.03, 0.001, 0.001)),
            &m("入库", date(2022, 5, 1)),
            None,
        )
        .unwrap();
    let fc = fids(s)[&c.id.to_string()];
    assert!(fc > newest, "fids are not reused: {fc} after {newest}");
    assert_eq!(s.parcel_id_by_fid(newest).unwrap(), None);

    // A merge: the parents' fids name nothing, the child has a fresh one.
    let rest: Vec<_> = kids
        .iter()
        .filter(|k| k.id != last)
        .map(|k| (k.id, Some(1)))
        .collect();
    let merged = reg
        .merge_parcels(
            rest,
            draft(rect(113.85, 34.03, 0.002, 0.001)),
            None,
            &m("合并", date(2022, 6, 1)),
        )
        .unwrap();
    let fm = fids(s)[&merged.id.to_string()];
    assert!(fm > fc);
    assert_eq!(s.parcel_id_by_fid(fm).unwrap(), Some(merged.id));
    for f in kid_fids {
        assert_eq!(s.parcel_id_by_fid(f).unwrap(), None);
    }
    assert_eq!(s.parcel_id_by_fid(fb).unwrap(), Some(b.id));
    assert_eq!(
        fids(s).len(),
        3,
        "b, the last created one and the merged one"
    );
}

/// `counted_parcels` gives what `parcels` and `count_parcels` give, page by page, and the
/// estimate over the cap.
pub fn counted_parcels_match_page_and_count<S: Store>(reg: Registry<S>) {
    seed(&reg);
    for i in 0..12 {
        let mut d = draft(rect(113.85 + f64::from(i) * 0.002, 34.03, 0.001, 0.001));
        if i % 3 == 0 {
            d.status = landcycle_domain::ParcelLifecycle::ApprovedUnsupplied;
            d.enterprise = None;
        }
        reg.create_parcel(d, &meta("入库"), None).unwrap();
    }
    let s = reg.store();
    let ids = |v: &[landcycle_domain::Parcel]| v.iter().map(|p| p.id).collect::<Vec<_>>();
    let boxes = [
        None,
        Some([113.8505, 34.02, 113.8625, 34.04]),
        Some([100.0, 10.0, 100.1, 10.1]),
    ];
    for bbox in boxes {
        for status in [
            vec![],
            vec![landcycle_domain::ParcelLifecycle::ApprovedUnsupplied],
        ] {
            for (limit, offset) in [(5, 0), (5, 5), (5, 10), (100, 0), (3, 50)] {
                let q = ParcelQuery {
                    bbox,
                    status: status.clone(),
                    limit,
                    offset,
                    ..Default::default()
                };
                let page = s.parcels(&q).unwrap();
                let (items, count) = s.counted_parcels(&q, 1000).unwrap();
                assert_eq!(ids(&items), ids(&page.items), "{q:?}");
                assert_eq!(count, s.count_parcels(&q, 1000).unwrap(), "{q:?}");
                // Over the cap: the same page, and an estimate as count_parcels gives it.
                let (over, est) = s.counted_parcels(&q, 2).unwrap();
                assert_eq!(ids(&over), ids(&page.items), "{q:?}");
                assert_eq!(est, s.count_parcels(&q, 2).unwrap(), "{q:?}");
            }
        }
    }
}
