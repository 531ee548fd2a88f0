//! Secrets: random tokens, session ids, CSRF tokens and generated passwords; their sha256; and
//! a comparison that takes the same time wherever two strings differ.

use sha2::{Digest, Sha256};

/// Prefix of API tokens, so that secret scanners and people recognise them.
pub const TOKEN_PREFIX: &str = "lc_";

/// `n` bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], getrandom::Error> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b)?;
    Ok(b)
}

/// 32 random bytes as 64 hex characters (session ids, CSRF tokens).
pub fn random_hex() -> Result<String, getrandom::Error> {
    Ok(hex::encode(random_bytes::<32>()?))
}

/// A new API token secret: `lc_` and 32 random bytes in hex. Shown once, stored as its hash.
pub fn new_token() -> Result<String, getrandom::Error> {
    Ok(format!("{TOKEN_PREFIX}{}", random_hex()?))
}

/// A short public id for a token (used to list and revoke it).
pub fn new_token_id() -> Result<String, getrandom::Error> {
    Ok(format!("tok_{}", hex::encode(random_bytes::<8>()?)))
}

/// A generated password: 20 characters from an alphabet without look-alikes (≈ 110 bits).
pub fn new_password() -> Result<String, getrandom::Error> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let bytes = random_bytes::<40>()?;
    // Rejection sampling keeps every character equally likely.
    let limit = u8::MAX - (u8::MAX % ALPHABET.len() as u8);
    let mut out = String::with_capacity(20);
    let mut pool = bytes.into_iter().chain(std::iter::from_fn(|| {
        random_bytes::<1>().ok().map(|b| b[0])
    }));
    while out.len() < 20 {
        let Some(b) = pool.next() else { break };
        if b < limit {
            out.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
        }
    }
    Ok(out)
}

/// sha256 of a secret, hex: how tokens and session ids are stored and looked up.
pub fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares two strings in time that depends on their lengths only.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_distinct() {
        let (a, b) = (
            new_token().unwrap_or_default(),
            new_token().unwrap_or_default(),
        );
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == 3 + 64);
        assert_ne!(a, b);
        let p = new_password().unwrap_or_default();
        assert_eq!(p.chars().count(), 20);
        assert!(
            p.chars()
                .all(|c| c.is_ascii_alphanumeric() && !"0O1lI".contains(c))
        );
        assert_eq!(sha256_hex("abc").len(), 64);
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
