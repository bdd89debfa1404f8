//! Person use cases: creation, edits with history, lifecycle transitions, convictions and
//! the justice office's expungement decisions.

use chrono::NaiveDate;

use crate::auth::Auth;
use crate::db::audit::NewAuditEvent;
use crate::db::persons::{self, AttributeChange, PersonRow, PersonScope};
use crate::db::{admin_units, audit, events, write_tx, DbConnection};
use crate::domain::enums::*;
use crate::dto::persons::{age_on, NewPerson, PersonPatch, Visibility};
use crate::error::{ApiError, ApiResult, InvalidParam};
use crate::http::etag::IfMatch;
use crate::services::Audited;

/// Parolees must report within this many days of release.
pub const PAROLE_REPORTING_DAYS: u64 = 5;

fn audit_person(
    conn: &mut DbConnection,
    auth: &Auth,
    action: &str,
    before: Option<&PersonRow>,
    after: &PersonRow,
) -> ApiResult<()> {
    audit::record(
        conn,
        &audit::Actor::of(auth),
        audit::Entry {
            action,
            entity_type: "person",
            entity_id: Some(&after.id),
            unit_code: Some(&after.unit_code),
            province_code: Some(&after.province_code),
            before: before.and_then(|b| serde_json::to_value(b).ok()),
            after: serde_json::to_value(after).ok(),
        },
    )
}

/// Resolves a commune code the caller may act in.
pub fn resolve_commune(
    conn: &mut DbConnection,
    auth: &Auth,
    code: &str,
    field: &str,
) -> ApiResult<admin_units::UnitRef> {
    let unit = admin_units::resolve(conn, code, field)?;
    if unit.level != "commune" {
        return Err(ApiError::invalid(field, "must be a commune code"));
    }
    crate::auth::ensure_covers(auth, &unit.code, unit.province_code.as_deref(), field)?;
    Ok(unit)
}

fn check_identity(
    id_number: Option<&str>,
    dob: Option<NaiveDate>,
    gender: Gender,
    nationality: Nationality,
    country: Option<&str>,
    today: NaiveDate,
) -> ApiResult<()> {
    let mut problems = Vec::new();
    if let Some(number) = id_number {
        if let Err(reason) = crate::domain::cccd::check(number, dob, gender) {
            problems.push(InvalidParam::new("id_number", reason));
        }
    }
    if let Some(d) = dob {
        if d > today || d < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d) {
            problems.push(InvalidParam::new("date_of_birth", "must be between 1900-01-01 and today"));
        }
    }
    if nationality == Nationality::Foreign && country.is_none_or(|c| c.trim().is_empty()) {
        problems.push(InvalidParam::new("country", "is required for foreign nationals"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(problems))
    }
}

/// A new person record in `expected` (the usual start is a release notice).
pub fn new_row(unit: &admin_units::UnitRef, input: &NewPerson, today: NaiveDate) -> ApiResult<PersonRow> {
    check_identity(
        input.id_number.as_deref(),
        input.date_of_birth,
        input.gender,
        input.nationality,
        input.country.as_deref(),
        today,
    )?;
    let now = crate::time::now();
    let full_name = crate::text::normalize(&input.full_name);
    let other_names = input.other_names.as_deref().map(crate::text::normalize);
    Ok(PersonRow {
        id: uuid::Uuid::now_v7().to_string(),
        search_text: persons::search_text(&full_name, other_names.as_deref(), input.id_number.as_deref()),
        full_name,
        other_names,
        gender: input.gender,
        date_of_birth: input.date_of_birth,
        id_number: input.id_number.clone(),
        ethnicity: input.ethnicity.clone(),
        nationality: input.nationality,
        country: input.country.clone(),
        phone: input.phone.clone(),
        unit_code: unit.code.clone(),
        province_code: unit.province_code.clone().unwrap_or_default(),
        village: input.village.as_deref().map(crate::text::normalize),
        address_line: input.address_line.as_deref().map(crate::text::normalize),
        education: input.education.clone(),
        occupation: input.occupation.clone(),
        family_situation: input.family_situation.clone(),
        status: PersonStatus::Expected,
        status_since: today,
        active: true,
        release_date: None,
        release_type: None,
        release_certificate_number: None,
        release_certificate_date: None,
        probation_end: None,
        offence_group: None,
        received_on: None,
        receiving_officer: None,
        commitment_signed: None,
        management_file_number: None,
        management_started_on: None,
        juvenile: false,
        late_reception: false,
        classification: None,
        needs_focus: false,
        employment_status: None,
        expungement_track: None,
        expungement_due_on: None,
        expungement_status: ExpungementStatus::None,
        expungement_decided_on: None,
        expungement_basis: None,
        judicial_record_number: None,
        judicial_record_issuer: None,
        created_at: now,
        updated_at: now,
        version: 1,
        last_contact_on: None,
        last_check_in_on: None,
        expungement_basis_kind: None,
        expungement_decision_number: None,
        expungement_refusals: 0,
        expungement_last_refused_on: None,
    })
}

/// Creates a person in `expected` since `since` (the notice date for a release notice).
pub fn create(
    conn: &mut DbConnection,
    auth: &Auth,
    input: &NewPerson,
    since: NaiveDate,
    today: NaiveDate,
    reason: Option<&str>,
) -> ApiResult<PersonRow> {
    let unit = resolve_commune(conn, auth, &input.unit, "unit")?;
    let mut row = new_row(&unit, input, today)?;
    row.status_since = since;
    persons::insert(conn, &row)?;
    persons::record_status(conn, &row, None, PersonStatus::Expected, since, reason, None, Some(&auth.sub))?;
    audit_person(conn, auth, "person.create", None, &row)?;
    events::emit(conn, "person.expected", "person", &row.id, &row.unit_code, &row.province_code)?;
    Ok(row)
}

pub fn patch(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    if_match: &IfMatch,
    patch: &PersonPatch,
    today: NaiveDate,
) -> ApiResult<PersonRow> {
    let before = persons::find_in_for_update(conn, &PersonScope::of(auth), person_id)?;
    if_match.check(before.version)?;
    let mut after = before.clone();
    // JSON Merge Patch: a member left out stays, `null` (or empty text) clears.
    let set = |field: &mut Option<String>, value: &Option<Option<String>>| {
        if let Some(v) = value {
            *field = crate::dto::merge_patch::text(v);
        }
    };
    if let Some(name) = &patch.full_name {
        after.full_name = crate::text::normalize(name);
    }
    set(&mut after.other_names, &patch.other_names);
    if let Some(g) = patch.gender {
        after.gender = g;
    }
    if let Some(d) = patch.date_of_birth {
        after.date_of_birth = d;
    }
    if let Some(n) = &patch.id_number {
        after.id_number = n.clone();
    }
    set(&mut after.ethnicity, &patch.ethnicity);
    if let Some(n) = patch.nationality {
        after.nationality = n;
    }
    set(&mut after.country, &patch.country);
    set(&mut after.phone, &patch.phone);
    set(&mut after.village, &patch.village);
    set(&mut after.address_line, &patch.address_line);
    set(&mut after.education, &patch.education);
    set(&mut after.occupation, &patch.occupation);
    set(&mut after.family_situation, &patch.family_situation);
    check_identity(
        after.id_number.as_deref(),
        after.date_of_birth,
        after.gender,
        after.nationality,
        after.country.as_deref(),
        today,
    )?;
    if after.id_number != before.id_number && after.active {
        persons::ensure_id_number_free(conn, after.id_number.as_deref(), Some(&after.id))?;
    }
    after.search_text =
        persons::search_text(&after.full_name, after.other_names.as_deref(), after.id_number.as_deref());
    if after.received_on.is_some() {
        after.juvenile = after.date_of_birth.zip(after.received_on).is_some_and(|(d, r)| age_on(d, r) < 18);
    }

    let changed_on = patch.changed_on.unwrap_or(today);
    if changed_on > today {
        return Err(ApiError::invalid("changed_on", "must not be in the future"));
    }
    let mut changes: Vec<(&str, Option<String>)> = Vec::new();
    // A value stated with its own date is history even when it equals the current one: a
    // backdated statement can change what was true on an earlier day.
    let dated = patch.changed_on.is_some();
    if let Some(c) = patch.classification {
        if dated || before.classification != Some(c) {
            after.classification = Some(c);
            changes.push(("classification", Some(c.as_str().into())));
        }
    }
    if let Some(f) = patch.needs_focus {
        if dated || before.needs_focus != f {
            after.needs_focus = f;
            changes.push(("needs_focus", Some(f.to_string())));
        }
    }
    if let Some(e) = patch.employment_status {
        if dated || before.employment_status != Some(e) {
            after.employment_status = Some(e);
            changes.push(("employment_status", Some(e.as_str().into())));
        }
    }
    if !changes.is_empty() && patch.change_reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(ApiError::invalid("change_reason", "is required when classification, focus or employment changes"));
    }
    let saved = persons::save(conn, &after, before.version)?;
    for (attribute, value) in changes {
        persons::record_attribute(
            conn,
            &AttributeChange {
                id: uuid::Uuid::now_v7().to_string(),
                person_id: saved.id.clone(),
                attribute: attribute.into(),
                value,
                changed_on,
                reason: patch.change_reason.clone(),
                actor_sub: Some(auth.sub.clone()),
                recorded_at: crate::time::now(),
            },
        )?;
    }
    audit_person(conn, auth, "person.update", Some(&before), &saved)?;
    Ok(saved)
}

/// A write refused for a duplicate ID number is answered with the same bare 409 wherever the
/// other record is (no id, no unit), and the attempt is kept, in its own transaction (the
/// refused write rolled back): a `person.id_number_conflict` audit event and a row the
/// provincial police of both sides see in `GET /id-number-conflicts`.
pub fn record_if_duplicate<T>(
    conn: &mut DbConnection,
    auth: &Auth,
    result: ApiResult<T>,
    id_number: Option<&str>,
    attempted_unit: &str,
) -> ApiResult<T> {
    let duplicate = matches!(&result, Err(ApiError::Conflict { code: "duplicate_id_number", .. }));
    let (true, Some(number)) = (duplicate, id_number) else { return result };
    let Some((person_id, unit, province)) = persons::holder_of_id_number(conn, number)? else { return result };
    let row = persons::IdNumberConflictRow {
        id: uuid::Uuid::now_v7().to_string(),
        occurred_at: crate::time::now(),
        id_number: number.to_string(),
        attempted_unit_code: attempted_unit.to_string(),
        attempted_province_code: admin_units::province_of(attempted_unit).map(str::to_string),
        existing_person_id: person_id,
        existing_unit_code: unit,
        existing_province_code: Some(province).filter(|p| !p.is_empty()),
        actor_sub: Some(auth.sub.clone()),
    };
    crate::db::write_tx(conn, |conn| {
        persons::insert_id_number_conflict(conn, &row)?;
        audit::record(
            conn,
            &audit::Actor::of(auth),
            audit::Entry {
                action: "person.id_number_conflict",
                entity_type: "id_number_conflict",
                entity_id: Some(&row.id),
                unit_code: Some(attempted_unit),
                province_code: row.attempted_province_code.as_deref(),
                ..Default::default()
            },
        )
    })?;
    result
}

/// Whether a person view for these roles carries criminal data (offence or expungement fields).
pub fn carries_criminal_data(vis: &Visibility) -> bool {
    vis.criminal || vis.expungement
}

/// A response that carries criminal data is audited: one `person.read` event per request,
/// naming the operation and the ids of the persons returned. A single person's event carries
/// its id, unit and province, a list's the caller's unit. The caller commits it before
/// answering (see [`Audited`]).
pub fn read_event(auth: &Auth, operation: &str, ids: &[&str], person: Option<&PersonRow>) -> NewAuditEvent {
    NewAuditEvent::new(
        &audit::Actor::of(auth),
        audit::Entry {
            action: "person.read",
            entity_type: "person",
            entity_id: person.map(|p| p.id.as_str()),
            unit_code: Some(person.map_or(auth.unit.as_str(), |p| p.unit_code.as_str())),
            province_code: person.map(|p| p.province_code.as_str()),
            after: Some(serde_json::json!({"operation": operation, "ids": ids})),
            ..Default::default()
        },
    )
}

/// `person`'s read by `operation`, audited.
fn person_read(auth: &Auth, operation: &str, person: &PersonRow) -> NewAuditEvent {
    read_event(auth, operation, &[&person.id], Some(person))
}

/// One person in the caller's unit; reading criminal data is audited.
pub fn read_person(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<Audited<PersonRow>> {
    let row = persons::find_in(conn, &PersonScope::of(auth), id)?;
    let event =
        carries_criminal_data(&Visibility::for_roles(&auth.roles)).then(|| person_read(auth, "get_person", &row));
    Ok(Audited::new(row, event))
}

/// The person's status history; the details of a change (a new conviction's judgment) are
/// criminal data, so reading them is audited.
pub fn status_history(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<Audited<Vec<persons::StatusRow>>> {
    let person = persons::find_in(conn, &PersonScope::of(auth), id)?;
    let rows = persons::status_history(conn, &person.id)?;
    let event = Visibility::for_roles(&auth.roles).criminal.then(|| person_read(auth, "get_status_history", &person));
    Ok(Audited::new(rows, event))
}

/// Registers a person directly; a refused duplicate ID number is recorded for the police.
pub fn create_person(
    conn: &mut DbConnection,
    auth: &Auth,
    input: &NewPerson,
    since: NaiveDate,
    today: NaiveDate,
) -> ApiResult<PersonRow> {
    let result = write_tx(conn, |conn| create(conn, auth, input, since, today, auth.ctx.reason.as_deref()));
    record_if_duplicate(conn, auth, result, input.id_number.as_deref(), &input.unit)
}

/// Edits a person; a refused duplicate ID number is recorded for the police.
pub fn update_person(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    if_match: &IfMatch,
    input: &PersonPatch,
    today: NaiveDate,
) -> ApiResult<PersonRow> {
    let result = write_tx(conn, |conn| patch(conn, auth, id, if_match, input, today));
    let unit = auth.unit.clone();
    record_if_duplicate(conn, auth, result, input.id_number.as_ref().and_then(Option::as_deref), &unit)
}

// Lifecycle, convictions and expungement decisions, each with its own file.
mod convictions;
mod expungement;
mod lifecycle;

pub use self::convictions::*;
pub use self::expungement::*;
pub use self::lifecycle::*;
