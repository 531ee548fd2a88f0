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
