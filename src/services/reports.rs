//! Indicators with their targets, targets, and the periodic-report workflow.

use chrono::{Datelike, NaiveDate};

use crate::auth::{Auth, Jurisdiction};
use crate::db::audit;
use crate::db::indicators as live_db;
use crate::db::reports::{self as db, ReportRow};
use crate::db::targets::{self, TargetRow};
use crate::db::{admin_units, write_tx, DbConnection};
use crate::domain::enums::{PeriodKind, ReportStatus, TargetMeasure};
use crate::domain::reporting::{self, Bounds, DueDates, ReportAction};
use crate::dto::reports::*;
use crate::error::{ApiError, ApiResult};
use crate::http::etag::IfMatch;

/// A reporting unit, checked against the caller's jurisdiction.
#[derive(Debug, Clone)]
pub struct ReportUnit {
    pub code: String,
    pub name: String,
    pub scope: Jurisdiction,
    /// The province (the unit itself for a province; empty for VN).
    pub province_code: String,
    /// The units measured: the unit itself, or the units of a set (none overlapping).
    pub set: Vec<Jurisdiction>,
}

impl ReportUnit {
    /// The unit, its province and VN: where targets are looked up, nearest first.
    /// A set of units has no targets of its own.
    fn target_chain(&self) -> Vec<String> {
        if self.set.len() != 1 || Jurisdiction::parse(&self.code).is_none() {
            return Vec::new();
        }
        let mut chain = vec![self.code.clone()];
        if matches!(self.scope, Jurisdiction::Commune(_)) {
            chain.push(self.province_code.clone());
        }
        if self.code != crate::auth::roles::NATIONAL_CODE {
            chain.push(crate::auth::roles::NATIONAL_CODE.into());
        }
        chain
    }
}

/// Resolves `unit` (default: the caller's own) inside the caller's jurisdiction; a unit
/// outside it is a 422 on `field`, like every other out-of-unit code.
pub fn resolve_unit(conn: &mut DbConnection, auth: &Auth, unit: Option<&str>, field: &str) -> ApiResult<ReportUnit> {
    let code = unit.unwrap_or(&auth.unit);
    let scope = Jurisdiction::parse(code)
        .ok_or_else(|| ApiError::invalid(field, "must be VN, a 2-digit province or a 5-digit commune code"))?;
    let u = admin_units::find(conn, code)
        .map_err(|_| ApiError::invalid(field, format!("`{code}` is not a current administrative unit code")))?;
    crate::auth::ensure_covers(auth, &u.code, u.province_code.as_deref(), field)?;
    Ok(ReportUnit {
        province_code: u.province_code.clone().unwrap_or_default(),
        code: u.code,
        name: u.name,
        set: vec![scope.clone()],
        scope,
    })
}

/// At most this many units in a set.
pub const MAX_UNITS: usize = 50;

/// Resolves a unit or a set of units: `24616,24620` (communes, provinces or `VN`, not
/// overlapping), or a named area `area:<id>`. The caller needs jurisdiction over every unit.
pub fn resolve_units(conn: &mut DbConnection, auth: &Auth, unit: Option<&str>, field: &str) -> ApiResult<ReportUnit> {
    let text = unit.unwrap_or(&auth.unit).trim();
    if let Some(id) = text.strip_prefix("area:") {
        let area = crate::services::areas::find(conn, auth, id, field)?;
        let mut set = units_of(conn, auth, &area.unit_codes(), field)?;
        set.code = text.to_string();
        set.name = area.name;
        return Ok(set);
    }
    if !text.contains(',') {
        return resolve_unit(conn, auth, Some(text), field);
    }
    let codes: Vec<String> = text.split(',').map(|c| c.trim().to_string()).collect();
    let mut set = units_of(conn, auth, &codes, field)?;
    set.code = codes.join(",");
    Ok(set)
}

/// The units of a set, each resolved in the caller's jurisdiction; a 422 on `field` when the
/// list is empty, too long, or has units that overlap.
pub fn units_of(conn: &mut DbConnection, auth: &Auth, codes: &[String], field: &str) -> ApiResult<ReportUnit> {
    if codes.is_empty() || codes.len() > MAX_UNITS {
        return Err(ApiError::invalid(field, format!("must list 1 to {MAX_UNITS} units")));
    }
    let mut units: Vec<ReportUnit> = Vec::with_capacity(codes.len());
    for code in codes {
        units.push(resolve_unit(conn, auth, Some(code), field)?);
    }
    for (i, a) in units.iter().enumerate() {
        for b in &units[i + 1..] {
            if overlap(a, b) {
                return Err(ApiError::invalid(field, format!("`{}` and `{}` overlap", a.code, b.code)));
            }
        }
    }
    let first = units[0].clone();
    Ok(ReportUnit {
        code: codes.join(","),
        name: units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join(", "),
        province_code: if units.iter().all(|u| u.province_code == first.province_code) {
            first.province_code.clone()
        } else {
            String::new()
        },
        set: units.into_iter().map(|u| u.scope).collect(),
        scope: first.scope,
    })
}

/// Whether two units share ground: the same unit, VN and anything, or a province and one of
/// its communes.
fn overlap(a: &ReportUnit, b: &ReportUnit) -> bool {
    match (&a.scope, &b.scope) {
        (Jurisdiction::National, _) | (_, Jurisdiction::National) => true,
        (Jurisdiction::Province(p), Jurisdiction::Commune(_)) => b.province_code == *p,
        (Jurisdiction::Commune(_), Jurisdiction::Province(p)) => a.province_code == *p,
        _ => a.code == b.code,
    }
}

fn period_problem(
    (field, reason): (&'static str, &'static str),
    from_field: &'static str,
    to_field: &'static str,
) -> ApiError {
    ApiError::invalid(if field == "from" { from_field } else { to_field }, reason)
}

pub fn to_hundredths(v: Option<f64>, field: &str) -> ApiResult<Option<i64>> {
    match v {
        None => Ok(None),
        Some(x) if x.is_finite() && (0.0..=1e12).contains(&x) => Ok(Some((x * 100.0).round() as i64)),
        Some(_) => Err(ApiError::invalid(field, "must be a non-negative number")),
    }
}

pub fn from_hundredths(v: Option<i64>) -> Option<f64> {
    v.map(|h| h as f64 / 100.0)
}

pub fn target_view(t: &TargetRow) -> Target {
    Target {
        id: t.id.clone(),
        unit: t.unit_code.clone(),
        year: t.year,
        indicator: t.indicator.clone(),
        measure: t.measure,
        min: from_hundredths(t.min_value),
        max: from_hundredths(t.max_value),
        note: t.note.clone(),
        version: t.version,
    }
}

/// The targets that apply to a unit in a year, nearest unit first per indicator.
pub fn effective_targets(conn: &mut DbConnection, unit: &ReportUnit, year: i32) -> ApiResult<Vec<(TargetRow, bool)>> {
    let chain = unit.target_chain();
    let rows = targets::targets_of(conn, &chain, year)?;
    let mut out: Vec<(TargetRow, bool)> = Vec::new();
    for row in rows {
        let rank = chain.iter().position(|c| *c == row.unit_code).unwrap_or(usize::MAX);
        match out.iter_mut().find(|(t, _)| t.indicator == row.indicator) {
            Some(existing) => {
                let existing_rank = chain.iter().position(|c| *c == existing.0.unit_code).unwrap_or(usize::MAX);
                if rank < existing_rank {
                    *existing = (row.clone(), rank == 0);
                }
            }
            None => out.push((row.clone(), rank == 0)),
        }
    }
    Ok(out)
}

/// Live indicators for a unit and period, measured against the year's targets.
/// Its build time is measured (`thncd_report_build_seconds`): live indicators, exports and
/// report snapshots all go through here.
pub fn indicators(conn: &mut DbConnection, unit: &ReportUnit, from: NaiveDate, to: NaiveDate) -> ApiResult<Indicators> {
    let started = std::time::Instant::now();
    let result = build_indicators(conn, unit, from, to);
    let outcome = if result.is_ok() { "ok" } else { "error" };
    metrics::histogram!("thncd_report_build_seconds", "outcome" => outcome).record(started.elapsed().as_secs_f64());
    result
}

fn build_indicators(
    conn: &mut DbConnection,
    unit: &ReportUnit,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Indicators> {
    reporting::check_period(from, to).map_err(|p| period_problem(p, "from", "to"))?;
    let mut ind = live_db::indicators(conn, &unit.code, &unit.name, &unit.set, from, to)?;
    let figures = ind.figures();
    for (t, _) in effective_targets(conn, unit, to.year())? {
        let Some(fig) = figures.iter().find(|f| f.key == t.indicator) else { continue };
        let measure = t.measure;
        let actual = match (measure, fig.value) {
            (TargetMeasure::Rate, FigureValue::Rate(r)) => r.hundredths(),
            (_, v) => v.comparable().map(|n| n * 100),
        };
        ind.targets.push(TargetCheck {
            indicator: t.indicator.clone(),
            measure,
            min: from_hundredths(t.min_value),
            max: from_hundredths(t.max_value),
            actual: from_hundredths(actual),
            outcome: reporting::evaluate(Bounds { min: t.min_value, max: t.max_value }, actual),
            set_by: t.unit_code.clone(),
        });
    }
    ind.plans = crate::services::plans::progress_for_report(conn, unit, from, to, &figures)?;
    Ok(ind)
}

/// Creates or replaces the unit's target for an indicator and year, in one transaction.
pub fn set_target(conn: &mut DbConnection, auth: &Auth, input: &TargetInput) -> ApiResult<(TargetRow, bool)> {
    write_tx(conn, |conn| put_target(conn, auth, input))
}

fn put_target(conn: &mut DbConnection, auth: &Auth, input: &TargetInput) -> ApiResult<(TargetRow, bool)> {
    let unit = resolve_unit(conn, auth, input.unit.as_deref(), "unit")?;
    let Some(is_rate) = Indicators::is_rate(&input.indicator) else {
        return Err(ApiError::invalid("indicator", "is not an indicator key (see the indicators CSV export)"));
    };
    crate::services::plans::ensure_may_set(auth, &input.indicator)?;
    if is_rate != (input.measure == TargetMeasure::Rate) {
        return Err(ApiError::invalid(
            "measure",
            if is_rate { "must be `rate` for a rate" } else { "must be `count` for a count" },
        ));
    }
    let bounds = Bounds { min: to_hundredths(input.min, "min")?, max: to_hundredths(input.max, "max")? };
    reporting::check_bounds(input.measure, bounds).map_err(|(f, r)| ApiError::invalid(f, r))?;
    let now = crate::time::now();
    let existing = targets::target_for(conn, &unit.code, input.year, &input.indicator)?;
    let created = existing.is_none();
    let row = match existing {
        Some(mut t) => {
            t.measure = input.measure;
            t.min_value = bounds.min;
            t.max_value = bounds.max;
            t.note = input.note.clone();
            t.updated_at = now;
            t.version += 1;
            targets::update_target(conn, &t)?;
            t
        }
        None => {
            let t = TargetRow {
                id: uuid::Uuid::now_v7().to_string(),
                unit_code: unit.code.clone(),
                province_code: unit.province_code.clone(),
                year: input.year,
                indicator: input.indicator.clone(),
                measure: input.measure,
                min_value: bounds.min,
                max_value: bounds.max,
                note: input.note.clone(),
                created_by: Some(auth.sub.clone()),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            targets::insert_target(conn, &t)?;
            t
        }
    };
    let after = serde_json::to_value(target_view(&row)).unwrap_or_default();
    audit::by(conn, auth, target_entry("target.set", &row).change(None, Some(after)))?;
    Ok((row, created))
}

/// Deletes a target of the caller's unit, in one transaction.
pub fn delete_target(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<()> {
    write_tx(conn, |conn| drop_target(conn, auth, id))
}

fn drop_target(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<()> {
    let t = targets::find_target_in(conn, &auth.jurisdiction, id)?;
    crate::services::plans::ensure_may_set(auth, &t.indicator)?;
    targets::delete_target(conn, &t.id)?;
    let before = serde_json::to_value(target_view(&t)).unwrap_or_default();
    audit::by(conn, auth, target_entry("target.delete", &t).change(Some(before), None))
}

fn target_entry<'a>(action: &'a str, t: &'a TargetRow) -> audit::Entry<'a> {
    audit::Entry::on(action, "report_target", (&t.id, &t.unit_code, &t.province_code))
}

fn kind_title(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Semiannual => "Báo cáo 6 tháng",
        PeriodKind::Annual => "Báo cáo năm",
        PeriodKind::Phase => "Báo cáo sơ kết giai đoạn",
        PeriodKind::FiveYear => "Báo cáo tổng kết 5 năm",
        PeriodKind::Custom => "Báo cáo",
    }
}

fn snapshot_json(ind: &Indicators) -> ApiResult<String> {
    serde_json::to_string(ind).map_err(|e| ApiError::internal(format!("snapshot: {e}")))
}

pub fn parse_snapshot(row: &ReportRow) -> ApiResult<Indicators> {
    serde_json::from_str(&row.snapshot).map_err(|e| ApiError::internal(format!("report {} snapshot: {e}", row.id)))
}

/// The report's narrative sections; a stored text that is not a `ReportSections` is an
/// error (500), not an empty report.
pub fn parse_sections(row: &ReportRow) -> ApiResult<ReportSections> {
    serde_json::from_str(&row.sections).map_err(|e| ApiError::internal(format!("report {} sections: {e}", row.id)))
}

fn sections_json(sections: &ReportSections) -> String {
    serde_json::to_string(sections).unwrap_or_else(|_| "{}".into())
}

fn audit_report(
    conn: &mut DbConnection,
    auth: &Auth,
    action: &str,
    row: &ReportRow,
    extra: Option<serde_json::Value>,
) -> ApiResult<()> {
    let mut after = serde_json::json!({
        "status": row.status, "version_no": row.version_no, "period_kind": row.period_kind,
        "period_from": row.period_from, "period_to": row.period_to,
    });
    if let (Some(obj), Some(serde_json::Value::Object(more))) = (after.as_object_mut(), extra) {
        obj.extend(more);
    }
    audit::by(
        conn,
        auth,
        audit::Entry::on(action, "report", (&row.id, &row.unit_code, &row.province_code)).change(None, Some(after)),
    )
}

/// The checks of a new report that need no lock: the unit, the period, and that the period
/// has no report yet (checked again when it is written).
fn check_new(conn: &mut DbConnection, auth: &Auth, input: &NewReport, today: NaiveDate) -> ApiResult<ReportUnit> {
    let unit = resolve_unit(conn, auth, input.unit.as_deref(), "unit")?;
    reporting::check_period(input.period_from, input.period_to)
        .map_err(|p| period_problem(p, "period_from", "period_to"))?;
    if input.period_to > today {
        return Err(ApiError::invalid("period_to", "must not be in the future"));
    }
    no_report_yet(conn, &unit, input)?;
    Ok(unit)
}

/// The unit has no report for the period yet: a later version comes only through `revise`.
fn no_report_yet(conn: &mut DbConnection, unit: &ReportUnit, input: &NewReport) -> ApiResult<()> {
    if db::last_version_no(conn, &unit.code, input.period_kind, input.period_from, input.period_to)?.is_some() {
        return Err(ApiError::Conflict {
            code: "report_exists",
            detail: "this unit already has a report for the period; revise it to make a new version".into(),
            allowed: Some(vec!["revise".into()]),
        });
    }
    Ok(())
}

/// Starts a report: freezes the live figures (computed beforehand, see [`create_report`])
/// and keeps the sections. One chain of versions per unit and period; a later version comes
/// only through `revise`.
fn create(
    conn: &mut DbConnection,
    auth: &Auth,
    unit: &ReportUnit,
    input: &NewReport,
    due: &DueDates,
    figures: &Indicators,
) -> ApiResult<ReportRow> {
    no_report_yet(conn, unit, input)?;
    let kind = input.period_kind;
    let year = input.period_to.year();
    let now = crate::time::now();
    let row = ReportRow {
        id: uuid::Uuid::now_v7().to_string(),
        unit_code: unit.code.clone(),
        province_code: unit.province_code.clone(),
        period_kind: kind,
        period_from: input.period_from,
        period_to: input.period_to,
        year,
        version_no: 1,
        supersedes_id: None,
        status: ReportStatus::Draft,
        title: input
            .title
            .as_deref()
            .map(crate::text::normalize)
            .unwrap_or_else(|| format!("{} {year} — {}", kind_title(kind), unit.name)),
        snapshot: snapshot_json(figures)?,
        sections: sections_json(&input.sections),
        due_on: input.due_on.or_else(|| due.due(kind, year)),
        created_by: Some(auth.sub.clone()),
        submitted_at: None,
        submitted_by: None,
        decided_at: None,
        decided_by: None,
        decision_comment: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    db::insert(conn, &row)?;
    audit_report(conn, auth, "report.create", &row, None)?;
    Ok(row)
}

fn step(row: &ReportRow, action: ReportAction) -> ApiResult<ReportStatus> {
    let status = row.status;
    reporting::report_step(status, action).map_err(|allowed| ApiError::Conflict {
        code: "transition_not_allowed",
        detail: format!("`{}` is not allowed while the report is `{}`", action.name(), status.as_str()),
        allowed: Some(allowed.into_iter().map(str::to_string).collect()),
    })
}

/// Only the reporting unit itself writes its report (a province does not edit a commune's).
fn ensure_own(auth: &Auth, row: &ReportRow) -> ApiResult<()> {
    if auth.unit == row.unit_code {
        Ok(())
    } else {
        Err(ApiError::Forbidden("only the reporting unit may change its report".into()))
    }
}

/// Only the unit above reviews: the province for a commune, VN for a province.
fn ensure_parent(auth: &Auth, row: &ReportRow) -> ApiResult<()> {
    let parent_ok = match &auth.jurisdiction {
        Jurisdiction::National => row.unit_code != crate::auth::roles::NATIONAL_CODE,
        Jurisdiction::Province(p) => row.province_code == *p && row.unit_code != *p,
        Jurisdiction::Commune(_) => false,
    };
    if parent_ok {
        Ok(())
    } else {
        Err(ApiError::Forbidden("only the unit the report is submitted to may accept or return it".into()))
    }
}

/// The unit's own report, which `action` may be taken on.
fn own_for(conn: &mut DbConnection, auth: &Auth, id: &str, action: ReportAction) -> ApiResult<ReportRow> {
    let before = db::find_in(conn, &auth.jurisdiction, id)?;
    ensure_own(auth, &before)?;
    step(&before, action)?;
    Ok(before)
}

/// The unit's own draft, at the version the caller read.
fn editable(conn: &mut DbConnection, auth: &Auth, id: &str, if_match: &IfMatch) -> ApiResult<ReportRow> {
    let before = own_for(conn, auth, id, ReportAction::Edit)?;
    if_match.check(before.version)?;
    Ok(before)
}

/// Edits a draft; `refreshed`, the figures computed beforehand when the patch asks for them.
fn update(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    if_match: &IfMatch,
    patch: &ReportPatch,
    refreshed: Option<&Indicators>,
) -> ApiResult<ReportRow> {
    let before = editable(conn, auth, id, if_match)?;
    let mut after = before.clone();
    if let Some(t) = &patch.title {
        after.title = crate::text::normalize(t);
    }
    if let Some(s) = &patch.sections {
        after.sections = sections_json(s);
    }
    if let Some(figures) = refreshed {
        after.snapshot = snapshot_json(figures)?;
    }
    let saved = db::save(conn, &after, before.version)?;
    audit_report(conn, auth, "report.update", &saved, Some(serde_json::json!({"refreshed": patch.refresh_figures})))?;
    Ok(saved)
}

fn submit(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<ReportRow> {
    let before = db::find_in(conn, &auth.jurisdiction, id)?;
    ensure_own(auth, &before)?;
    let next = step(&before, ReportAction::Submit)?;
    let mut after = before.clone();
    after.status = next;
    after.submitted_at = Some(crate::time::now());
    after.submitted_by = Some(auth.sub.clone());
    let saved = db::save(conn, &after, before.version)?;
    audit_report(conn, auth, "report.submit", &saved, None)?;
    crate::db::events::emit(conn, "report.submitted", "report", &saved.id, &saved.unit_code, &saved.province_code)?;
    Ok(saved)
}

fn decide(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    action: ReportAction,
    comment: Option<&str>,
) -> ApiResult<ReportRow> {
    let before = db::find_in(conn, &auth.jurisdiction, id)?;
    ensure_parent(auth, &before)?;
    let next = step(&before, action)?;
    if action == ReportAction::Return && comment.is_none_or(|c| c.trim().is_empty()) {
        return Err(ApiError::invalid("comment", "is required when returning a report"));
    }
    let mut after = before.clone();
    after.status = next;
    after.decided_at = Some(crate::time::now());
    after.decided_by = Some(auth.sub.clone());
    after.decision_comment = comment.map(crate::text::normalize);
    let saved = db::save(conn, &after, before.version)?;
    let name = if action == ReportAction::Accept { "report.accept" } else { "report.return" };
    audit_report(conn, auth, name, &saved, Some(serde_json::json!({"comment": saved.decision_comment})))?;
    Ok(saved)
}

/// A correction: a new draft version with fresh figures and the previous sections. Only the
/// latest version of a period may be revised.
fn revise(conn: &mut DbConnection, auth: &Auth, id: &str, figures: &Indicators) -> ApiResult<ReportRow> {
    let before = own_for(conn, auth, id, ReportAction::Revise)?;
    let last = db::last_version_no(conn, &before.unit_code, before.period_kind, before.period_from, before.period_to)?;
    if last != Some(before.version_no) {
        return Err(ApiError::Conflict {
            code: "not_latest_version",
            detail: "a newer version of this report exists; revise that one".into(),
            allowed: None,
        });
    }
    let now = crate::time::now();
    let row = ReportRow {
        id: uuid::Uuid::now_v7().to_string(),
        version_no: before.version_no + 1,
        supersedes_id: Some(before.id.clone()),
        status: ReportStatus::Draft,
        snapshot: snapshot_json(figures)?,
        created_by: Some(auth.sub.clone()),
        submitted_at: None,
        submitted_by: None,
        decided_at: None,
        decided_by: None,
        decision_comment: None,
        created_at: now,
        updated_at: now,
        version: 1,
        ..before.clone()
    };
    db::insert(conn, &row)?;
    audit_report(conn, auth, "report.revise", &row, Some(serde_json::json!({"supersedes_id": before.id})))?;
    Ok(row)
}

/// The name of a unit, for a report's view (empty if the code is unknown).
pub fn unit_name(conn: &mut DbConnection, code: &str) -> String {
    admin_units::find(conn, code).map(|u| u.name).unwrap_or_default()
}

/// A report written by one use case in its own transaction, with its unit's name.
pub type Written = (ReportRow, String);

fn in_tx(conn: &mut DbConnection, work: impl FnOnce(&mut DbConnection) -> ApiResult<ReportRow>) -> ApiResult<Written> {
    write_tx(conn, |conn| {
        let row = work(conn)?;
        let name = unit_name(conn, &row.unit_code);
        Ok((row, name))
    })
}

// The figures a report freezes are computed before its write transaction, not inside it:
// on SQLite a write transaction holds the database's one writer lock, and a province's
// figures take seconds there, so every write in the country waited behind a report (and
// failed once the pool ran dry). The checks are made again inside the transaction.

/// Starts a report (see `create`): the figures, then one transaction.
pub fn create_report(
    conn: &mut DbConnection,
    auth: &Auth,
    input: &NewReport,
    due: &DueDates,
    today: NaiveDate,
) -> ApiResult<Written> {
    let unit = check_new(conn, auth, input, today)?;
    let figures = indicators(conn, &unit, input.period_from, input.period_to)?;
    in_tx(conn, |conn| create(conn, auth, &unit, input, due, &figures))
}

/// Edits a draft (see `update`): the figures when the patch refreshes them, then one
/// transaction.
pub fn update_report(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    if_match: &IfMatch,
    patch: &ReportPatch,
) -> ApiResult<Written> {
    let refreshed = if patch.refresh_figures {
        let before = editable(conn, auth, id, if_match)?;
        Some(figures_of(conn, auth, &before)?)
    } else {
        None
    };
    in_tx(conn, |conn| update(conn, auth, id, if_match, patch, refreshed.as_ref()))
}

/// The live figures of a report's unit and period.
fn figures_of(conn: &mut DbConnection, auth: &Auth, report: &ReportRow) -> ApiResult<Indicators> {
    let unit = resolve_unit(conn, auth, Some(&report.unit_code), "unit")?;
    indicators(conn, &unit, report.period_from, report.period_to)
}

/// Submits a draft to the parent unit, in one transaction.
pub fn submit_report(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<Written> {
    in_tx(conn, |conn| submit(conn, auth, id))
}

/// The parent unit accepts or returns a submitted report, in one transaction.
pub fn decide_report(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    action: ReportAction,
    comment: Option<&str>,
) -> ApiResult<Written> {
    in_tx(conn, |conn| decide(conn, auth, id, action, comment))
}

/// A new draft version superseding this one (see `revise`), in one transaction.
pub fn revise_report(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<Written> {
    let before = own_for(conn, auth, id, ReportAction::Revise)?;
    let figures = figures_of(conn, auth, &before)?;
    in_tx(conn, |conn| revise(conn, auth, id, &figures))
}

/// A province report beside each commune's latest submitted figures for the same period and
/// the same figures computed now.
pub fn consolidated(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<Consolidated> {
    let report = db::find_in(conn, &auth.jurisdiction, id)?;
    if report.unit_code.len() != 2 {
        return Err(ApiError::Unprocessable {
            code: "not_a_province_report",
            detail: "consolidation applies to a province's report".into(),
        });
    }
    let submitted =
        db::submitted_in_province(conn, &report.unit_code, report.period_kind, report.period_from, report.period_to)?;
    let labels: Vec<Figure> = Indicators::zero("VN", report.period_from, report.period_to).figures();
    let mut communes = Vec::new();
    for row in &submitted {
        let unit = resolve_unit(conn, auth, Some(&row.unit_code), "unit")?;
        let live = live_db::indicators(conn, &unit.code, &unit.name, &unit.set, row.period_from, row.period_to)?;
        let sub = parse_snapshot(row)?;
        let pairs = |ind: &Indicators| -> Vec<(String, Option<i64>)> {
            ind.figures().into_iter().map(|f| (f.key, f.value.comparable())).collect()
        };
        let differences = reporting::differences(&pairs(&sub), &pairs(&live))
            .into_iter()
            .map(|d| FigureDifference {
                label: labels.iter().find(|f| f.key == d.key).map(|f| f.label.clone()).unwrap_or_default(),
                key: d.key,
                submitted: d.submitted,
                live: d.live,
            })
            .collect();
        communes.push(CommuneFigures {
            unit: unit.code,
            name: unit.name,
            report_id: Some(row.id.clone()),
            report_status: Some(row.status),
            submitted: Some(sub),
            live,
            differences,
        });
    }
    let province = resolve_unit(conn, auth, Some(&report.unit_code), "unit")?;
    let with_managed = live_db::communes_with_managed(conn, &province.set, report.period_from, report.period_to)?;
    let missing = with_managed.into_iter().filter(|c| !submitted.iter().any(|r| r.unit_code == *c)).collect();
    Ok(Consolidated {
        report_id: report.id,
        unit: report.unit_code,
        period_from: report.period_from,
        period_to: report.period_to,
        communes,
        missing,
    })
}

/// Sub-units that have not submitted a report of the kind for the year.
pub fn overdue(
    conn: &mut DbConnection,
    auth: &Auth,
    q: &OverdueQuery,
    due: &DueDates,
    today: NaiveDate,
) -> ApiResult<OverdueUnits> {
    let parent = resolve_unit(conn, auth, q.unit.as_deref(), "unit")?;
    if matches!(parent.scope, Jurisdiction::Commune(_)) {
        return Err(ApiError::invalid("unit", "must be a province or VN (communes have no sub-units)"));
    }
    if !(2000..=2100).contains(&q.year) {
        return Err(ApiError::invalid("year", "must be between 2000 and 2100"));
    }
    let children = admin_units::children(conn, &parent.code)?;
    let codes: Vec<String> = children.iter().map(|(c, _)| c.clone()).collect();
    let reports = db::latest_for_units(conn, &codes, q.period_kind, q.year)?;
    let due_on = due.due(q.period_kind, q.year);
    let mut items = Vec::new();
    for (code, name) in children {
        let mine: Vec<&ReportRow> = reports.iter().filter(|r| r.unit_code == code).collect();
        let done = mine.iter().any(|r| matches!(r.status, ReportStatus::Submitted | ReportStatus::Accepted));
        if !done {
            items.push(OverdueUnit { unit: code, name, latest_status: mine.first().map(|r| r.status) });
        }
    }
    Ok(OverdueUnits {
        unit: parent.code,
        period_kind: q.period_kind,
        year: q.year,
        due_on,
        past_due: due_on.is_some_and(|d| today > d),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str, province: &str) -> ReportUnit {
        let scope = Jurisdiction::parse(code).unwrap();
        ReportUnit {
            code: code.into(),
            name: code.into(),
            province_code: province.into(),
            set: vec![scope.clone()],
            scope,
        }
    }

    #[test]
    fn units_of_a_set_must_not_overlap() {
        let hoan_kiem = unit("00070", "01");
        let cua_nam = unit("00073", "01");
        let blao = unit("24829", "68");
        let ha_noi = unit("01", "01");
        let lam_dong = unit("68", "68");
        let vn = unit("VN", "");
        for (a, b, overlapping) in [
            (&hoan_kiem, &cua_nam, false),
            (&hoan_kiem, &blao, false),
            (&ha_noi, &blao, false),
            (&ha_noi, &lam_dong, false),
            (&hoan_kiem, &hoan_kiem, true),
            (&ha_noi, &hoan_kiem, true),
            (&cua_nam, &ha_noi, true),
            (&ha_noi, &ha_noi, true),
            (&vn, &blao, true),
            (&lam_dong, &vn, true),
        ] {
            assert_eq!(overlap(a, b), overlapping, "{} / {}", a.code, b.code);
        }
    }
}
