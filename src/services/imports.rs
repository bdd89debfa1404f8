//! Bulk import: every row checked (shape, commune in the caller's unit, identity, judgment,
//! ID numbers unique in the file and among active persons), then written all at once in
//! one transaction with multi-row inserts, and audited as one import.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::auth::Auth;
use crate::auth::Jurisdiction;
use crate::db::convictions::ConvictionRow;
use crate::db::persons::{AttributeChange, ListFilter, PersonRow, PersonScope, StatusRow};
use crate::db::schema::{convictions, person_attribute_changes, person_status_history, persons};
use crate::db::{admin_units, audit, write_tx, DbConnection};
use crate::domain::enums::{PersonStatus, ReleaseType};
use crate::dto::persons::{Person, Visibility};
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
    /// One item per person the import created (empty on a dry run), so a client can link
    /// its own records to the new ids.
    pub created: Vec<CreatedPerson>,
    /// The problems by row and column: the first `THNCD_IMPORT_MAX_PROBLEMS` (default
    /// 1,000) by row.
    pub problems: Vec<RowProblem>,
    /// Every problem found, listed or not.
    pub problems_total: usize,
}

/// Keeps the first `max` problems by row, counting them all, in memory bounded by `max`.
pub struct Problems {
    max: usize,
    kept: Vec<RowProblem>,
    total: usize,
}

impl Problems {
    pub fn new(max: usize) -> Problems {
        Problems { max: max.max(1), kept: Vec::new(), total: 0 }
    }

    pub fn push(&mut self, p: RowProblem) {
        self.total += 1;
        self.kept.push(p);
        if self.kept.len() >= 2 * self.max {
            self.trim();
        }
    }

    pub fn extend(&mut self, ps: impl IntoIterator<Item = RowProblem>) {
        for p in ps {
            self.push(p);
        }
    }

    fn trim(&mut self) {
        // Stable: problems of one row keep their order.
        self.kept.sort_by_key(|p| p.row);
        self.kept.truncate(self.max);
    }

    /// The first problems by row, and the total.
    pub fn finish(mut self) -> (Vec<RowProblem>, usize) {
        self.trim();
        (self.kept, self.total)
    }
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

/// A person created by an import, with the spreadsheet row it came from.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CreatedPerson {
    /// Spreadsheet row number (the header is row 1).
    pub row: usize,
    pub person_id: String,
}

/// The outcome of checking a table: rows counted, rows ready to write, and every problem.
struct Checked {
    rows: usize,
    ok: Vec<(ImportRow, PersonRow, Option<admin_units::UnitRef>)>,
    problems: Vec<RowProblem>,
    problems_total: usize,
}

/// Checks the whole table; on success returns the rows with their person records built.
fn check(
    conn: &mut DbConnection,
    auth: &Auth,
    table: &Table,
    max_problems: usize,
    today: NaiveDate,
) -> ApiResult<Checked> {
    let (map, header_problems) = map_headers(&table.headers);
    let mut problems = Problems::new(max_problems);
    problems.extend(header_problems);
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
        // A move goes to any current commune (the receiving commune takes the person over).
        let moved_to = match &parsed.moved {
            None => None,
            Some((code, _)) => match admin_units::resolve(conn, code, "moved_to") {
                Ok(u) if u.level == "commune" => Some(u),
                Ok(_) => {
                    problems.push(RowProblem {
                        row,
                        column: Some("moved_to".into()),
                        reason: "must be a commune code".into(),
                    });
                    continue;
                }
                Err(e) => {
                    problems.extend(problems_from(row, e));
                    continue;
                }
            },
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
        ok.push((parsed, person, moved_to));
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
        ok.retain(|(r, p, _)| {
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
    let (problems, problems_total) = problems.finish();
    Ok(Checked { rows, ok, problems, problems_total })
}

/// Builds the records of one row: the person in the status its dates say, the history from
/// `expected` on, the judgment, and the classification with its date.
fn records(
    r: &ImportRow,
    mut person: PersonRow,
    moved_to: Option<&admin_units::UnitRef>,
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
    // Each step is recorded in the commune where it happened: a move is `moved_out` in the
    // first commune and `received` in the next one, on the same day, as a transfer records it.
    let mut places: Vec<(String, String, Option<serde_json::Value>)> =
        vec![(person.unit_code.clone(), person.province_code.clone(), None); steps.len()];
    if let (Some((_, moved_on)), Some(to)) = (&r.moved, moved_to) {
        let current = steps.last().map_or(PersonStatus::Expected, |s| s.1);
        let details = serde_json::json!({"from_unit": person.unit_code, "to_unit": to.code});
        steps.push((Some(current), PersonStatus::MovedOut, *moved_on));
        places.push((person.unit_code.clone(), person.province_code.clone(), Some(details.clone())));
        steps.push((Some(PersonStatus::MovedOut), PersonStatus::Received, *moved_on));
        person.unit_code = to.code.clone();
        person.province_code = to.province_code.clone().unwrap_or_default();
        places.push((person.unit_code.clone(), person.province_code.clone(), Some(details)));
        person.received_on = Some(*moved_on);
    }
    if let Some((exit, on)) = r.exit {
        let current = steps.last().map_or(PersonStatus::Expected, |s| s.1);
        steps.push((Some(current), exit.to(), on));
        places.push((person.unit_code.clone(), person.province_code.clone(), None));
        if exit == crate::domain::lifecycle::Transition::Expunge {
            person.expungement_status = crate::domain::enums::ExpungementStatus::Expunged;
            person.expungement_decided_on = Some(on);
        }
    }
    let (_, status, status_since) = *steps.last().unwrap_or(&(None, PersonStatus::Expected, since));
    person.status = status;
    person.status_since = status_since;
    person.active = crate::domain::lifecycle::is_active(status);
    let history = steps
        .iter()
        .zip(places)
        .enumerate()
        .map(|(i, ((from, to, on), (unit_code, province_code, details)))| StatusRow {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: person.id.clone(),
            seq: i as i32 + 1,
            from_status: *from,
            to_status: *to,
            occurred_on: *on,
            unit_code,
            province_code,
            reason: Some("import".into()),
            details: details.map(crate::db::json_text::JsonText),
            actor_sub: Some(auth.sub.clone()),
            recorded_at: now,
        })
        .collect();
    let attribute = r.classification.map(|c| {
        person.classification = Some(c);
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

/// One import as [`import`] was asked for it.
#[derive(Clone, Copy)]
struct Job<'a> {
    table: &'a Table,
    format: &'a str,
    file_name: Option<&'a str>,
    dry_run: bool,
    limits: &'a crate::import::ImportLimits,
    today: NaiveDate,
}

/// Checks, and unless `dry_run` or any row has a problem, writes every row in the caller's
/// transaction. A real run with problems is a 422 listing the first `limits.max_problems`
/// of them and their total.
fn run(conn: &mut DbConnection, auth: &Auth, job: Job) -> ApiResult<ImportReport> {
    let Job { table, format, file_name, dry_run, limits, today } = job;
    let Checked { rows, ok, problems, problems_total } = check(conn, auth, table, limits.max_problems, today)?;
    let mut report = ImportReport {
        dry_run,
        format: format.into(),
        rows,
        valid_rows: ok.len(),
        imported: 0,
        import_id: None,
        created: Vec::new(),
        problems,
        problems_total,
    };
    if dry_run {
        return Ok(report);
    }
    if !report.problems.is_empty() {
        let params: Vec<_> = report
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
            .collect();
        return Err(if report.problems_total > params.len() {
            ApiError::ValidationTruncated { params, total: report.problems_total }
        } else {
            ApiError::Validation(params)
        });
    }
    if ok.is_empty() {
        return Err(ApiError::invalid("file", "has no data rows"));
    }
    let (mut people, mut judgments, mut history, mut attributes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let calendar = crate::db::holidays::calendar(conn)?;
    for (r, p, moved_to) in &ok {
        let (person, conviction, steps, attribute) = records(r, p.clone(), moved_to.as_ref(), auth, today, &calendar);
        report.created.push(CreatedPerson { row: r.row, person_id: person.id.clone() });
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

/// A printed list of persons (`list`, already parsed into `filter`) in `unit` (default: the
/// caller's), as the caller's role sees them, at most about `max_rows`; the export is
/// audited with the ids it carries. Returns the persons and the unit's code.
#[allow(clippy::too_many_arguments)]
pub fn export(
    conn: &mut DbConnection,
    auth: &Auth,
    unit: Option<String>,
    list: &str,
    mut filter: ListFilter,
    loan_candidates: bool,
    max_rows: i64,
    today: NaiveDate,
) -> ApiResult<(Vec<Person>, String)> {
    let code = unit.unwrap_or_else(|| auth.unit.clone());
    let j = Jurisdiction::parse(&code)
        .ok_or_else(|| ApiError::invalid("unit", "must be VN, a province or a commune code"))?;
    crate::services::covered_unit(conn, auth, &code, "unit")?;
    filter.unit = Some(j);
    let visibility = Visibility::for_roles(&auth.roles);
    let mut out: Vec<Person> = Vec::new();
    let mut offset = 0;
    loop {
        let rows = crate::db::persons::list(conn, &PersonScope::of(auth), &filter, offset, 1000)?.rows;
        let n = rows.len() as i64;
        for row in rows {
            if loan_candidates
                && !(matches!(row.release_type, Some(ReleaseType::CompletedSentence | ReleaseType::SpecialAmnesty))
                    && row.release_certificate_number.is_some())
            {
                continue;
            }
            // Still active on the day (an expungement list keeps persons not yet out).
            if list == "expungement_due" && !row.active {
                continue;
            }
            out.push(Person::build(&row, visibility, today));
        }
        offset += n;
        if n < 1000 || offset >= max_rows {
            break;
        }
    }
    audit::record(
        conn,
        &audit::Actor::of(auth),
        audit::Entry {
            action: "persons.export",
            entity_type: "person_list",
            unit_code: Some(&code),
            after: Some(serde_json::json!({
                "list": list,
                "rows": out.len(),
                "ids": out.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
            })),
            ..Default::default()
        },
    )?;
    Ok((out, code))
}

/// A checked import: a dry run writes nothing; a real run writes every row in one
/// transaction, or nothing.
#[allow(clippy::too_many_arguments)]
pub fn import(
    conn: &mut DbConnection,
    auth: &Auth,
    table: &Table,
    format: &str,
    file_name: Option<&str>,
    dry_run: bool,
    limits: &crate::import::ImportLimits,
    today: NaiveDate,
) -> ApiResult<ImportReport> {
    let job = Job { table, format, file_name, dry_run, limits, today };
    if dry_run {
        run(conn, auth, job)
    } else {
        write_tx(conn, |conn| run(conn, auth, job))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_keep_the_first_by_row_and_count_all() {
        let p = |row: usize, reason: &str| RowProblem { row, column: None, reason: reason.into() };
        let mut problems = Problems::new(3);
        // Rows out of order, as the ID-number check adds them after the row loop.
        for row in [9, 4, 7, 2, 8, 5, 3, 6] {
            problems.push(p(row, "late"));
        }
        problems.push(p(2, "second on row 2"));
        let (kept, total) = problems.finish();
        assert_eq!(total, 9);
        let rows: Vec<(usize, &str)> = kept.iter().map(|p| (p.row, p.reason.as_str())).collect();
        assert_eq!(rows, [(2, "late"), (2, "second on row 2"), (3, "late")]);
    }
}
