//! Periodic reports: drafts, versions and their workflow.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::reports as r;
use super::DbConnection;
use super::OrNotFound;
use crate::auth::Jurisdiction;
use crate::domain::enums::{PeriodKind, ReportStatus};
use crate::error::{ApiError, ApiResult};

// Kept here for the callers in `api/models.rs` and `api/supervision.rs`.
pub use super::indicators::{model_coverage_on, model_types_on, plan_summary_on};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = r, treat_none_as_null = true)]
pub struct ReportRow {
    pub id: String,
    pub unit_code: String,
    pub province_code: String,
    pub period_kind: PeriodKind,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub year: i32,
    pub version_no: i32,
    pub supersedes_id: Option<String>,
    pub status: ReportStatus,
    pub title: String,
    pub snapshot: String,
    pub sections: String,
    pub due_on: Option<NaiveDate>,
    pub created_by: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
    pub submitted_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<String>,
    pub decision_comment: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// Reports visible to a unit: its own, and for a province or VN those of units inside it.
pub fn find_in(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<ReportRow> {
    let q = r::table.filter(r::id.eq(id)).into_boxed();
    in_unit!(q, scope, r::unit_code, r::province_code).select(ReportRow::as_select()).first(conn).or_not_found()
}

pub fn insert(conn: &mut DbConnection, row: &ReportRow) -> ApiResult<()> {
    super::insert(conn, r::table, row)
}

/// Saves a report if its version is still `expected` (409 otherwise).
pub fn save(conn: &mut DbConnection, row: &ReportRow, expected: i32) -> ApiResult<ReportRow> {
    let mut next = row.clone();
    next.version = expected + 1;
    next.updated_at = crate::time::now();
    let n =
        diesel::update(r::table.filter(r::id.eq(&row.id)).filter(r::version.eq(expected))).set(&next).execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    Ok(next)
}

/// The highest version number for a unit's period.
pub fn last_version_no(
    conn: &mut DbConnection,
    unit: &str,
    kind: PeriodKind,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Option<i32>> {
    Ok(r::table
        .filter(r::unit_code.eq(unit))
        .filter(r::period_kind.eq(kind))
        .filter(r::period_from.eq(from))
        .filter(r::period_to.eq(to))
        .select(diesel::dsl::max(r::version_no))
        .first(conn)?)
}

pub struct ReportFilter {
    pub unit: Option<Jurisdiction>,
    pub period_kind: Option<String>,
    pub year: Option<i32>,
    pub status: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    f: &ReportFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<ReportRow>, i64)> {
    let build = || {
        let mut q = r::table.into_boxed();
        q = in_unit!(q, scope, r::unit_code, r::province_code);
        if let Some(u) = &f.unit {
            q = in_unit!(q, u, r::unit_code, r::province_code);
        }
        if let Some(k) = &f.period_kind {
            q = q.filter(r::period_kind.eq(k.clone()));
        }
        if let Some(y) = f.year {
            q = q.filter(r::year.eq(y));
        }
        if let Some(s) = &f.status {
            q = q.filter(r::status.eq(s.clone()));
        }
        q
    };
    Ok(paged!(conn, build, ReportRow, (r::period_to.desc(), r::unit_code.asc(), r::version_no.desc()), offset, limit))
}

/// The latest report per unit among `units` for a period kind and year (any status).
pub fn latest_for_units(
    conn: &mut DbConnection,
    units: &[String],
    kind: PeriodKind,
    year: i32,
) -> ApiResult<Vec<ReportRow>> {
    let rows: Vec<ReportRow> = r::table
        .filter(r::unit_code.eq_any(units))
        .filter(r::period_kind.eq(kind))
        .filter(r::year.eq(year))
        .order((r::unit_code.asc(), r::created_at.desc(), r::version_no.desc()))
        .select(ReportRow::as_select())
        .load(conn)?;
    Ok(rows)
}

/// Communes' latest submitted or accepted reports in a province for the same period.
pub fn submitted_in_province(
    conn: &mut DbConnection,
    province: &str,
    kind: PeriodKind,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Vec<ReportRow>> {
    let rows: Vec<ReportRow> = r::table
        .filter(r::province_code.eq(province))
        .filter(r::unit_code.ne(province))
        .filter(r::period_kind.eq(kind))
        .filter(r::period_from.eq(from))
        .filter(r::period_to.eq(to))
        .filter(r::status.eq_any(["submitted", "accepted"]))
        .order((r::unit_code.asc(), r::version_no.desc()))
        .select(ReportRow::as_select())
        .load(conn)?;
    let mut latest: Vec<ReportRow> = Vec::new();
    for row in rows {
        if latest.last().is_none_or(|l| l.unit_code != row.unit_code) {
            latest.push(row);
        }
    }
    Ok(latest)
}
