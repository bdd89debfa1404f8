//! Plans, their targets and the targets' bounds by year.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{plan_bounds as pb, plan_targets as pt, plans as p};
use super::DbConnection;
use super::OrNotFound;
use crate::auth::Jurisdiction;
use crate::domain::enums::TargetMeasure;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = p, treat_none_as_null = true)]
pub struct PlanRow {
    pub id: String,
    pub name: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub decision_issuer: String,
    pub unit_code: String,
    pub province_code: String,
    pub from_year: i32,
    pub to_year: i32,
    pub archived_at: Option<NaiveDateTime>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pt)]
pub struct PlanTargetRow {
    pub id: String,
    pub plan_id: String,
    pub position: i32,
    pub text: String,
    pub indicator: String,
    pub measure: TargetMeasure,
    pub from_year: i32,
    pub to_year: i32,
    pub due_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pb)]
pub struct PlanBoundRow {
    pub target_id: String,
    pub from_year: i32,
    pub min_value: Option<i64>,
    pub aim_value: Option<i64>,
    pub max_value: Option<i64>,
    pub max_exclusive: bool,
}

/// A target with its bounds, earliest first.
#[derive(Debug, Clone)]
pub struct TargetWithBounds {
    pub target: PlanTargetRow,
    pub bounds: Vec<PlanBoundRow>,
}

/// Filters of the plan list.
#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    pub unit: Option<String>,
    /// Plans whose period includes the year.
    pub year: Option<i32>,
    pub archived: bool,
}

pub fn insert(conn: &mut DbConnection, row: &PlanRow) -> ApiResult<()> {
    super::insert(conn, p::table, row)
}

/// Saves a changed plan if its version is still `expected` (412 otherwise).
pub fn save(conn: &mut DbConnection, row: &PlanRow, expected: i32) -> ApiResult<()> {
    let n =
        diesel::update(p::table.filter(p::id.eq(&row.id)).filter(p::version.eq(expected))).set(row).execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    Ok(())
}

/// A plan by id, inside the caller's jurisdiction (an area plan lies in its area's province).
pub fn find_in(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<PlanRow> {
    let q = p::table.filter(p::id.eq(id.to_string())).into_boxed();
    in_unit!(q, scope, p::unit_code, p::province_code).select(PlanRow::as_select()).first(conn).or_not_found()
}

/// Plans in the caller's jurisdiction, newest period first, and their total.
pub fn list(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    filter: &PlanFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<PlanRow>, i64)> {
    let query = || {
        let mut q = p::table.into_boxed();
        q = in_unit!(q, scope, p::unit_code, p::province_code);
        if let Some(u) = &filter.unit {
            q = q.filter(p::unit_code.eq(u.clone()));
        }
        if let Some(y) = filter.year {
            q = q.filter(p::from_year.le(y)).filter(p::to_year.ge(y));
        }
        if !filter.archived {
            q = q.filter(p::archived_at.is_null());
        }
        q
    };
    let total: i64 = query().count().get_result(conn)?;
    let rows = query()
        .order((p::from_year.desc(), p::name.asc(), p::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(PlanRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The current plans of a unit (or area) whose period includes `year`.
pub fn covering(conn: &mut DbConnection, unit_code: &str, year: i32) -> ApiResult<Vec<PlanRow>> {
    Ok(p::table
        .filter(p::unit_code.eq(unit_code))
        .filter(p::from_year.le(year))
        .filter(p::to_year.ge(year))
        .filter(p::archived_at.is_null())
        .order((p::from_year.asc(), p::id.asc()))
        .select(PlanRow::as_select())
        .load(conn)?)
}

/// A plan's targets in the document's order, each with its bounds.
pub fn targets_of(conn: &mut DbConnection, plan_id: &str) -> ApiResult<Vec<TargetWithBounds>> {
    Ok(targets_of_plans(conn, &[plan_id])?.remove(plan_id).unwrap_or_default())
}

/// The targets of each plan with their bounds, in the document's order: two queries for a
/// whole page of plans.
pub fn targets_of_plans(
    conn: &mut DbConnection,
    plan_ids: &[&str],
) -> ApiResult<HashMap<String, Vec<TargetWithBounds>>> {
    let targets: Vec<PlanTargetRow> = pt::table
        .filter(pt::plan_id.eq_any(plan_ids))
        .order((pt::plan_id.asc(), pt::position.asc()))
        .select(PlanTargetRow::as_select())
        .load(conn)?;
    let ids: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
    let bounds: Vec<PlanBoundRow> = pb::table
        .filter(pb::target_id.eq_any(ids))
        .order((pb::target_id.asc(), pb::from_year.asc()))
        .select(PlanBoundRow::as_select())
        .load(conn)?;
    let mut bounds_of: HashMap<String, Vec<PlanBoundRow>> = HashMap::new();
    for b in bounds {
        bounds_of.entry(b.target_id.clone()).or_default().push(b);
    }
    let mut out: HashMap<String, Vec<TargetWithBounds>> = HashMap::new();
    for target in targets {
        let bounds = bounds_of.remove(&target.id).unwrap_or_default();
        out.entry(target.plan_id.clone()).or_default().push(TargetWithBounds { target, bounds });
    }
    Ok(out)
}

/// Replaces a plan's targets.
pub fn replace_targets(conn: &mut DbConnection, plan_id: &str, targets: &[TargetWithBounds]) -> ApiResult<()> {
    let old: Vec<String> = pt::table.filter(pt::plan_id.eq(plan_id)).select(pt::id).load(conn)?;
    diesel::delete(pb::table.filter(pb::target_id.eq_any(&old))).execute(conn)?;
    diesel::delete(pt::table.filter(pt::plan_id.eq(plan_id))).execute(conn)?;
    for t in targets {
        diesel::insert_into(pt::table).values(&t.target).execute(conn)?;
        for b in &t.bounds {
            diesel::insert_into(pb::table).values(b).execute(conn)?;
        }
    }
    Ok(())
}
