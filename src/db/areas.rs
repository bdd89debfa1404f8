//! Named areas: saved sets of reporting units.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::areas as a;
use super::DbConnection;
use super::OrNotFound;
use crate::auth::Jurisdiction;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = a)]
pub struct AreaRow {
    pub id: String,
    pub name: String,
    /// Comma-separated unit codes.
    pub units: String,
    /// The province of every unit, or `VN` when they span provinces.
    pub province_code: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl AreaRow {
    pub fn unit_codes(&self) -> Vec<String> {
        self.units.split(',').map(str::to_string).collect()
    }
}

/// An area lies in a jurisdiction when its province does (the country sees every area, a
/// province its own; a commune has no areas).
fn visible(scope: &Jurisdiction) -> Option<Option<String>> {
    match scope {
        Jurisdiction::National => Some(None),
        Jurisdiction::Province(p) => Some(Some(p.clone())),
        Jurisdiction::Commune(_) => None,
    }
}

pub fn insert(conn: &mut DbConnection, row: &AreaRow) -> ApiResult<()> {
    super::insert(conn, a::table, row)
}

pub fn find_in(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<AreaRow> {
    let Some(province) = visible(scope) else { return Err(ApiError::NotFound) };
    let mut q = a::table.filter(a::id.eq(id.to_string())).into_boxed();
    if let Some(p) = province {
        q = q.filter(a::province_code.eq(p));
    }
    q.select(AreaRow::as_select()).first(conn).or_not_found()
}

pub fn list(conn: &mut DbConnection, scope: &Jurisdiction) -> ApiResult<Vec<AreaRow>> {
    let Some(province) = visible(scope) else { return Ok(Vec::new()) };
    let mut q = a::table.into_boxed();
    if let Some(p) = province {
        q = q.filter(a::province_code.eq(p));
    }
    Ok(q.order((a::name.asc(), a::id.asc())).select(AreaRow::as_select()).load(conn)?)
}
