use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::roles::roles_from_db;
use crate::auth::Role;
use crate::dto::unit_code_shape;

/// An integration client (an agency system using `client_credentials`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Client {
    pub id: String,
    /// The `client_id` to present at the token endpoint.
    pub client_id: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub unit: String,
    pub agency: Option<String>,
    /// The detention facility of a `facility` client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility_name: Option<String>,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// Returned once, at creation or rotation: the secret is not stored in clear and cannot be
/// read again.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientWithSecret {
    #[serde(flatten)]
    pub client: Client,
    pub client_secret: String,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateClient {
    #[validate(length(min = 1, max = 200), custom(function = "crate::dto::single_line"))]
    #[schema(example = "VBSP chi nhánh Hà Nội")]
    pub name: String,
    #[validate(length(min = 1, max = 9))]
    pub roles: Vec<Role>,
    #[validate(custom(function = "unit_code_shape"))]
    pub unit: String,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    pub agency: Option<String>,
    /// The detention facility a `facility` principal stands for (trại giam, trại tạm giam,
    /// nhà tạm giữ); required with the `facility` role and refused without it. Carried in
    /// the token as the `facility_name` claim.
    #[validate(length(min = 1, max = 300), custom(function = "crate::dto::single_line"))]
    pub facility_name: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ClientQuery {
    pub disabled: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

impl crate::db::clients::ClientRow {
    pub fn view(&self) -> Client {
        Client {
            id: self.id.clone(),
            client_id: self.client_id.clone(),
            name: self.name.clone(),
            roles: roles_from_db(&self.roles),
            unit: self.unit_code.clone(),
            agency: self.agency.clone(),
            facility_name: self.facility_name.clone(),
            disabled: self.disabled,
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
            version: self.version,
        }
    }
}
