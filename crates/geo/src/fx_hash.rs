//! A fast non-cryptographic hasher for small in-process tables.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The multiply-rotate hash of rustc (FxHash), for the MVT layer's key and value tables: their
/// keys are short texts and numbers hashed once or twice per feature, where SipHash's flood
/// resistance buys nothing (the store's attribute values, at most 50,000 features a tile) and
/// cost a tenth of a z10 tile's time.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A map to table indexes hashed with [`Fx`].
pub(crate) type FxMap<K> = HashMap<K, u32, BuildHasherDefault<Fx>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn equal_keys_hash_equal_and_near_keys_differ() {
        let b = BuildHasherDefault::<Fx>::default();
        assert_eq!(
            b.hash_one("411002001001GB00001"),
            b.hash_one("411002001001GB00001")
        );
        assert_ne!(
            b.hash_one("411002001001GB00001"),
            b.hash_one("411002001001GB00002")
        );
        assert_ne!(b.hash_one(1u64), b.hash_one(2u64));
    }
}
