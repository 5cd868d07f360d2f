//! What signs an administrator in, and the only forms of it the site keeps: an Argon2id
//! hash of a password, the SHA-256 of a token.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::wire::{ApiError, ErrorCode};

/// Prefix of personal API tokens, so a leaked one is recognisable (secret scanners).
pub const TOKEN_PREFIX: &str = "pdt_";
/// Prefix of console sessions.
pub const SESSION_PREFIX: &str = "pds_";

pub const MIN_PASSWORD_CHARS: usize = 12;

/// A new random secret: the prefix and 32 bytes of the OS's generator, in hex.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}{hex}")
}

/// Tokens are long random strings, so a fast hash is enough: nothing to brute-force.
pub fn sha256_hex(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!("The password is too short: use at least {MIN_PASSWORD_CHARS} characters."),
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(format!("hashing the password failed: {e}")))
}

/// False for a wrong password and for a stored hash that cannot be read.
pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_hash_is_argon2id_and_verifies_only_that_password() {
        let h = hash_password("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(!h.contains("correct horse"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse battery!", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn a_short_password_is_refused_with_the_minimum() {
        let e = hash_password("short").expect_err("refused");
        assert!(e.message.contains("12 characters"), "{}", e.message);
    }

    #[test]
    fn secrets_carry_their_prefix_and_differ() {
        let a = new_secret(TOKEN_PREFIX);
        assert!(a.starts_with("pdt_") && a.len() == 68);
        assert_ne!(a, new_secret(TOKEN_PREFIX));
        assert_eq!(sha256_hex("abc").len(), 64);
    }
}
