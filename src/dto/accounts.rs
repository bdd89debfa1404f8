use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::auth::roles::roles_from_db;
use crate::auth::Role;
use crate::dto::unit_code_shape;

/// A staff account (passwords are never returned).
#[derive(Debug, Serialize, ToSchema)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    /// The administrative unit the account acts for (`VN`, province or commune code).
    pub unit: String,
    pub agency: Option<String>,
    /// The detention facility of a `facility` account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility_name: Option<String>,
    pub disabled: bool,
    /// Set after five failed logins in a row.
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

fn username_shape(value: &str) -> Result<(), ValidationError> {
    let ok = value.len() >= 3
        && value.len() <= 64
        && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        let mut e = ValidationError::new("username");
        e.message = Some("3–64 characters: lower-case letters, digits, `.`, `_`, `-`".into());
        Err(e)
    }
}

fn roles_not_empty(roles: &[Role]) -> Result<(), ValidationError> {
    if roles.is_empty() {
        let mut e = ValidationError::new("roles");
        e.message = Some("at least one role is required".into());
        return Err(e);
    }
    Ok(())
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccount {
    #[validate(custom(function = "username_shape"))]
    #[schema(example = "canbo.ngoclien")]
    pub username: String,
    /// At least 12 characters mixing three of: lower case, upper case, digits, symbols.
    #[validate(length(min = 1, max = 256))]
    pub password: String,
    #[validate(length(min = 1, max = 200), custom(function = "crate::dto::single_line"))]
    pub full_name: String,
    #[validate(custom(function = "roles_not_empty"))]
    pub roles: Vec<Role>,
    #[validate(custom(function = "unit_code_shape"))]
    #[schema(example = "00070")]
    pub unit: String,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    pub agency: Option<String>,
    /// The detention facility a `facility` principal stands for (trại giam, trại tạm giam,
    /// nhà tạm giữ); required with the `facility` role and refused without it. Carried in
    /// the token as the `facility_name` claim.
    #[validate(length(min = 1, max = 300), custom(function = "crate::dto::single_line"))]
    #[schema(example = "Trại giam Nam Hà")]
    pub facility_name: Option<String>,
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAccount {
    #[validate(length(min = 1, max = 200), custom(function = "crate::dto::single_line"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = String)]
    pub full_name: Option<String>,
    #[validate(custom(function = "roles_not_empty"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = Vec<Role>)]
    pub roles: Option<Vec<Role>>,
    #[validate(custom(function = "unit_code_shape"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::not_null")]
    #[schema(value_type = String)]
    pub unit: Option<String>,
    #[validate(length(max = 200), custom(function = "crate::dto::single_line"))]
    #[serde(default, deserialize_with = "crate::dto::merge_patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub agency: Option<Option<String>>,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    /// Required when changing one's own password.
    #[validate(length(max = 256))]
    pub current_password: Option<String>,
    #[validate(length(min = 1, max = 256))]
    pub new_password: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AccountQuery {
    /// Substring of username or full name (accent-insensitive).
    pub q: Option<String>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

impl crate::db::accounts::AccountRow {
    pub fn view(&self) -> Account {
        Account {
            id: self.id.clone(),
            username: self.username.clone(),
            full_name: self.full_name.clone(),
            roles: roles_from_db(&self.roles),
            unit: self.unit_code.clone(),
            agency: self.agency.clone(),
            facility_name: self.facility_name.clone(),
            disabled: self.disabled,
            locked_until: self.locked_until.map(|t| t.and_utc()),
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
            version: self.version,
        }
    }
}
