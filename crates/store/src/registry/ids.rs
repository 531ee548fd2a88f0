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
    (0..n).map(move |i| {
        let c = i as u128 & 0xffff_ffff;
        let random = Uuid::new_v4().as_u128() & ((1u128 << 42) - 1);
        let v = (ms & 0xffff_ffff_ffff) << 80
            | 0x7 << 76
            | (c >> 20) << 64
            | 0b10 << 62
            | (c & 0xf_ffff) << 42
            | random;
        Uuid::from_u128(v)
    })
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
    }
}
