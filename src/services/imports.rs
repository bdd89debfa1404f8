//! Bulk import: every row checked (shape, commune in the caller's unit, identity, judgment,
//! ID numbers unique in the file and among active persons), then written all at once in
//! one transaction with multi-row inserts, and audited as one import.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::auth::Auth;
use crate::db::convictions::ConvictionRow;
use crate::db::persons::{AttributeChange, PersonRow, StatusRow};
use crate::db::schema::{convictions, person_attribute_changes, person_status_history, persons};
use crate::db::{admin_units, audit, DbConnection};
use crate::domain::enums::PersonStatus;
use crate::error::{ApiError, ApiResult};
use crate::import::{check_row, map_headers, ImportRow, RowProblem, Table};

/// What an import found and did.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    /// `csv` or `xlsx`.
    pub format: String,
    /// Data rows in the file (blank rows ignored).
    pub rows: usize,
    /// Rows without problems.
    pub valid_rows: usize,
    /// Persons written (0 for a dry run, or when any row has a problem).
    pub imported: usize,
    pub import_id: Option<String>,
    /// Every problem, by row and column.
    pub problems: Vec<RowProblem>,
}

fn problems_from(row: usize, err: ApiError) -> Vec<RowProblem> {
    match err {
        ApiError::Validation(params) => {
            params.into_iter().map(|p| RowProblem { row, column: Some(p.name), reason: p.reason }).collect()
        }
        ApiError::Conflict { detail, .. } | ApiError::Unprocessable { detail, .. } => {
            vec![RowProblem { row, column: None, reason: detail }]
        }
        other => vec![RowProblem { row, column: None, reason: other.to_string() }],
    }
}

/// The outcome of checking a table: rows counted, rows ready to write, and every problem.
struct Checked {
    rows: usize,
    ok: Vec<(ImportRow, PersonRow)>,
    problems: Vec<RowProblem>,
}

/// Checks the whole table; on success returns the rows with their person records built.
fn check(conn: &mut DbConnection, auth: &Auth, table: &Table, today: NaiveDate) -> ApiResult<Checked> {
    let (map, mut problems) = map_headers(&table.headers);
    let default_unit = match &auth.jurisdiction {
        crate::auth::Jurisdiction::Commune(c) => Some(c.as_str()),
        _ => None,
    };
    let mut units: HashMap<String, Result<admin_units::UnitRef, ApiError>> = HashMap::new();
    let mut seen_ids: HashMap<String, usize> = HashMap::new();
    let mut ok = Vec::new();
    let mut rows = 0;
    for (i, cells) in table.rows.iter().enumerate() {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows += 1;
        let row = i + 2;
        let parsed = match check_row(row, &map, cells, default_unit, today) {
            Ok(r) => r,
            Err(p) => {
                problems.extend(p);
                continue;
            }
        };
        let unit = units
            .entry(parsed.person.unit.clone())
            .or_insert_with(|| crate::services::persons::resolve_commune(conn, auth, &parsed.person.unit, "unit"));
        let unit = match unit {
            Ok(u) => u.clone(),
            Err(e) => {
                let reason = match e {
                    ApiError::Validation(p) => p.first().map(|p| p.reason.clone()).unwrap_or_default(),
                    other => other.to_string(),
                };
                problems.push(RowProblem { row, column: Some("unit".into()), reason });
                continue;
            }
        };
        let person = match crate::services::persons::new_row(&unit, &parsed.person, today) {
            Ok(p) => p,
            Err(e) => {
                problems.extend(problems_from(row, e));
                continue;
            }
        };
        if let Some(c) = &parsed.conviction {
            if let Err(e) = crate::services::persons::check_conviction(c, today) {
                problems.extend(problems_from(row, e));
                continue;
            }
        }
        if let Some(id) = &person.id_number {
            if let Some(first) = seen_ids.insert(id.clone(), row) {
                problems.push(RowProblem {
                    row,
                    column: Some("id_number".into()),
                    reason: format!("the same ID number as row {first}"),
                });
                continue;
            }
        }
        ok.push((parsed, person));
    }
    // ID numbers already held by active persons.
    let ids: Vec<String> = seen_ids.keys().cloned().collect();
    let mut taken: HashSet<String> = HashSet::new();
    for chunk in ids.chunks(500) {
        let found: Vec<String> = persons::table
            .filter(persons::active.eq(true))
            .filter(persons::id_number.eq_any(chunk))
            .select(persons::id_number.assume_not_null())
            .load(conn)?;
        taken.extend(found);
    }
    if !taken.is_empty() {
        ok.retain(|(r, p)| {
            let clash = p.id_number.as_ref().is_some_and(|id| taken.contains(id));
            if clash {
                problems.push(RowProblem {
                    row: r.row,
                    column: Some("id_number".into()),
                    reason: "belongs to a person already under management".into(),
                });
            }
            !clash
        });
    }
    problems.sort_by_key(|p| p.row);
    Ok(Checked { rows, ok, problems })
}

/// Builds the records of one row: the person in the status its dates say, the history from
/// `expected` on, the judgment, and the classification with its date.
fn records(
    r: &ImportRow,
    mut person: PersonRow,
    auth: &Auth,
    today: NaiveDate,
    calendar: &crate::domain::working_days::Calendar,
) -> (PersonRow, Option<ConvictionRow>, Vec<StatusRow>, Option<AttributeChange>) {
    let now = crate::time::now();
    let conviction = r.conviction.as_ref().map(|c| ConvictionRow::from_input(&person.id, c));
    if let Some(c) = &conviction {
        crate::services::persons::apply_derived(&mut person, std::slice::from_ref(c), today);
    }
    let since = r.received_on.unwrap_or(today);
    let mut steps = vec![(None, PersonStatus::Expected, since)];
    if let Some(received) = r.received_on {
        steps.push((Some(PersonStatus::Expected), PersonStatus::Received, received));
        person.received_on = Some(received);
        person.receiving_officer = Some("import".into());
        let _ = crate::services::persons::apply_reception(&mut person, received, calendar);
    }
    if let Some(started) = r.started_on {
        steps.push((Some(PersonStatus::Received), PersonStatus::UnderManagement, started));
        person.management_started_on = Some(started);
        person.management_file_number = r.file_number.clone();
    }
    let (_, status, status_since) = *steps.last().unwrap_or(&(None, PersonStatus::Expected, since));
    person.status = status.as_str().into();
    person.status_since = status_since;
    let history = steps
        .iter()
        .enumerate()
        .map(|(i, (from, to, on))| StatusRow {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: person.id.clone(),
            seq: i as i32 + 1,
            from_status: from.map(|f| f.as_str().to_string()),
            to_status: to.as_str().into(),
            occurred_on: *on,
            unit_code: person.unit_code.clone(),
            province_code: person.province_code.clone(),
            reason: Some("import".into()),
            details: None,
            actor_sub: Some(auth.sub.clone()),
            recorded_at: now,
        })
        .collect();
    let attribute = r.classification.map(|c| {
        person.classification = Some(c.as_str().into());
        AttributeChange {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: person.id.clone(),
            attribute: "classification".into(),
            value: Some(c.as_str().into()),
            changed_on: r.started_on.or(r.received_on).unwrap_or(today),
            reason: Some("import".into()),
            actor_sub: Some(auth.sub.clone()),
            recorded_at: now,
        }
    });
    (person, conviction, history, attribute)
}

/// Checks, and unless `dry_run` or any row has a problem, writes every row in the caller's
/// transaction. A real run with problems is a 422 listing all of them.
pub fn run(
    conn: &mut DbConnection,
    auth: &Auth,
    table: &Table,
    format: &str,
    file_name: Option<&str>,
    dry_run: bool,
    today: NaiveDate,
) -> ApiResult<ImportReport> {
    let Checked { rows, ok, problems } = check(conn, auth, table, today)?;
    let mut report = ImportReport {
        dry_run,
        format: format.into(),
        rows,
        valid_rows: ok.len(),
        imported: 0,
        import_id: None,
        problems,
    };
    if dry_run {
        return Ok(report);
    }
    if !report.problems.is_empty() {
        return Err(ApiError::Validation(
            report
                .problems
                .iter()
                .map(|p| {
                    crate::error::InvalidParam::new(
                        match &p.column {
                            Some(c) => format!("rows[{}].{c}", p.row),
                            None => format!("rows[{}]", p.row),
                        },
                        p.reason.clone(),
                    )
                })
                .collect(),
        ));
    }
    if ok.is_empty() {
        return Err(ApiError::invalid("file", "has no data rows"));
    }
    let (mut people, mut judgments, mut history, mut attributes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let calendar = crate::db::holidays::calendar(conn)?;
    for (r, p) in &ok {
        let (person, conviction, steps, attribute) = records(r, p.clone(), auth, today, &calendar);
        people.push(person);
        judgments.extend(conviction);
        history.extend(steps);
        attributes.extend(attribute);
    }
    insert_batches!(conn, persons::table, people, 300);
    insert_batches!(conn, convictions::table, judgments, 600);
    insert_batches!(conn, person_status_history::table, history, 1500);
    insert_batches!(conn, person_attribute_changes::table, attributes, 2000);
    // Partners hear of each new person as of its last imported status.
    let events: Vec<crate::db::events::NewEvent<'_>> = people
        .iter()
        .map(|p| crate::db::events::NewEvent {
            event_type: match p.status.as_str() {
                "expected" => "person.expected",
                "received" => "person.received",
                _ => "person.status_changed",
            },
            entity_type: "person",
            entity_id: &p.id,
            unit_code: &p.unit_code,
            province_code: &p.province_code,
        })
        .collect();
    crate::db::events::emit_many(conn, &events)?;
    let id = uuid::Uuid::now_v7().to_string();
    let province = match &auth.jurisdiction {
        crate::auth::Jurisdiction::Province(p) => p.clone(),
        _ => people.first().map(|p| p.province_code.clone()).unwrap_or_default(),
    };
    diesel::insert_into(crate::db::schema::imports::table)
        .values((
            crate::db::schema::imports::id.eq(&id),
            crate::db::schema::imports::actor_sub.eq(&auth.sub),
            crate::db::schema::imports::unit_code.eq(&auth.unit),
            crate::db::schema::imports::province_code.eq(&province),
            crate::db::schema::imports::file_name.eq(file_name),
            crate::db::schema::imports::format.eq(format),
            crate::db::schema::imports::rows_total.eq(rows as i32),
            crate::db::schema::imports::rows_imported.eq(people.len() as i32),
            crate::db::schema::imports::created_at.eq(crate::time::now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        &audit::Actor::of(auth),
        audit::Entry {
            action: "import.persons",
            entity_type: "import",
            entity_id: Some(&id),
            unit_code: Some(&auth.unit),
            province_code: Some(&province),
            after: Some(serde_json::json!({"rows": people.len(), "format": format, "file_name": file_name})),
            ..Default::default()
        },
    )?;
    report.imported = people.len();
    report.import_id = Some(id);
    Ok(report)
}
