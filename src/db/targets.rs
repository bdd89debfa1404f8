//! Targets set for an indicator in a year.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::report_targets as rt;
use super::DbConnection;
use super::OrNotFound;
use crate::auth::Jurisdiction;
use crate::domain::enums::TargetMeasure;
use crate::error::ApiResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = rt)]
pub struct TargetRow {
    pub id: String,
    pub unit_code: String,
    pub province_code: String,
    pub year: i32,
    pub indicator: String,
    pub measure: TargetMeasure,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub note: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

pub fn target_for(conn: &mut DbConnection, unit: &str, year: i32, indicator: &str) -> ApiResult<Option<TargetRow>> {
    Ok(rt::table
        .filter(rt::unit_code.eq(unit))
        .filter(rt::year.eq(year))
        .filter(rt::indicator.eq(indicator))
        .select(TargetRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_target(conn: &mut DbConnection, row: &TargetRow) -> ApiResult<()> {
    super::insert(conn, rt::table, row)
}

pub fn update_target(conn: &mut DbConnection, row: &TargetRow) -> ApiResult<()> {
    diesel::update(rt::table.filter(rt::id.eq(&row.id))).set(row).execute(conn)?;
    Ok(())
}

/// Targets set by any of `units` for the year (the unit, its province and VN).
pub fn targets_of(conn: &mut DbConnection, units: &[String], year: i32) -> ApiResult<Vec<TargetRow>> {
    Ok(rt::table
        .filter(rt::unit_code.eq_any(units))
        .filter(rt::year.eq(year))
        .order((rt::indicator.asc(), rt::unit_code.asc()))
        .select(TargetRow::as_select())
        .load(conn)?)
}

/// A target by id, inside the caller's unit.
pub fn find_target_in(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<TargetRow> {
    let q = rt::table.filter(rt::id.eq(id)).into_boxed();
    in_unit!(q, scope, rt::unit_code, rt::province_code).select(TargetRow::as_select()).first(conn).or_not_found()
}

pub fn delete_target(conn: &mut DbConnection, id: &str) -> ApiResult<()> {
    diesel::delete(rt::table.filter(rt::id.eq(id))).execute(conn)?;
    Ok(())
}
