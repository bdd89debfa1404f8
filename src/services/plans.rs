//! Plans as first-class records (issue 27): a province's Đề án, a district's plan, a
//! commune's model plan, each with targets that quote the document, and their progress year
//! by year. Writes and their audit events share one transaction (the handler's `write_tx`).

use chrono::{Datelike, NaiveDate};

use crate::auth::{permissions, Auth};
use crate::db::audit;
use crate::db::indicators as live_db;
use crate::db::plans::{self as db, PlanBoundRow, PlanFilter, PlanRow, PlanTargetRow, TargetWithBounds};
use crate::db::{write_tx, DbConnection};
use crate::domain::enums::TargetMeasure;
use crate::domain::indicators::{Figure, FigureValue, Indicators};
use crate::domain::plans::{self as rules, PlanProgress, TargetProgress, YearBound};
use crate::dto::plans::*;
use crate::error::{ApiError, ApiResult};
use crate::http::etag::IfMatch;
use crate::services::reports::{from_hundredths, resolve_units, to_hundredths, ReportUnit};

/// 403 naming the indicator unless the caller's agency may set targets on it
/// (`auth::permissions::TARGET_FAMILIES`).
pub fn ensure_may_set(auth: &Auth, indicator: &str) -> ApiResult<()> {
    if permissions::may_set_target(&auth.roles, &auth.jurisdiction, indicator) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(permissions::target_denial(indicator)))
    }
}

fn invalid_at(prefix: &str, (field, reason): rules::Problem) -> ApiError {
    ApiError::invalid(if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") }, reason)
}

/// A bound from the wire (percent for rates) into hundredths, checked.
fn bound_of(
    prefix: &str,
    measure: TargetMeasure,
    (min, aim, max, max_exclusive): (Option<f64>, Option<f64>, Option<f64>, bool),
) -> ApiResult<rules::Bound> {
    let field = |f: &str| format!("{prefix}.{f}");
    let bound = rules::Bound {
        min: to_hundredths(min, &field("min"))?,
        aim: to_hundredths(aim, &field("aim"))?,
        max: to_hundredths(max, &field("max"))?,
        max_exclusive,
    };
    rules::check_bound(measure, &bound).map_err(|p| invalid_at(prefix, p))?;
    Ok(bound)
}

fn bound_row(target_id: &str, from_year: i32, b: rules::Bound) -> PlanBoundRow {
    PlanBoundRow {
        target_id: target_id.to_string(),
        from_year,
        min_value: b.min,
        aim_value: b.aim,
        max_value: b.max,
        max_exclusive: b.max_exclusive,
    }
}

fn year_bounds(rows: &[PlanBoundRow]) -> Vec<YearBound> {
    rows.iter()
        .map(|b| YearBound {
            from_year: b.from_year,
            bound: rules::Bound {
                min: b.min_value,
                aim: b.aim_value,
                max: b.max_value,
                max_exclusive: b.max_exclusive,
            },
        })
        .collect()
}

/// The targets of a plan from the wire, checked against the plan's period and the
/// indicator catalogue; then every indicator against the caller's agency.
fn build_targets(
    auth: &Auth,
    plan_id: &str,
    period: (i32, i32),
    inputs: &[PlanTargetInput],
) -> ApiResult<Vec<TargetWithBounds>> {
    let keys = Indicators::keys();
    let mut out = Vec::with_capacity(inputs.len());
    for (i, t) in inputs.iter().enumerate() {
        let at = format!("targets[{i}]");
        if !keys.contains(&t.indicator) {
            return Err(ApiError::invalid(
                format!("{at}.indicator"),
                "is not an indicator key (see the indicators CSV export)",
            ));
        }
        let measure = rules::measure_of(&t.indicator);
        let due_year = t.due_on.map(|d| d.year());
        let years = rules::TargetYears {
            from_year: t.from_year.or(due_year).unwrap_or(period.0),
            to_year: t.to_year.or(due_year).unwrap_or(period.1),
            due_on: t.due_on,
            later: t.later_bounds.iter().map(|b| b.from_year).collect(),
        };
        rules::check_years(period, &years).map_err(|p| invalid_at(&at, p))?;
        let id = uuid::Uuid::now_v7().to_string();
        let mut bounds =
            vec![bound_row(&id, years.from_year, bound_of(&at, measure, (t.min, t.aim, t.max, t.max_exclusive))?)];
        for (j, lb) in t.later_bounds.iter().enumerate() {
            let b = bound_of(&format!("{at}.later_bounds[{j}]"), measure, (lb.min, lb.aim, lb.max, lb.max_exclusive))?;
            bounds.push(bound_row(&id, lb.from_year, b));
        }
        let target = PlanTargetRow {
            id,
            plan_id: plan_id.to_string(),
            position: i as i32,
            text: crate::text::normalize(&t.text),
            indicator: t.indicator.clone(),
            measure,
            from_year: years.from_year,
            to_year: years.to_year,
            due_on: t.due_on,
        };
        out.push(TargetWithBounds { target, bounds });
    }
    ensure_may_set_all(auth, &out)?;
    Ok(out)
}

fn ensure_may_set_all(auth: &Auth, targets: &[TargetWithBounds]) -> ApiResult<()> {
    targets.iter().try_for_each(|t| ensure_may_set(auth, &t.target.indicator))
}

/// Existing targets still fit a changed period.
fn check_against_period(period: (i32, i32), targets: &[TargetWithBounds]) -> ApiResult<()> {
    for (i, t) in targets.iter().enumerate() {
        let years = rules::TargetYears {
            from_year: t.target.from_year,
            to_year: t.target.to_year,
            due_on: t.target.due_on,
            later: t.bounds.iter().skip(1).map(|b| b.from_year).collect(),
        };
        rules::check_years(period, &years).map_err(|p| invalid_at(&format!("targets[{i}]"), p))?;
    }
    Ok(())
}

fn bound_view(b: &PlanBoundRow) -> Bound {
    Bound {
        min: from_hundredths(b.min_value),
        aim: from_hundredths(b.aim_value),
        max: from_hundredths(b.max_value),
        max_exclusive: b.max_exclusive,
    }
}

pub fn view(row: &PlanRow, targets: &[TargetWithBounds]) -> Plan {
    Plan {
        id: row.id.clone(),
        name: row.name.clone(),
        decision: Decision {
            number: row.decision_number.clone(),
            date: row.decision_date,
            issuer: row.decision_issuer.clone(),
        },
        unit: row.unit_code.clone(),
        from_year: row.from_year,
        to_year: row.to_year,
        targets: targets
            .iter()
            .map(|t| PlanTarget {
                id: t.target.id.clone(),
                text: t.target.text.clone(),
                indicator: t.target.indicator.clone(),
                measure: t.target.measure,
                from_year: t.target.from_year,
                to_year: t.target.to_year,
                bound: t.bounds.first().map(bound_view).unwrap_or_default(),
                due_on: t.target.due_on,
                later_bounds: t
                    .bounds
                    .iter()
                    .skip(1)
                    .map(|b| {
                        let v = bound_view(b);
                        LaterBound {
                            from_year: b.from_year,
                            min: v.min,
                            aim: v.aim,
                            max: v.max,
                            max_exclusive: v.max_exclusive,
                        }
                    })
                    .collect(),
            })
            .collect(),
        archived_at: row.archived_at.map(|t| t.and_utc()),
        created_at: row.created_at.and_utc(),
        version: row.version,
    }
}

fn audit_plan(
    conn: &mut DbConnection,
    auth: &Auth,
    action: &str,
    row: &PlanRow,
    before: Option<&Plan>,
    after: Option<&Plan>,
) -> ApiResult<()> {
    let json = |p: Option<&Plan>| p.map(|p| serde_json::to_value(p).unwrap_or_default());
    let is_unit = !row.unit_code.starts_with("area:");
    audit::record(
        conn,
        &audit::Actor::of(auth),
        audit::Entry {
            action,
            entity_type: "plan",
            entity_id: Some(&row.id),
            unit_code: is_unit.then_some(row.unit_code.as_str()),
            province_code: Some(row.province_code.as_str()).filter(|p| !p.is_empty()),
            before: json(before),
            after: json(after),
        },
    )
}

fn check_period(from_year: i32, to_year: i32) -> ApiResult<()> {
    rules::check_period(from_year, to_year).map_err(|p| invalid_at("", p))
}

/// Enters a plan and its targets, in one transaction.
pub fn create(conn: &mut DbConnection, auth: &Auth, input: &NewPlan) -> ApiResult<Plan> {
    write_tx(conn, |conn| insert_plan(conn, auth, input))
}

fn insert_plan(conn: &mut DbConnection, auth: &Auth, input: &NewPlan) -> ApiResult<Plan> {
    check_period(input.from_year, input.to_year)?;
    let unit = resolve_units(conn, auth, input.unit.as_deref(), "unit")?;
    let now = crate::time::now();
    let row = PlanRow {
        id: uuid::Uuid::now_v7().to_string(),
        name: crate::text::normalize(&input.name),
        decision_number: crate::text::normalize(&input.decision.number),
        decision_date: input.decision.date,
        decision_issuer: crate::text::normalize(&input.decision.issuer),
        unit_code: unit.code.clone(),
        province_code: unit.province_code.clone(),
        from_year: input.from_year,
        to_year: input.to_year,
        archived_at: None,
        created_by: Some(auth.sub.clone()),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let targets = build_targets(auth, &row.id, (row.from_year, row.to_year), &input.targets)?;
    db::insert(conn, &row)?;
    db::replace_targets(conn, &row.id, &targets)?;
    let plan = view(&row, &targets);
    audit_plan(conn, auth, "plan.create", &row, None, Some(&plan))?;
    Ok(plan)
}

pub fn get(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<Plan> {
    let row = db::find_in(conn, &auth.jurisdiction, id)?;
    let targets = db::targets_of(conn, &row.id)?;
    Ok(view(&row, &targets))
}

pub fn list(
    conn: &mut DbConnection,
    auth: &Auth,
    filter: &PlanFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<Plan>, i64)> {
    let (rows, total) = db::list(conn, &auth.jurisdiction, filter, offset, limit)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut targets = db::targets_of_plans(conn, &ids)?;
    Ok((rows.iter().map(|row| view(row, &targets.remove(&row.id).unwrap_or_default())).collect(), total))
}

fn not_archived(row: &PlanRow) -> ApiResult<()> {
    if row.archived_at.is_some() {
        return Err(ApiError::Conflict {
            code: "plan_archived",
            detail: "the plan is archived; it no longer changes".into(),
            allowed: None,
        });
    }
    Ok(())
}

/// Changes a plan, in one transaction; new targets replace the old ones, and the caller must
/// be allowed to set both.
pub fn update(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    if_match: &IfMatch,
    patch: &PlanPatch,
) -> ApiResult<Plan> {
    write_tx(conn, |conn| change_plan(conn, auth, id, if_match, patch))
}

fn change_plan(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    if_match: &IfMatch,
    patch: &PlanPatch,
) -> ApiResult<Plan> {
    let before = db::find_in(conn, &auth.jurisdiction, id)?;
    not_archived(&before)?;
    if_match.check(before.version)?;
    let old_targets = db::targets_of(conn, &before.id)?;
    let mut after = before.clone();
    if let Some(name) = &patch.name {
        after.name = crate::text::normalize(name);
    }
    if let Some(d) = &patch.decision {
        after.decision_number = crate::text::normalize(&d.number);
        after.decision_date = d.date;
        after.decision_issuer = crate::text::normalize(&d.issuer);
    }
    after.from_year = patch.from_year.unwrap_or(before.from_year);
    after.to_year = patch.to_year.unwrap_or(before.to_year);
    check_period(after.from_year, after.to_year)?;
    let period = (after.from_year, after.to_year);
    let new_targets = match &patch.targets {
        Some(inputs) => {
            ensure_may_set_all(auth, &old_targets)?;
            Some(build_targets(auth, &after.id, period, inputs)?)
        }
        None => {
            check_against_period(period, &old_targets)?;
            None
        }
    };
    after.version += 1;
    after.updated_at = crate::time::now();
    db::save(conn, &after, before.version)?;
    if let Some(t) = &new_targets {
        db::replace_targets(conn, &after.id, t)?;
    }
    let plan = view(&after, new_targets.as_deref().unwrap_or(&old_targets));
    audit_plan(conn, auth, "plan.update", &after, Some(&view(&before, &old_targets)), Some(&plan))?;
    Ok(plan)
}

/// Archives a plan: it stays readable (`archived=true` in the list) and leaves reports.
/// The caller must be allowed to set every target in it. One transaction.
pub fn archive(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<()> {
    write_tx(conn, |conn| archive_plan(conn, auth, id))
}

fn archive_plan(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<()> {
    let before = db::find_in(conn, &auth.jurisdiction, id)?;
    if before.archived_at.is_some() {
        return Ok(());
    }
    let targets = db::targets_of(conn, &before.id)?;
    ensure_may_set_all(auth, &targets)?;
    let mut after = before.clone();
    after.archived_at = Some(crate::time::now());
    after.updated_at = crate::time::now();
    after.version += 1;
    db::save(conn, &after, before.version)?;
    audit_plan(conn, auth, "plan.archive", &after, Some(&view(&before, &targets)), Some(&view(&after, &targets)))
}

/// Every target of the plan that applies in `year`, measured on the calendar year (a
/// deadline target on its own date).
pub fn progress(conn: &mut DbConnection, auth: &Auth, id: &str, year: i32) -> ApiResult<PlanProgress> {
    let plan = db::find_in(conn, &auth.jurisdiction, id)?;
    if !rules::applies(plan.from_year, plan.to_year, year) {
        return Err(ApiError::invalid(
            "year",
            format!("must lie in the plan's period {}–{}", plan.from_year, plan.to_year),
        ));
    }
    let period = rules::year_period(year).ok_or_else(|| ApiError::invalid("year", "not a year"))?;
    let unit = resolve_units(conn, auth, Some(&plan.unit_code), "unit")?;
    measure_plan(conn, &unit, &plan, year, period, &mut Vec::new())
}

/// The progress of the plans of a report's unit whose period includes the year of `to`,
/// measured on the report's period (its figures are reused).
pub fn progress_for_report(
    conn: &mut DbConnection,
    unit: &ReportUnit,
    from: NaiveDate,
    to: NaiveDate,
    figures: &[Figure],
) -> ApiResult<Vec<PlanProgress>> {
    let plans = db::covering(conn, &unit.code, to.year())?;
    let mut cache = vec![((from, to), figures.to_vec())];
    plans.iter().map(|plan| measure_plan(conn, unit, plan, to.year(), (from, to), &mut cache)).collect()
}

/// Figures per measured period, computed once each.
type FigureCache = Vec<((NaiveDate, NaiveDate), Vec<Figure>)>;

fn figures_for(
    conn: &mut DbConnection,
    unit: &ReportUnit,
    period: (NaiveDate, NaiveDate),
    cache: &mut FigureCache,
) -> ApiResult<usize> {
    if let Some(i) = cache.iter().position(|(p, _)| *p == period) {
        return Ok(i);
    }
    let ind = live_db::indicators(conn, &unit.code, &unit.name, &unit.set, period.0, period.1)?;
    cache.push((period, ind.figures()));
    Ok(cache.len() - 1)
}

fn measure_plan(
    conn: &mut DbConnection,
    unit: &ReportUnit,
    plan: &PlanRow,
    year: i32,
    period: (NaiveDate, NaiveDate),
    cache: &mut FigureCache,
) -> ApiResult<PlanProgress> {
    let mut targets = Vec::new();
    for t in db::targets_of(conn, &plan.id)? {
        let Some(bound) = rules::bound_for_year(&year_bounds(&t.bounds), year) else { continue };
        if !rules::applies(t.target.from_year, t.target.to_year, year) {
            continue;
        }
        let (from, to) = rules::period_for(plan.from_year, t.target.due_on, period);
        let i = figures_for(conn, unit, (from, to), cache)?;
        let value = cache[i].1.iter().find(|f| f.key == t.target.indicator).map(|f| f.value);
        let (numerator, denominator, actual) = match value {
            Some(FigureValue::Rate(r)) => (Some(r.numerator), Some(r.denominator), r.hundredths()),
            Some(v) => (v.comparable(), None, v.comparable().map(|n| n * 100)),
            None => (None, None, None),
        };
        targets.push(TargetProgress {
            target_id: t.target.id.clone(),
            text: t.target.text.clone(),
            indicator: t.target.indicator.clone(),
            measure: t.target.measure,
            min: from_hundredths(bound.min),
            aim: from_hundredths(bound.aim),
            max: from_hundredths(bound.max),
            max_exclusive: bound.max_exclusive,
            due_on: t.target.due_on,
            from,
            to,
            numerator,
            denominator,
            value: from_hundredths(actual),
            outcome: rules::evaluate(&bound, actual),
        });
    }
    Ok(PlanProgress { plan_id: plan.id.clone(), name: plan.name.clone(), unit: plan.unit_code.clone(), year, targets })
}
