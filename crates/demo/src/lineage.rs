//! Splits (分割) and merges (合并): new parcels that name their parents. Split pieces tile the
//! parent exactly; a merged parcel is the union rectangle of two siblings of one block.

use crate::DemoOp;
use crate::dates::{Day, to_date};
use crate::geom::Rect;
use crate::history::{HORIZON, Kind, between};
use crate::parcels::{MIN_M2, cut};
use crate::stories::{PairDone, other_firm};
use crate::story::{Book, Live, uuid};
use landcycle_domain::ParcelLifecycle::{self, *};
use landcycle_domain::{ParcelId, SupplyDraft};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

/// Merges the pairs that reached production in time. Parents leave `lives`; children join.
pub(crate) fn merge_pairs(
    book: &mut Book<'_>,
    lives: &mut Vec<Option<Live>>,
    pairs: &[PairDone],
    rng: &mut ChaCha8Rng,
) {
    for p in pairs {
        let (Some(a), Some(b)) = (&lives[p.a], &lives[p.b]) else {
            continue;
        };
        let last = a.day.max(b.day);
        if a.status() != Operating || b.status() != Operating || last + 60 > HORIZON {
            continue;
        }
        let (Some(mut a), Some(mut b)) = (lives[p.a].take(), lives[p.b].take()) else {
            continue;
        };
        let on = between(rng, last + 30, HORIZON - 30);
        let rect = Rect {
            u0: a.rect.u0.min(b.rect.u0),
            v0: a.rect.v0.min(b.rect.v0),
            u1: a.rect.u1.max(b.rect.u1),
            v1: a.rect.v1.max(b.rect.v1),
        };
        book.retire(&mut a, on);
        book.retire(&mut b, on);
        let mut child = offspring(book, rng, &a, rect, on, format!("{}（合并）", a.plot));
        child.draft.legacy_codes =
            [a.draft.legacy_codes.clone(), b.draft.legacy_codes.clone()].concat();
        child.draft.registered_area_m2 =
            match (a.draft.registered_area_m2, b.draft.registered_area_m2) {
                (Some(x), Some(y)) => Some(x + y),
                _ => Some(child.nominal_m2()),
            };
        book.ops.push((
            on,
            DemoOp::MergeParcels {
                parents: vec![a.id, b.id],
                child: (child.id, child.draft.clone()),
                on: to_date(on),
                reason: "同一用地单位相邻宗地合并登记".into(),
            },
        ));
        if let (Some(sa), Some(sb)) = (&a.supply, &b.supply) {
            let draft = SupplyDraft {
                parcel_id: child.id,
                contract_no: format!("{}（合并变更）", sa.contract_no),
                price_yuan: sa.price_yuan + sb.price_yuan,
                ..sa.clone()
            };
            book.add_supply(rng, &mut child, draft);
        }
        lives.push(Some(child));
    }
}

/// A new parcel carved from (or merged into) `from`, keeping its attributes.
fn offspring(
    book: &mut Book<'_>,
    rng: &mut ChaCha8Rng,
    from: &Live,
    rect: Rect,
    on: Day,
    plot: String,
) -> Live {
    let site = &book.sites[book.slots[from.slot].park];
    let mut draft = from.draft.clone();
    draft.geometry = rect.to_lonlat(&site.frame);
    draft.code = book.zongdi_code(from.slot);
    draft.legacy_codes = vec![];
    draft.registered_area_m2 = Some(Decimal::new(rect.area_cm2(), 4));
    let mut live = Live {
        id: ParcelId(uuid(rng)),
        rect,
        draft,
        day: on,
        supply: None,
        plot,
        ..from.clone()
    };
    book.adopt(&mut live, on);
    live
}

/// Pieces of a split: 2, or 3 when the parcel is large enough.
fn pieces(rect: &Rect, rng: &mut ChaCha8Rng) -> Option<Vec<Rect>> {
    if rect.area_m2() >= 4.0 * MIN_M2 && rng.random_bool(0.35) {
        let (a, rest) = cut(rect, rng.random_range(0.30..0.38))?;
        let (b, c) = cut(&rest, 0.5)?;
        return Some(vec![a, b, c]);
    }
    let (a, b) = cut(rect, rng.random_range(0.35..0.65))?;
    Some(vec![a, b])
}

/// Splits about `n` parcels: most in production (分割转让), some just granted (分批建设).
pub(crate) fn split_some(
    book: &mut Book<'_>,
    lives: &mut Vec<Option<Live>>,
    kinds: &[Kind],
    n: usize,
    rng: &mut ChaCha8Rng,
) {
    let ok = |l: &Live, k: Kind, st: &[ParcelLifecycle], margin: Day| {
        matches!(k, Kind::Normal { allocation: false })
            && !l.off
            && st.contains(&l.status())
            && l.day + margin <= HORIZON
            && l.rect.area_m2() >= 2.6 * MIN_M2
    };
    let mut running: Vec<usize> = Vec::new();
    let mut granted: Vec<usize> = Vec::new();
    for (i, l) in lives.iter().enumerate() {
        let (Some(l), Some(&k)) = (l, kinds.get(i)) else {
            continue;
        };
        if ok(l, k, &[Operating], 90) {
            running.push(i);
        } else if ok(l, k, &[Granted, Delivered], 20) {
            granted.push(i);
        }
    }
    running.shuffle(rng);
    granted.shuffle(rng);
    let n_granted = (n / 5).min(granted.len());
    let chosen: Vec<(usize, bool)> = granted
        .iter()
        .take(n_granted)
        .map(|&i| (i, false))
        .chain(running.iter().take(n - n_granted).map(|&i| (i, true)))
        .collect();
    for (i, in_production) in chosen {
        let Some(parent) = lives[i].as_ref() else {
            continue;
        };
        let Some(parts) = pieces(&parent.rect, rng) else {
            continue;
        };
        let Some(mut parent) = lives[i].take() else {
            continue;
        };
        let on = if in_production {
            between(rng, parent.day + 30, HORIZON - 30)
        } else {
            between(rng, parent.day + 5, HORIZON - 5)
        };
        book.retire(&mut parent, on);
        let total = parent.rect.area_cm2();
        let mut children: Vec<Live> = Vec::new();
        for (j, r) in parts.iter().enumerate() {
            let mut c = offspring(
                book,
                rng,
                &parent,
                *r,
                on,
                format!("{}之{}", parent.plot, j + 1),
            );
            c.draft.name = format!("{}（分割{}）", parent.draft.name, j + 1);
            children.push(c);
        }
        book.ops.push((
            on,
            DemoOp::SplitParcel {
                parent: parent.id,
                children: children.iter().map(|c| (c.id, c.draft.clone())).collect(),
                on: to_date(on),
                reason: if in_production {
                    "不动产权分割登记（分割转让）".into()
                } else {
                    "项目分期建设，宗地分割".into()
                },
            },
        ));
        if let Some(s) = &parent.supply {
            for (j, c) in children.iter_mut().enumerate() {
                let share = Decimal::from(c.rect.area_cm2()) / Decimal::from(total);
                let draft = SupplyDraft {
                    parcel_id: c.id,
                    contract_no: format!("{}-{}", s.contract_no, j + 1),
                    price_yuan: (s.price_yuan * share).round_dp(2),
                    ..s.clone()
                };
                book.add_supply(rng, c, draft);
            }
        }
        // 分割转让: one piece goes to another enterprise of the park.
        if in_production && rng.random_bool(0.4) {
            let park = book.slots[parent.slot].park;
            let t = on + rng.random_range(30..=300);
            if let (Some(last), true) = (children.last_mut(), t <= HORIZON)
                && let Some(f) = other_firm(book.firms, park, parent.holder, rng)
            {
                book.set_holder(last, t, Some(f), Transferred, "分割转让，受让人变更");
            }
        }
        lives.extend(children.into_iter().map(Some));
    }
}
