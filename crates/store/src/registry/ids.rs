//! Parcel ids for bulk imports, in the order the parcels are written.
//!
//! Every parcel table is indexed by its id as text (`parcels_id`, `parcel_versions_id`, the
//! `event_refs` key). Random (v4) ids make each of a million inserts land on a random page of
//! each index: measured, those B-tree inserts were most of the import's write. Time-ordered
//! UUIDs (RFC 9562 version 7: Unix milliseconds, then a counter, then random bits) sort in
//! the order they are written, so the indexes are filled by appending.

use uuid::Uuid;

/// `n` UUIDv7 ids, strictly increasing, all from one millisecond timestamp: a 32-bit counter in
/// `rand_a` and the top of `rand_b` (RFC 9562 §6.2, method 1), 42 random bits below it.
pub(crate) fn ordered_ids(n: usize) -> impl Iterator<Item = Uuid> {
    let ms = u128::from(
        jiff::Timestamp::now()
            .as_millisecond()
            .max(0)
            .unsigned_abs(),
    );
    // The random bits only tell apart imports started in the same millisecond: one seed from
    // the OS and a SplitMix64 stream, where a `new_v4` per id was a system call per parcel.
    let mut state = Uuid::new_v4().as_u64_pair().0;
    (0..n).map(move |i| {
        let c = i as u128 & 0xffff_ffff;
        let random = u128::from(splitmix64(&mut state)) & ((1u128 << 42) - 1);
        let v = (ms & 0xffff_ffff_ffff) << 80
            | 0x7 << 76
            | (c >> 20) << 64
            | 0b10 << 62
            | (c & 0xf_ffff) << 42
            | random;
        Uuid::from_u128(v)
    })
}

/// One step of SplitMix64 (Steele, Lea and Flood 2014): a full-period 64-bit generator.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_7_strictly_increasing_as_text() {
        let ids: Vec<Uuid> = ordered_ids(3_000_000).step_by(997).collect();
        assert!(
            ids.iter()
                .all(|u| u.get_version_num() == 7 && u.get_variant() == uuid::Variant::RFC4122)
        );
        // The text form (what the indexes hold) sorts as the counter does.
        let text: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        assert!(text.windows(2).all(|w| w[0] < w[1]), "not increasing");
        // Milliseconds of now in the first 48 bits.
        let ms = (ids[0].as_u128() >> 80) as i64;
        assert!((jiff::Timestamp::now().as_millisecond() - ms).abs() < 60_000);
        // Two imports in the same millisecond still get different ids.
        let a: Vec<Uuid> = ordered_ids(1000).collect();
        let b: Vec<Uuid> = ordered_ids(1000).collect();
        assert!(a.iter().zip(&b).all(|(x, y)| x != y));
    }
}
