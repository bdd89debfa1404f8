//! Integration clients (`client_credentials`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::api_clients as c;
use super::DbConnection;
use super::OrNotFound;
use crate::auth::roles::Jurisdiction;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = c)]
pub struct ClientRow {
    pub id: String,
    pub client_id: String,
    pub name: String,
    pub secret_hash: String,
    pub roles: String,
    pub unit_code: String,
    pub province_code: Option<String>,
    pub agency: Option<String>,
    pub disabled: bool,
    pub tokens_valid_after: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub facility_name: Option<String>,
}

impl ClientRow {
    pub fn stamp(&self) -> i64 {
        self.tokens_valid_after.and_utc().timestamp_micros()
    }
}

pub fn insert(conn: &mut DbConnection, row: &ClientRow) -> ApiResult<ClientRow> {
    diesel::insert_into(c::table).values(row).execute(conn)?;
    Ok(c::table.find(&row.id).select(ClientRow::as_select()).first(conn)?)
}

pub fn find_in(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<ClientRow> {
    let query = c::table.filter(c::id.eq(id)).select(ClientRow::as_select()).into_boxed();
    in_unit!(query, scope, c::unit_code, c::province_code).first(conn).or_not_found()
}

pub fn find_by_client_id(conn: &mut DbConnection, client_id: &str) -> ApiResult<Option<ClientRow>> {
    Ok(c::table.filter(c::client_id.eq(client_id)).select(ClientRow::as_select()).first(conn).optional()?)
}

pub fn list(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    disabled: Option<bool>,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<ClientRow>, i64)> {
    let build = || {
        let mut q = in_unit!(c::table.into_boxed(), scope, c::unit_code, c::province_code);
        if let Some(d) = disabled {
            q = q.filter(c::disabled.eq(d));
        }
        q
    };
    Ok(paged!(conn, build, ClientRow, (c::name.asc(), c::id.asc()), offset, limit))
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = c)]
pub struct ClientChanges {
    pub disabled: Option<bool>,
    pub secret_hash: Option<String>,
    pub tokens_valid_after: Option<NaiveDateTime>,
}

pub fn update_versioned(
    conn: &mut DbConnection,
    id: &str,
    expected_version: Option<i32>,
    changes: &ClientChanges,
) -> ApiResult<ClientRow> {
    let now = crate::time::now();
    let set = (changes, c::updated_at.eq(now), c::version.eq(c::version + 1));
    let base = c::table.filter(c::id.eq(id));
    let n = match expected_version {
        Some(v) => diesel::update(base.filter(c::version.eq(v))).set(set).execute(conn)?,
        None => diesel::update(base).set(set).execute(conn)?,
    };
    if n == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    Ok(c::table.find(id).select(ClientRow::as_select()).first(conn)?)
}
