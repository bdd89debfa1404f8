use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Role;

/// OAuth 2.0 token request (RFC 6749 §4.3 and §4.4), form-encoded or JSON.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// `password` (staff) or `client_credentials` (integration clients).
    #[schema(example = "password")]
    pub grant_type: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// Ignored: scopes are the principal's roles.
    pub scope: Option<String>,
}

/// RFC 6749 §5.1 access token response.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the token expires (at most 3600).
    pub expires_in: i64,
    /// The roles granted, space-separated.
    pub scope: String,
}

/// The caller as the service sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentPrincipal {
    pub sub: String,
    /// `account`, `client` or `external`.
    pub kind: String,
    pub roles: Vec<Role>,
    pub unit: String,
    pub agency: Option<String>,
    /// The detention facility of a `facility` principal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility_name: Option<String>,
}
