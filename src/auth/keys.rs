//! Token signing and verification keys.
//!
//! We sign with Ed25519 (`EdDSA`) under a `kid`. Verification pins the algorithm to the key:
//! a token naming another algorithm, an unknown `kid`, or `alg: none` is refused before any
//! signature check. Agencies' identity providers can be trusted through a JWKS file.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::SigningKey;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sha2::{Digest, Sha256};

use super::claims::Claims;
use crate::config::JwtSettings;

/// Tokens larger than this are refused unread.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Tokens whose signature has been checked, kept so that a client's next requests with the
/// same token skip the Ed25519 verification (the largest CPU cost of an authenticated read).
/// Keyed by the token's exact text, so only those bytes, already proven, ever hit; the time
/// claims are checked again on every use. Bounded: emptied when full.
const VERIFIED_CACHE_ENTRIES: usize = 4096;

/// The leeway, in seconds, on `exp` and `nbf`.
const LEEWAY_SECS: i64 = 30;

struct VerifyingKey {
    key: DecodingKey,
    algorithm: Algorithm,
    /// Issuers this key may speak for.
    issuers: Vec<String>,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    kid: String,
    issuer: String,
    audience: String,
    ttl_secs: i64,
    verifiers: HashMap<String, VerifyingKey>,
    public_jwk: serde_json::Value,
    verified: Mutex<HashMap<Box<str>, (Claims, Origin)>>,
    /// Key of the HMAC that stands for an unknown username in the failure records, derived
    /// from the signing key so that it is as secret as that key and needs no setting.
    username_key: [u8; 32],
}

/// Which key vouched for a token: the service's own, or an agency provider's trusted JWKS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Own,
    TrustedProvider,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("token too large")]
    TooLarge,
    #[error("malformed token")]
    Malformed,
    #[error("unknown signing key")]
    UnknownKey,
    #[error("invalid token: {0}")]
    Invalid(String),
}

impl TokenKeys {
    /// Loads the signing key named in the settings, or the development key in `data_dir`,
    /// creating it on first run; a loud warning at every start that uses it.
    pub fn load(settings: &JwtSettings, data_dir: &Path) -> Result<TokenKeys, String> {
        let signing = match &settings.signing_key_file {
            Some(path) => {
                let pem = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read signing key {}: {e}", path.display()))?;
                SigningKey::from_pkcs8_pem(&pem)
                    .map_err(|e| format!("signing key {} is not an Ed25519 PKCS#8 PEM: {e}", path.display()))?
            }
            None => dev_key(data_dir)?,
        };
        let mut keys = TokenKeys::from_signing_key(&signing, settings)?;
        if let Some(path) = &settings.trusted_jwks_file {
            keys.trust_jwks_file(path, &settings.trusted_issuers)?;
        }
        Ok(keys)
    }

    pub fn from_signing_key(signing: &SigningKey, settings: &JwtSettings) -> Result<TokenKeys, String> {
        let private_pem =
            signing.to_pkcs8_pem(Default::default()).map_err(|e| format!("cannot encode signing key: {e}"))?;
        let public_der =
            signing.verifying_key().to_public_key_der().map_err(|e| format!("cannot encode public key: {e}"))?;
        let public_pem = signing
            .verifying_key()
            .to_public_key_pem(Default::default())
            .map_err(|e| format!("cannot encode public key: {e}"))?;
        let kid = hex::encode(&Sha256::digest(public_der.as_bytes())[..8]);
        let encoding = EncodingKey::from_ed_pem(private_pem.as_bytes()).map_err(|e| format!("signing key: {e}"))?;
        let decoding = DecodingKey::from_ed_pem(public_pem.as_bytes()).map_err(|e| format!("public key: {e}"))?;
        let mut verifiers = HashMap::new();
        verifiers.insert(
            kid.clone(),
            VerifyingKey { key: decoding, algorithm: Algorithm::EdDSA, issuers: vec![settings.issuer.clone()] },
        );
        use base64::Engine;
        let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signing.verifying_key().as_bytes());
        let username_key: [u8; 32] = Sha256::new()
            .chain_update(b"thncd login-failure username v1\0")
            .chain_update(signing.to_bytes())
            .finalize()
            .into();
        Ok(TokenKeys {
            username_key,
            encoding,
            public_jwk: serde_json::json!({"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": kid, "x": x}),
            kid,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            ttl_secs: settings.token_ttl_secs,
            verifiers,
            verified: Mutex::new(HashMap::new()),
        })
    }

    /// Adds the public keys of a JWKS file. Each key must name its `kid` and `alg`, which is
    /// then the only algorithm accepted with it.
    pub fn trust_jwks_file(&mut self, path: &Path, issuers: &[String]) -> Result<(), String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read JWKS {}: {e}", path.display()))?;
        let set: JwkSet =
            serde_json::from_str(&text).map_err(|e| format!("JWKS {} is invalid: {e}", path.display()))?;
        if issuers.is_empty() {
            return Err("THNCD_TRUSTED_ISSUERS must name the issuers of the trusted JWKS".into());
        }
        for jwk in &set.keys {
            let kid = jwk.common.key_id.clone().ok_or("every trusted JWK needs a kid")?;
            if kid == self.kid {
                return Err(format!("trusted JWK {kid} has the kid of the service's own signing key"));
            }
            let alg = jwk.common.key_algorithm.ok_or_else(|| format!("trusted JWK {kid} needs an alg"))?;
            let algorithm: Algorithm =
                alg.to_string().parse().map_err(|_| format!("trusted JWK {kid}: unsupported alg {alg:?}"))?;
            if matches!(algorithm, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512) {
                return Err(format!("trusted JWK {kid}: symmetric algorithms are not accepted"));
            }
            let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("trusted JWK {kid}: {e}"))?;
            self.verifiers.insert(kid, VerifyingKey { key, algorithm, issuers: issuers.to_vec() });
        }
        Ok(())
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }
    pub fn issuer(&self) -> &str {
        &self.issuer
    }
    pub fn audience(&self) -> &str {
        &self.audience
    }
    pub fn ttl_secs(&self) -> i64 {
        self.ttl_secs
    }
    /// Our public key as a JWK, for partners that verify our tokens.
    pub fn public_jwk(&self) -> &serde_json::Value {
        &self.public_jwk
    }

    /// The keyed hash (HMAC-SHA256, hex) that stands for a username typed at a failed login:
    /// the same name always gives the same value, which cannot be reversed or tested against
    /// guesses without the server's key.
    pub fn username_hash(&self, username: &str) -> String {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.username_key).expect("HMAC takes keys of any length");
        mac.update(username.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn sign(&self, claims: &Claims) -> Result<String, String> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).map_err(|e| format!("cannot sign token: {e}"))
    }

    /// The token's claims and the key that vouched for them.
    pub fn verify(&self, token: &str) -> Result<(Claims, Origin), TokenError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(TokenError::TooLarge);
        }
        let cached = self.verified.lock().unwrap_or_else(|e| e.into_inner()).get(token).cloned();
        if let Some((claims, origin)) = cached {
            let now = chrono::Utc::now().timestamp();
            if claims.exp + LEEWAY_SECS < now {
                return Err(TokenError::Invalid("ExpiredSignature".into()));
            }
            return Ok((claims, origin));
        }
        let verified_token = self.verify_signature(token)?;
        let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if verified.len() >= VERIFIED_CACHE_ENTRIES {
            verified.clear();
        }
        verified.insert(token.into(), verified_token.clone());
        Ok(verified_token)
    }

    fn verify_signature(&self, token: &str) -> Result<(Claims, Origin), TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        let kid = header.kid.ok_or(TokenError::UnknownKey)?;
        let verifier = self.verifiers.get(&kid).ok_or(TokenError::UnknownKey)?;
        if header.alg != verifier.algorithm {
            return Err(TokenError::Invalid("algorithm does not match the key".into()));
        }
        let mut validation = Validation::new(verifier.algorithm);
        validation.set_audience(&[&self.audience]);
        validation.set_issuer(&verifier.issuers);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "aud", "iss"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECS as u64;
        let data = jsonwebtoken::decode::<Claims>(token, &verifier.key, &validation)
            .map_err(|e| TokenError::Invalid(e.to_string()))?;
        let claims = data.claims;
        let now = chrono::Utc::now().timestamp();
        if claims.iat > now + 30 {
            return Err(TokenError::Invalid("issued in the future".into()));
        }
        if claims.exp - claims.iat > 3600 {
            return Err(TokenError::Invalid("lifetime longer than one hour".into()));
        }
        let origin = if kid == self.kid { Origin::Own } else { Origin::TrustedProvider };
        // A provider's key speaks for its own issuers only, never for this service, even if
        // THNCD_TRUSTED_ISSUERS lists it by mistake.
        if origin == Origin::TrustedProvider && claims.iss == self.issuer {
            return Err(TokenError::Invalid("a trusted provider's key cannot speak for this service".into()));
        }
        Ok((claims, origin))
    }
}

fn dev_key(data_dir: &Path) -> Result<SigningKey, String> {
    let path = data_dir.join("jwt-dev-ed25519.pem");
    if let Ok(pem) = std::fs::read_to_string(&path) {
        let key = SigningKey::from_pkcs8_pem(&pem)
            .map_err(|e| format!("development key {} is corrupt: {e}", path.display()))?;
        // At every start that uses it, not only the first: a production instance left on
        // the development key must keep saying so.
        log::warn!(
            "!!! SIGNING TOKENS WITH THE DEVELOPMENT KEY at {} — set THNCD_JWT_SIGNING_KEY_FILE in production !!!",
            path.display()
        );
        return Ok(key);
    }
    std::fs::create_dir_all(data_dir).map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let pem = key.to_pkcs8_pem(Default::default()).map_err(|e| format!("cannot encode development key: {e}"))?;
    write_private(&path, pem.as_bytes())?;
    log::warn!(
        "!!! GENERATED A DEVELOPMENT SIGNING KEY at {} — set THNCD_JWT_SIGNING_KEY_FILE in production !!!",
        path.display()
    );
    Ok(key)
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts.open(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    file.write_all(bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        let settings = JwtSettings {
            issuer: "thncd".into(),
            audience: "thncd-api".into(),
            signing_key_file: None,
            trusted_jwks_file: None,
            trusted_issuers: vec![],
            token_ttl_secs: 900,
        };
        TokenKeys::from_signing_key(&SigningKey::generate(&mut rand::rngs::OsRng), &settings).unwrap()
    }

    fn claims(iat: i64, exp: i64) -> Claims {
        Claims {
            sub: "a1".into(),
            iss: "thncd".into(),
            aud: "thncd-api".into(),
            iat,
            exp,
            nbf: None,
            jti: "j1".into(),
            roles: vec!["police".into()],
            unit: "00070".into(),
            agency: None,
            facility_name: None,
            pty: Some("account".into()),
            stamp: Some(1),
        }
    }

    #[test]
    fn a_verified_token_is_remembered_by_its_exact_text() {
        let keys = keys();
        let now = chrono::Utc::now().timestamp();
        let token = keys.sign(&claims(now, now + 600)).unwrap();
        assert_eq!(keys.verify(&token).unwrap().0.sub, "a1");
        assert!(keys.verified.lock().unwrap().contains_key(token.as_str()));
        assert_eq!(keys.verify(&token).unwrap().0.jti, "j1", "served from memory");
        // One byte of the signature changed is another text: checked, and refused.
        let mut tampered = token.clone().into_bytes();
        let last = tampered.len() - 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert!(keys.verify(std::str::from_utf8(&tampered).unwrap()).is_err());
        assert_eq!(keys.verified.lock().unwrap().len(), 1, "refused tokens are not remembered");
    }

    #[test]
    fn a_remembered_token_still_expires() {
        let keys = keys();
        let now = chrono::Utc::now().timestamp();
        keys.verified
            .lock()
            .unwrap()
            .insert("remembered".into(), (claims(now - 700, now - LEEWAY_SECS - 1), Origin::Own));
        assert!(matches!(keys.verify("remembered"), Err(TokenError::Invalid(_))));
        keys.verified.lock().unwrap().insert("fresh".into(), (claims(now - 10, now + 60), Origin::Own));
        assert!(keys.verify("fresh").is_ok());
    }

    #[test]
    fn the_username_hash_is_keyed_and_stable() {
        let (a, b) = (keys(), keys());
        assert_eq!(a.username_hash("Hunter2"), a.username_hash("Hunter2"));
        assert_ne!(a.username_hash("Hunter2"), a.username_hash("hunter2"));
        assert_ne!(a.username_hash("Hunter2"), b.username_hash("Hunter2"), "another server key, another hash");
        assert_eq!(a.username_hash("Hunter2").len(), 64);
    }
}
