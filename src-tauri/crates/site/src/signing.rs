//! The site's signing key and the signed, expiring tokens that protocol cookies carry: the
//! MS-WSUSSS cookies a downstream site holds (`upstream`) and the MS-WUSP cookies a Windows
//! Update Agent holds (`clients`).
//!
//! A token is base64 of `expiry (8 bytes, big-endian Unix seconds) ‖ payload ‖ HMAC-SHA256`,
//! the MAC taken over `purpose ‖ expiry ‖ payload` with a key of 32 random bytes kept in
//! `site_meta` (as `upstream.cookie_key`, the name its first user gave it), so tokens survive
//! restarts and no other site can make one this site accepts. Purposes are fixed words, none
//! a prefix of another, so a token signed for one purpose never opens as another.
//! **Architecture invariant:** knows nothing of either protocol: bytes and times only.

use base64::Engine;
use hmac::{Hmac, Mac};
use rusqlite::OptionalExtension;
use sha2::Sha256;

use crate::handle::Site;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
const META_KEY: &str = "upstream.cookie_key";
const MAC_BYTES: usize = 32;
/// A token longer than this is refused before it is decoded: payloads are client ids.
const MAX_TOKEN_CHARS: usize = 4096;

/// What opening a token found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// Signed by this site for this purpose, not expired: its payload.
    Valid(Vec<u8>),
    /// Signed by this site for this purpose, but past its expiry.
    Expired,
    /// Not a token of this site for this purpose: unreadable, altered, another site's.
    Forged,
}

/// The site's signing key.
pub struct SigningKey(Vec<u8>);

impl SigningKey {
    /// The site's key, made on first use. Two first uses at once: the first key written wins.
    pub fn of(site: &Site) -> rusqlite::Result<SigningKey> {
        {
            let c = site.store().reader();
            let hex: Option<String> = c
                .query_row("SELECT value FROM site_meta WHERE key = ?1", [META_KEY], |r| r.get(0))
                .optional()?;
            if let Some(bytes) = hex.as_deref().and_then(from_hex) {
                return Ok(SigningKey(bytes));
            }
        }
        use rand::RngCore;
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        let c = site.store().writer();
        c.execute(
            "INSERT OR IGNORE INTO site_meta (key, value) VALUES (?1, ?2)",
            [META_KEY, &hex],
        )?;
        let stored: String = c.query_row("SELECT value FROM site_meta WHERE key = ?1", [META_KEY], |r| r.get(0))?;
        Ok(SigningKey(from_hex(&stored).unwrap_or_else(|| key.to_vec())))
    }

    /// A token for `purpose` carrying `payload`, valid until `expiry` (Unix seconds).
    pub fn sign(&self, purpose: &str, expiry: i64, payload: &[u8]) -> String {
        let mut token = expiry.to_be_bytes().to_vec();
        token.extend_from_slice(payload);
        match self.mac(purpose, expiry, payload) {
            Some(m) => token.extend(m.finalize().into_bytes()),
            None => return String::new(),
        }
        B64.encode(token)
    }

    /// Reads a token made by [`sign`](Self::sign) for `purpose`, checked against `now`.
    pub fn open(&self, purpose: &str, token: &str, now: i64) -> Opened {
        let token = token.trim();
        if token.len() > MAX_TOKEN_CHARS {
            return Opened::Forged;
        }
        let Ok(bytes) = B64.decode(token) else {
            return Opened::Forged;
        };
        if bytes.len() < 8 + MAC_BYTES {
            return Opened::Forged;
        }
        let mut exp = [0u8; 8];
        exp.copy_from_slice(&bytes[..8]);
        let expiry = i64::from_be_bytes(exp);
        let (payload, tag) = bytes[8..].split_at(bytes.len() - 8 - MAC_BYTES);
        let Some(m) = self.mac(purpose, expiry, payload) else {
            return Opened::Forged;
        };
        if m.verify_slice(tag).is_err() {
            Opened::Forged
        } else if expiry <= now {
            Opened::Expired
        } else {
            Opened::Valid(payload.to_vec())
        }
    }

    fn mac(&self, purpose: &str, expiry: i64, payload: &[u8]) -> Option<Hmac<Sha256>> {
        // HMAC takes keys of any length, so this does not fail.
        let mut m = Hmac::<Sha256>::new_from_slice(&self.0).ok()?;
        m.update(purpose.as_bytes());
        m.update(&expiry.to_be_bytes());
        m.update(payload);
        Some(m)
    }
}

/// Now, in the Unix seconds tokens carry.
pub fn unix_now() -> i64 {
    crate::clock::now().timestamp()
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_for_its_purpose_until_it_expires() {
        let key = SigningKey(vec![7; 32]);
        let other = SigningKey(vec![8; 32]);
        let token = key.sign("wusp-cookie", 100, b"client-1");
        assert_eq!(key.open("wusp-cookie", &token, 99), Opened::Valid(b"client-1".to_vec()));
        assert_eq!(key.open("wusp-cookie", &token, 100), Opened::Expired);
        assert_eq!(key.open("wusp-auth", &token, 99), Opened::Forged);
        assert_eq!(other.open("wusp-cookie", &token, 99), Opened::Forged);
        assert_eq!(key.open("wusp-cookie", "not base64!", 99), Opened::Forged);
        let mut altered = B64.decode(&token).unwrap_or_default();
        altered[9] ^= 1;
        assert_eq!(key.open("wusp-cookie", &B64.encode(altered), 99), Opened::Forged);
    }

    #[test]
    fn an_empty_payload_keeps_the_upstream_layout() {
        let key = SigningKey(vec![1; 32]);
        let token = key.sign("cookie", 5, b"");
        assert_eq!(B64.decode(token).map(|b| b.len()).ok(), Some(8 + MAC_BYTES));
    }
}
