//! JWT claims.

use serde::{Deserialize, Serialize};

/// The kind of principal a token stands for.
pub const KIND_ACCOUNT: &str = "account";
pub const KIND_CLIENT: &str = "client";
pub const KIND_EXTERNAL: &str = "external";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default)]
    pub jti: String,
    #[serde(default)]
    pub roles: Vec<String>,
    /// The administrative unit the holder acts for: `VN`, a province or a commune code.
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// The detention facility a `facility` principal stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility_name: Option<String>,
    /// `account`, `client`; absent on tokens from a trusted external provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pty: Option<String>,
    /// Security stamp of the principal when the token was issued: disabling it, changing
    /// its password or rotating its secret changes the stamp and so kills live tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<i64>,
}
