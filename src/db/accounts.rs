//! Staff accounts: storage, jurisdiction-scoped queries, login bookkeeping.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{accounts as a, login_failures as lf};
use super::DbConnection;
use super::OrNotFound;
use crate::auth::roles::Jurisdiction;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = a)]
pub struct AccountRow {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub full_name: String,
    pub roles: String,
    pub unit_code: String,
    pub province_code: Option<String>,
    pub agency: Option<String>,
    pub disabled: bool,
    pub failed_logins: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub tokens_valid_after: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub facility_name: Option<String>,
}

impl AccountRow {
    /// The security stamp carried by this account's tokens.
    pub fn stamp(&self) -> i64 {
        self.tokens_valid_after.and_utc().timestamp_micros()
    }
}

/// A new account as its creator describes it; [`insert`] adds the state every account
/// starts in (enabled, no failed logins, version 1).
#[derive(Debug)]
pub struct NewAccount {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub full_name: String,
    pub roles: String,
    pub unit_code: String,
    pub province_code: Option<String>,
    pub agency: Option<String>,
    pub facility_name: Option<String>,
}

pub fn insert(conn: &mut DbConnection, new: NewAccount) -> ApiResult<AccountRow> {
    let exists: i64 = a::table.filter(a::username.eq(&new.username)).count().get_result(conn)?;
    if exists > 0 {
        return Err(ApiError::conflict("username_taken", "an account with this username already exists"));
    }
    let now = crate::time::now();
    let row = AccountRow {
        id: new.id,
        username: new.username,
        password_hash: new.password_hash,
        full_name: new.full_name,
        roles: new.roles,
        unit_code: new.unit_code,
        province_code: new.province_code,
        agency: new.agency,
        disabled: false,
        failed_logins: 0,
        locked_until: None,
        tokens_valid_after: now,
        created_at: now,
        updated_at: now,
        version: 1,
        facility_name: new.facility_name,
    };
    diesel::insert_into(a::table).values(&row).execute(conn)?;
    Ok(a::table.find(&row.id).select(AccountRow::as_select()).first(conn)?)
}

/// An account inside the caller's jurisdiction; anything else is a 404.
pub fn find_in(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<AccountRow> {
    let query = a::table.filter(a::id.eq(id)).select(AccountRow::as_select()).into_boxed();
    in_unit!(query, scope, a::unit_code, a::province_code).first(conn).or_not_found()
}

pub fn find_by_id(conn: &mut DbConnection, id: &str) -> ApiResult<Option<AccountRow>> {
    Ok(a::table.find(id).select(AccountRow::as_select()).first(conn).optional()?)
}

pub fn find_by_username(conn: &mut DbConnection, username: &str) -> ApiResult<Option<AccountRow>> {
    Ok(a::table.filter(a::username.eq(username)).select(AccountRow::as_select()).first(conn).optional()?)
}

pub struct ListFilter {
    pub q: Option<String>,
    pub role: Option<String>,
    pub disabled: Option<bool>,
}

pub fn list(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    f: &ListFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<AccountRow>, i64)> {
    let build = || {
        let mut q = in_unit!(a::table.into_boxed(), scope, a::unit_code, a::province_code);
        if let Some(text) = &f.q {
            let pattern = super::like_contains(&text.to_lowercase());
            q = q.filter(a::username.like(pattern.clone()).escape('\\').or(a::full_name.like(pattern).escape('\\')));
        }
        if let Some(role) = &f.role {
            // roles are stored as a sorted comma list: match a whole element.
            q = q.filter(
                a::roles
                    .eq(role.clone())
                    .or(a::roles.like(format!("{role},%")))
                    .or(a::roles.like(format!("%,{role}")))
                    .or(a::roles.like(format!("%,{role},%"))),
            );
        }
        if let Some(d) = f.disabled {
            q = q.filter(a::disabled.eq(d));
        }
        q
    };
    Ok(paged!(conn, build, AccountRow, a::username.asc(), offset, limit))
}

/// Changes applied with optimistic concurrency: the row must still be at `expected_version`.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = a)]
pub struct AccountChanges {
    pub full_name: Option<String>,
    pub roles: Option<String>,
    pub unit_code: Option<String>,
    pub province_code: Option<Option<String>>,
    pub agency: Option<Option<String>>,
    pub disabled: Option<bool>,
    pub password_hash: Option<String>,
    pub failed_logins: Option<i32>,
    pub locked_until: Option<Option<NaiveDateTime>>,
    pub tokens_valid_after: Option<NaiveDateTime>,
}

pub fn update_versioned(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i32,
    changes: &AccountChanges,
) -> ApiResult<AccountRow> {
    let now = crate::time::now();
    let n = diesel::update(a::table.filter(a::id.eq(id)).filter(a::version.eq(expected_version)))
        .set((changes, a::updated_at.eq(now), a::version.eq(a::version + 1)))
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    Ok(a::table.find(id).select(AccountRow::as_select()).first(conn)?)
}

/// Login bookkeeping is not a user edit: it does not bump `version`.
pub fn record_login_result(
    conn: &mut DbConnection,
    id: &str,
    failed: i32,
    locked_until: Option<NaiveDateTime>,
) -> ApiResult<()> {
    diesel::update(a::table.find(id))
        .set((a::failed_logins.eq(failed), a::locked_until.eq(locked_until)))
        .execute(conn)?;
    Ok(())
}

pub fn record_address_failure(conn: &mut DbConnection, address: &str, username: &str) -> ApiResult<()> {
    diesel::insert_into(lf::table)
        .values((
            lf::id.eq(uuid::Uuid::now_v7().to_string()),
            lf::address.eq(address),
            lf::username.eq(username.chars().take(100).collect::<String>()),
            lf::failed_at.eq(crate::time::now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn address_failures_since(conn: &mut DbConnection, address: &str, since: NaiveDateTime) -> ApiResult<i64> {
    Ok(lf::table.filter(lf::address.eq(address)).filter(lf::failed_at.ge(since)).count().get_result(conn)?)
}
