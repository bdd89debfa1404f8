//! Person use cases: creation, edits with history, lifecycle transitions, convictions and
//! the justice office's expungement decisions.

use chrono::{Days, NaiveDate};

use crate::auth::Auth;
use crate::db::convictions::{self, ConvictionRow};
use crate::db::idempotency::{self, StoredResponse};
use crate::db::persons::{self, AttributeChange, PersonRow, PersonScope};
use crate::db::{admin_units, audit, events, write_tx, DbConnection};
use crate::domain::enums::*;
use crate::domain::expungement;
use crate::domain::lifecycle::{self, Transition};
use crate::domain::working_days::Calendar;
use crate::dto::convictions::{
    Conviction, ConvictionInput, ConvictionPatch, ExpungementDecision, JudicialRecordRequestInput,
};
use crate::dto::persons::{
    age_on, NewPerson, PersonPatch, ReceptionInput, StartManagementInput, TransferInput, TransitionInput, Visibility,
};
use crate::error::{ApiError, ApiResult, InvalidParam};
use crate::http::etag::IfMatch;

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
        gender: input.gender.as_str().into(),
        date_of_birth: input.date_of_birth,
        id_number: input.id_number.clone(),
        ethnicity: input.ethnicity.clone(),
        nationality: input.nationality.as_str().into(),
        country: input.country.clone(),
        phone: input.phone.clone(),
        unit_code: unit.code.clone(),
        province_code: unit.province_code.clone().unwrap_or_default(),
        village: input.village.as_deref().map(crate::text::normalize),
        address_line: input.address_line.as_deref().map(crate::text::normalize),
        education: input.education.clone(),
        occupation: input.occupation.clone(),
        family_situation: input.family_situation.clone(),
        status: PersonStatus::Expected.as_str().into(),
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
        expungement_status: ExpungementStatus::None.as_str().into(),
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
    persons::record_status(conn, &row, None, PersonStatus::Expected.as_str(), since, reason, None, Some(&auth.sub))?;
    audit_person(conn, auth, "person.create", None, &row)?;
    events::emit(conn, "person.expected", "person", &row.id, &row.unit_code, &row.province_code)?;
    Ok(row)
}

/// Recomputes what is derived from the convictions: release facts of the latest release,
/// offence group of the latest judgment, and the expungement forecast (Arts. 70–73).
pub fn refresh_derived(conn: &mut DbConnection, person: &mut PersonRow, today: NaiveDate) -> ApiResult<()> {
    let rows = convictions::for_person(conn, &person.id)?;
    apply_derived(person, &rows, today);
    Ok(())
}

/// The derivation itself, from the person's convictions.
pub fn apply_derived(person: &mut PersonRow, rows: &[ConvictionRow], today: NaiveDate) {
    if let Some(latest) = rows.iter().filter(|c| c.release_date.is_some()).max_by_key(|c| c.release_date) {
        person.release_date = latest.release_date;
        person.release_type = latest.release_type.clone();
        person.release_certificate_number = latest.certificate_number.clone();
        person.release_certificate_date = latest.certificate_date;
        person.probation_end = latest.probation_end;
    }
    if let Some(latest) = rows.iter().max_by_key(|c| c.judgment_date) {
        person.offence_group = Some(latest.offence_group.clone());
    }
    let facts: Vec<_> = rows.iter().map(ConvictionRow::facts).collect();
    if facts.is_empty() {
        person.expungement_track = None;
        person.expungement_due_on = None;
    } else {
        let f = expungement::forecast(&person_facts(person), &facts, today);
        person.expungement_track = Some(track_name(f.track).into());
        person.expungement_due_on = f.earliest_date;
    }
}

pub fn track_name(t: expungement::Track) -> &'static str {
    match t {
        expungement::Track::Automatic => "automatic",
        expungement::Track::CourtDecision => "court_decision",
        expungement::Track::NoRecord => "no_record",
    }
}

/// What the expungement rules need to know about the person.
pub fn person_facts(p: &PersonRow) -> expungement::PersonFacts {
    expungement::PersonFacts {
        date_of_birth: p.date_of_birth,
        refusals: p.expungement_refusals.max(0) as u32,
        last_refusal_on: p.expungement_last_refused_on,
    }
}

/// The forecast for a person, with the convictions it was computed from (same order as
/// `forecast.convictions`).
pub fn forecast_with_rows(
    conn: &mut DbConnection,
    person: &PersonRow,
    today: NaiveDate,
) -> ApiResult<(expungement::Forecast, Vec<ConvictionRow>)> {
    let rows = convictions::for_person(conn, &person.id)?;
    let facts: Vec<_> = rows.iter().map(ConvictionRow::facts).collect();
    Ok((expungement::forecast(&person_facts(person), &facts, today), rows))
}

/// Runs a lifecycle action: checks it is allowed from the current status (409 listing the
/// allowed actions otherwise) and that its date is coherent, lets `change` fill the
/// action's fields, then saves, appends the history and audits — in the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub fn transition<F>(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    action: Transition,
    occurred_on: NaiveDate,
    reason: Option<&str>,
    today: NaiveDate,
    if_match: Option<&IfMatch>,
    change: F,
) -> ApiResult<PersonRow>
where
    F: FnOnce(&mut DbConnection, &mut PersonRow) -> ApiResult<Option<serde_json::Value>>,
{
    let before = persons::find_in_for_update(conn, &PersonScope::of(auth), person_id)?;
    if let Some(m) = if_match {
        m.check(before.version)?;
    }
    let current = PersonStatus::parse(&before.status).unwrap_or(PersonStatus::Expected);
    let next = lifecycle::check(current, action).map_err(|allowed| ApiError::Conflict {
        code: "transition_not_allowed",
        detail: format!("`{}` is not allowed while the person is `{}`", action.name(), current.as_str()),
        allowed: Some(allowed.into_iter().map(str::to_string).collect()),
    })?;
    if occurred_on > today {
        return Err(ApiError::invalid("occurred_on", "must not be in the future"));
    }
    if let Some(last) = persons::last_status_date(conn, person_id)? {
        if occurred_on < last {
            return Err(ApiError::invalid(
                "occurred_on",
                format!("must not be before the last recorded change ({last})"),
            ));
        }
    }
    let mut after = before.clone();
    let details = change(conn, &mut after)?;
    after.status = next.as_str().into();
    after.status_since = occurred_on;
    after.active = lifecycle::is_active(next);
    if after.active && !before.active {
        persons::ensure_id_number_free(conn, after.id_number.as_deref(), Some(&after.id))?;
    }
    let saved = persons::save(conn, &after, before.version)?;
    persons::record_status(
        conn,
        &saved,
        Some(current.as_str()),
        next.as_str(),
        occurred_on,
        reason,
        details,
        Some(&auth.sub),
    )?;
    audit_person(conn, auth, &format!("person.{}", action.name()), Some(&before), &saved)?;
    let event = match action {
        Transition::Reception => "person.received",
        Transition::ReleaseNotice => "person.expected",
        _ => "person.status_changed",
    };
    events::emit(conn, event, "person", &saved.id, &saved.unit_code, &saved.province_code)?;
    // Leaving management ends supervision; an absconded person may come back to the same supervisor.
    if lifecycle::is_exit(next) && next != PersonStatus::Absconded {
        crate::services::supervision::end_active_assignments(conn, auth, &saved, occurred_on, action.name())?;
    }
    // Model participation lasts only while managed: every exit ends it on the exit day.
    if lifecycle::is_exit(next) {
        end_participations(conn, auth, &saved, occurred_on, action.name())?;
    }
    Ok(saved)
}

/// Ends the person's model participations on the exit day, each recorded in the model's
/// audit history as a leave with the exit that caused it.
fn end_participations(
    conn: &mut DbConnection,
    auth: &Auth,
    person: &PersonRow,
    on: NaiveDate,
    reason: &str,
) -> ApiResult<()> {
    for (row, unit, province) in crate::db::models::end_participations(conn, &person.id, on)? {
        let mut after = serde_json::to_value(&row).unwrap_or_default();
        after["reason"] = serde_json::json!(reason);
        audit::record(
            conn,
            &audit::Actor::of(auth),
            audit::Entry {
                action: "model.participant_leave",
                entity_type: "model",
                entity_id: Some(&row.id),
                unit_code: Some(&unit),
                province_code: Some(&province),
                before: None,
                after: Some(after),
            },
        )?;
    }
    Ok(())
}

/// Moves a person to another commune: the history shows `moved_out` in the old commune and
/// `received` in the new one, on the same date; one person throughout.
pub fn transfer(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    to: &admin_units::UnitRef,
    input: &TransferInput,
    today: NaiveDate,
) -> ApiResult<PersonRow> {
    let (moved_on, reason) = (input.moved_on, input.reason.as_deref());
    let before = persons::find_in_for_update(conn, &PersonScope::of(auth), person_id)?;
    if before.unit_code == to.code {
        return Err(ApiError::invalid("to_unit", "is the person's current commune"));
    }
    let current = PersonStatus::parse(&before.status).unwrap_or(PersonStatus::Expected);
    lifecycle::check(current, Transition::Transfer).map_err(|allowed| ApiError::Conflict {
        code: "transition_not_allowed",
        detail: format!("`transfer` is not allowed while the person is `{}`", current.as_str()),
        allowed: Some(allowed.into_iter().map(str::to_string).collect()),
    })?;
    if moved_on > today {
        return Err(ApiError::invalid("moved_on", "must not be in the future"));
    }
    if persons::last_status_date(conn, person_id)?.is_some_and(|last| moved_on < last) {
        return Err(ApiError::invalid("moved_on", "must not be before the last recorded change"));
    }
    let details = serde_json::json!({"from_unit": before.unit_code, "to_unit": to.code});
    persons::record_status(
        conn,
        &before,
        Some(current.as_str()),
        PersonStatus::MovedOut.as_str(),
        moved_on,
        reason,
        Some(details.clone()),
        Some(&auth.sub),
    )?;
    let mut after = before.clone();
    after.unit_code = to.code.clone();
    after.province_code = to.province_code.clone().unwrap_or_default();
    after.village = input.village.as_deref().map(crate::text::normalize);
    after.address_line = input.address_line.as_deref().map(crate::text::normalize);
    after.status = PersonStatus::Received.as_str().into();
    after.status_since = moved_on;
    after.received_on = Some(moved_on);
    let saved = persons::save(conn, &after, before.version)?;
    persons::record_status(
        conn,
        &saved,
        Some(PersonStatus::MovedOut.as_str()),
        PersonStatus::Received.as_str(),
        moved_on,
        reason,
        Some(details),
        Some(&auth.sub),
    )?;
    audit_person(conn, auth, "person.transfer", Some(&before), &saved)?;
    // Both communes hear of the move.
    events::emit(conn, "person.transferred", "person", &saved.id, &before.unit_code, &before.province_code)?;
    events::emit(conn, "person.transferred", "person", &saved.id, &saved.unit_code, &saved.province_code)?;
    crate::services::supervision::end_active_assignments(conn, auth, &saved, moved_on, "transfer")?;
    end_participations(conn, auth, &saved, moved_on, "transfer")?;
    Ok(saved)
}

/// Reception facts: juvenile on the day, late for a parolee (reported after the 5 days from
/// release, Circular 10/2024/TT-BCA; the period counts from the day after release and, when
/// its last day is a day off, ends on the next working day, Civil Code Arts. 147(1), 148(5)).
pub fn apply_reception(p: &mut PersonRow, received_on: NaiveDate, calendar: &Calendar) -> ApiResult<()> {
    if let Some(release) = p.release_date {
        if received_on < release {
            return Err(ApiError::invalid("received_on", format!("must not be before the release date ({release})")));
        }
    }
    p.received_on = Some(received_on);
    p.juvenile = p.date_of_birth.is_some_and(|d| age_on(d, received_on) < 18);
    let parolee = p.release_type.as_deref() == Some(ReleaseType::ConditionalEarlyRelease.as_str());
    p.late_reception = parolee
        && p.release_date.is_some_and(|release| received_on > calendar.days_after(release, PAROLE_REPORTING_DAYS));
    Ok(())
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
        after.gender = g.as_str().into();
    }
    if let Some(d) = patch.date_of_birth {
        after.date_of_birth = d;
    }
    if let Some(n) = &patch.id_number {
        after.id_number = n.clone();
    }
    set(&mut after.ethnicity, &patch.ethnicity);
    if let Some(n) = patch.nationality {
        after.nationality = n.as_str().into();
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
        Gender::parse(&after.gender).unwrap_or(Gender::Other),
        Nationality::parse(&after.nationality).unwrap_or(Nationality::Vietnamese),
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
        if dated || before.classification.as_deref() != Some(c.as_str()) {
            after.classification = Some(c.as_str().into());
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
        if dated || before.employment_status.as_deref() != Some(e.as_str()) {
            after.employment_status = Some(e.as_str().into());
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

/// Checks that a conviction's dates hang together (422 listing every problem).
pub fn check_conviction(input: &ConvictionInput, today: NaiveDate) -> ApiResult<()> {
    let mut problems = Vec::new();
    let mut bad = |name: &str, reason: &str| problems.push(InvalidParam::new(name, reason));
    if input.judgment_date > today {
        bad("judgment_date", "must not be in the future");
    }
    if input.offence_date.is_some_and(|d| d > input.judgment_date) {
        bad("offence_date", "must not be after the judgment date");
    }
    if input.expunged_on.is_some_and(|d| d < input.judgment_date || d > today) {
        bad("expunged_on", "must lie between the judgment date and today");
    }
    match (input.principal.kind, input.principal.months) {
        (PrincipalKind::Imprisonment, None) => bad("principal.months", "is required for imprisonment"),
        (PrincipalKind::Imprisonment, Some(m)) if !(1..=360).contains(&m) => {
            bad("principal.months", "must be between 1 and 360")
        }
        (PrincipalKind::Imprisonment, Some(_)) => {}
        (_, Some(_)) => bad("principal.months", "applies to imprisonment only"),
        _ => {}
    }
    let before_judgment = |d: Option<NaiveDate>| d.is_some_and(|d| d < input.judgment_date);
    if before_judgment(input.release_date) {
        bad("release_date", "must not be before the judgment date");
    }
    if before_judgment(input.sentence_completed_on) {
        bad("sentence_completed_on", "must not be before the judgment date");
    }
    if input.release_date.is_some_and(|d| d > today) {
        bad("release_date", "must not be in the future (use a release notice for expected releases)");
    }
    if let (Some(cert), Some(release)) = (input.certificate_date, input.release_date) {
        // A parolee's completion certificate is dated at the end of probation (Art. 66).
        let served = match (input.release_type, input.probation_end) {
            (Some(ReleaseType::ConditionalEarlyRelease), Some(end)) => end.max(release),
            _ => release,
        };
        if cert < input.judgment_date || cert > served + Days::new(365) {
            bad(
                "certificate_date",
                "must lie between the judgment and a year after release (for parole, after the end of probation)",
            );
        }
    }
    let custodial = matches!(
        input.principal.kind,
        PrincipalKind::Imprisonment | PrincipalKind::Life | PrincipalKind::DeathCommuted
    );
    if input.release_date.is_some() && !custodial {
        bad("release_date", "applies to custodial penalties only");
    }
    if input.release_date.is_some() && input.release_type.is_none() {
        bad("release_type", "is required with a release date");
    }
    if input.release_type.is_some() && input.release_date.is_none() {
        bad("release_date", "is required with a release type");
    }
    match (input.release_type, input.probation_end) {
        (Some(ReleaseType::ConditionalEarlyRelease), None) => {
            bad("probation_end", "is required for conditional early release")
        }
        (Some(ReleaseType::ConditionalEarlyRelease), Some(end)) if input.release_date.is_some_and(|r| end <= r) => {
            bad("probation_end", "must be after the release date")
        }
        (Some(ReleaseType::ConditionalEarlyRelease), Some(_)) => {}
        (_, Some(_)) => bad("probation_end", "applies to conditional early release only"),
        _ => {}
    }
    for (i, s) in input.supplementary.iter().enumerate() {
        if s.completed_on.is_some_and(|d| d < input.judgment_date) {
            bad(&format!("supplementary[{i}].completed_on"), "must not be before the judgment date");
        }
        if s.ends_on.is_some_and(|d| d < input.judgment_date) {
            bad(&format!("supplementary[{i}].ends_on"), "must not be before the judgment date");
        }
    }
    for (i, o) in input.obligations.iter().enumerate() {
        if o.paid && o.paid_on.is_none() {
            bad(&format!("obligations[{i}].paid_on"), "is required when paid");
        }
        if !o.paid && o.paid_on.is_some() {
            bad(&format!("obligations[{i}].paid_on"), "must be empty while unpaid");
        }
        if o.paid_on.is_some_and(|d| d < input.judgment_date || d > today) {
            bad(&format!("obligations[{i}].paid_on"), "must lie between the judgment date and today");
        }
    }
    if input.offence_articles.iter().any(|a| a.trim().is_empty() || a.len() > 20) {
        bad("offence_articles", "each article must be 1–20 characters, e.g. \"249\"");
    }
    let national_security = input.offence_group == OffenceGroup::NationalSecurity;
    if national_security != (input.chapter == 13) {
        bad("chapter", "national_security offences are Chapter XIII (13), and only they");
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(problems))
    }
}

/// Records a judgment. A `new_offence` for a person under management marks them
/// `reoffended`; either way the derived release facts and the forecast are refreshed.
pub fn add_conviction(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    input: &ConvictionInput,
    today: NaiveDate,
) -> ApiResult<(PersonRow, ConvictionRow)> {
    check_conviction(input, today)?;
    let person = persons::find_in_for_update(conn, &PersonScope::of(auth), person_id)?;
    check_against_birth(&person, input)?;
    let row = ConvictionRow::from_input(&person.id, input);
    convictions::insert(conn, &row)?;
    audit::record(
        conn,
        &audit::Actor::of(auth),
        audit::Entry {
            action: "conviction.create",
            entity_type: "conviction",
            entity_id: Some(&row.id),
            unit_code: Some(&person.unit_code),
            province_code: Some(&person.province_code),
            after: Some(serde_json::json!({"person_id": person.id, "judgment_number": row.judgment_number})),
            ..Default::default()
        },
    )?;
    let updated = if input.new_offence {
        transition(
            conn,
            auth,
            person_id,
            Transition::Reoffend,
            input.judgment_date.min(today),
            Some("new conviction"),
            today,
            None,
            |conn, p| {
                refresh_derived(conn, p, today)?;
                Ok(Some(serde_json::json!({"judgment_number": row.judgment_number})))
            },
        )?
    } else {
        let mut after = person.clone();
        refresh_derived(conn, &mut after, today)?;
        persons::save(conn, &after, person.version)?
    };
    Ok((updated, row))
}

fn check_against_birth(person: &PersonRow, input: &ConvictionInput) -> ApiResult<()> {
    if let Some(dob) = person.date_of_birth {
        if input.judgment_date < dob {
            return Err(ApiError::invalid("judgment_date", "must not be before the date of birth"));
        }
        if input.offence_date.is_some_and(|d| d < dob) {
            return Err(ApiError::invalid("offence_date", "must not be before the date of birth"));
        }
    }
    Ok(())
}

/// Corrects a conviction (`If-Match` on the conviction's version, a reason): the replaced
/// version is kept, the change audited and the derived facts and forecast refreshed, all
/// in the caller's transaction.
pub fn patch_conviction(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    conviction_id: &str,
    if_match: &IfMatch,
    patch: &ConvictionPatch,
    today: NaiveDate,
) -> ApiResult<(PersonRow, ConvictionRow)> {
    let person = persons::find_in_for_update(conn, &PersonScope::of(auth), person_id)?;
    let before = convictions::find(conn, &person.id, conviction_id)?;
    let expected_version = if_match.check(before.version)?;
    let input = before.patched(patch);
    check_conviction(&input, today)?;
    check_against_birth(&person, &input)?;
    let mut after = ConvictionRow::from_input(&person.id, &input);
    after.id = before.id.clone();
    after.created_at = before.created_at;
    // A correction to the release facts must not keep a completion date that was only the
    // old default.
    let old_default = if before.release_type.as_deref() == Some(ReleaseType::ConditionalEarlyRelease.as_str()) {
        before.probation_end
    } else {
        before.release_date
    };
    if patch.sentence_completed_on.is_none() && before.sentence_completed_on == old_default {
        after.sentence_completed_on = if input.release_type == Some(ReleaseType::ConditionalEarlyRelease) {
            input.probation_end
        } else {
            input.release_date
        };
    }
    let snapshot = serde_json::to_string(&before.to_input()).unwrap_or_else(|_| "{}".into());
    let saved =
        convictions::replace(conn, &before, &after, expected_version, &snapshot, patch.reason.trim(), &auth.sub)?;
    audit::record(
        conn,
        &audit::Actor::of(auth),
        audit::Entry {
            action: "conviction.update",
            entity_type: "conviction",
            entity_id: Some(&saved.id),
            unit_code: Some(&person.unit_code),
            province_code: Some(&person.province_code),
            before: serde_json::to_value(before.to_input()).ok(),
            after: Some(serde_json::json!({
                "person_id": person.id,
                "version": saved.version,
                "reason": patch.reason.trim(),
                "conviction": serde_json::to_value(saved.to_input()).unwrap_or_default(),
            })),
        },
    )?;
    let mut p = person.clone();
    refresh_derived(conn, &mut p, today)?;
    let p = persons::save(conn, &p, person.version)?;
    Ok((p, saved))
}

/// Art. 70: automatic expungement on or after the earliest date, on the automatic track;
/// Arts. 71, 72: a court decision on or after the special-case date (one third), which on
/// the court track is the first day a court may decide at all.
fn check_expungement_date(
    f: &expungement::Forecast,
    basis_kind: ExpungementBasisKind,
    decided_on: NaiveDate,
) -> ApiResult<()> {
    use expungement::Track;
    let refuse = |reason: String| Err(ApiError::invalid("decided_on", &reason));
    match (basis_kind, f.track) {
        (_, Track::NoRecord) => Ok(()),
        (ExpungementBasisKind::Automatic, Track::CourtDecision) => Err(ApiError::invalid(
            "basis_kind",
            "the record is on the court track (Criminal Code Art. 71): record the court's decision \
             (basis_kind court_decision with its decision_number)",
        )),
        (ExpungementBasisKind::Automatic, _) => match f.earliest_date {
            None => refuse("no expungement date can be forecast yet (a principal penalty is not completed)".into()),
            Some(e) if decided_on < e => refuse(format!(
                "the record can be expunged automatically from {e} at the earliest (Criminal Code Art. 70); \
                 {decided_on} is before it"
            )),
            Some(_) => Ok(()),
        },
        (ExpungementBasisKind::CourtDecision, _) => match f.special_case_earliest_date {
            None => refuse("no expungement date can be forecast yet (a principal penalty is not completed)".into()),
            Some(s) if decided_on < s => refuse(format!(
                "a court may expunge this record from {s} at the earliest (one third of the period, \
                 Criminal Code Art. 72; Art. 71(3) after a refusal); {decided_on} is before it"
            )),
            Some(_) => Ok(()),
        },
    }
}

/// The justice office's decision. `expunged` ends management in the same transaction.
pub fn decide_expungement(
    conn: &mut DbConnection,
    auth: &Auth,
    person_id: &str,
    if_match: &IfMatch,
    decision: &ExpungementDecision,
    today: NaiveDate,
) -> ApiResult<PersonRow> {
    if decision.decided_on > today {
        return Err(ApiError::invalid("decided_on", "must not be in the future"));
    }
    let basis_kind = decision.basis_kind.unwrap_or(ExpungementBasisKind::Automatic);
    match (basis_kind, &decision.decision_number) {
        (ExpungementBasisKind::CourtDecision, None) => {
            return Err(ApiError::invalid("decision_number", "is required for a court decision"));
        }
        (ExpungementBasisKind::Automatic, Some(_)) => {
            return Err(ApiError::invalid("decision_number", "applies to basis_kind court_decision only"));
        }
        _ => {}
    }
    // The law decides when a record can be expunged (Arts. 70-72): check the date against
    // the forecast as of the decision.
    let mut current_record: Vec<String> = Vec::new();
    if decision.status == ExpungementStatus::Expunged {
        let person = persons::find_in(conn, &PersonScope::of(auth), person_id)?;
        let (f, rows) = forecast_with_rows(conn, &person, decision.decided_on)?;
        check_expungement_date(&f, basis_kind, decision.decided_on)?;
        current_record =
            rows.iter().zip(&f.convictions).filter(|(_, o)| o.in_current_record).map(|(r, _)| r.id.clone()).collect();
    }
    let fill = |p: &mut PersonRow| {
        if decision.status == ExpungementStatus::Rejected
            && !(p.expungement_status == ExpungementStatus::Rejected.as_str()
                && p.expungement_decided_on == Some(decision.decided_on))
        {
            // Art. 71(3): each refusal counts once (re-sending the same one does not).
            p.expungement_refusals += 1;
            p.expungement_last_refused_on = Some(decision.decided_on);
        }
        p.expungement_basis_kind = Some(basis_kind.as_str().into());
        p.expungement_decision_number = decision.decision_number.clone();
        p.expungement_status = decision.status.as_str().into();
        p.expungement_decided_on = Some(decision.decided_on);
        p.expungement_basis = decision.basis.clone();
        p.judicial_record_number = decision.judicial_record_number.clone();
        p.judicial_record_issuer = decision.judicial_record_issuer.clone();
    };
    match decision.status {
        ExpungementStatus::None => Err(ApiError::invalid("status", "must be pending, expunged or rejected")),
        ExpungementStatus::Expunged => {
            let saved = transition(
                conn,
                auth,
                person_id,
                Transition::Expunge,
                decision.decided_on,
                decision.basis.as_deref(),
                today,
                Some(if_match),
                |_, p| {
                    fill(p);
                    Ok(Some(serde_json::json!({
                        "judicial_record_number": decision.judicial_record_number,
                        "basis_kind": basis_kind.as_str(),
                        "decision_number": decision.decision_number,
                    })))
                },
            )?;
            convictions::record_expunged(conn, &current_record, decision.decided_on)?;
            events::emit(conn, "expungement.updated", "person", &saved.id, &saved.unit_code, &saved.province_code)?;
            Ok(saved)
        }
        _ => {
            let before = persons::find_in_for_update(conn, &PersonScope::of(auth), person_id)?;
            if_match.check(before.version)?;
            if before.status == PersonStatus::Expunged.as_str() {
                return Err(ApiError::conflict("already_expunged", "the record is already expunged"));
            }
            let mut after = before.clone();
            fill(&mut after);
            let saved = persons::save(conn, &after, before.version)?;
            audit_person(conn, auth, "person.expungement_update", Some(&before), &saved)?;
            events::emit(conn, "expungement.updated", "person", &saved.id, &saved.unit_code, &saved.province_code)?;
            Ok(saved)
        }
    }
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
/// naming the operation and the ids of the persons returned. One insert, on the caller's
/// connection; a single person's event carries its id, unit and province, a list's the
/// caller's unit.
pub fn audit_read(
    conn: &mut DbConnection,
    auth: &Auth,
    operation: &str,
    ids: &[&str],
    person: Option<&PersonRow>,
) -> ApiResult<()> {
    audit::record(
        conn,
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

/// One person in the caller's unit; reading criminal data is audited.
pub fn read_person(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<PersonRow> {
    let row = persons::find_in(conn, &PersonScope::of(auth), id)?;
    if carries_criminal_data(&Visibility::for_roles(&auth.roles)) {
        audit_read(conn, auth, "get_person", &[&row.id], Some(&row))?;
    }
    Ok(row)
}

/// The person's status history; the details of a change (a new conviction's judgment) are
/// criminal data, so reading them is audited.
pub fn status_history(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<Vec<persons::StatusRow>> {
    let person = persons::find_in(conn, &PersonScope::of(auth), id)?;
    let rows = persons::status_history(conn, &person.id)?;
    if Visibility::for_roles(&auth.roles).criminal {
        audit_read(conn, auth, "get_status_history", &[&person.id], Some(&person))?;
    }
    Ok(rows)
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

/// A lifecycle step that changes nothing but the status, in one transaction.
pub fn apply_transition(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    action: Transition,
    input: &TransitionInput,
    today: NaiveDate,
) -> ApiResult<PersonRow> {
    write_tx(conn, |conn| {
        transition(conn, auth, id, action, input.occurred_on, input.reason.as_deref(), today, None, |_, _| Ok(None))
    })
}

/// Reception: the person reported (late parolees flagged, the officer and file recorded).
pub fn receive(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    input: &ReceptionInput,
    today: NaiveDate,
) -> ApiResult<PersonRow> {
    write_tx(conn, |conn| {
        let calendar = crate::db::holidays::calendar(conn)?;
        transition(
            conn,
            auth,
            id,
            Transition::Reception,
            input.received_on,
            input.note.as_deref(),
            today,
            None,
            |_, p| {
                apply_reception(p, input.received_on, &calendar)?;
                p.receiving_officer = Some(crate::text::normalize(&input.receiving_officer));
                p.commitment_signed = Some(input.commitment_signed);
                if input.management_file_number.is_some() {
                    p.management_file_number = input.management_file_number.clone();
                }
                Ok(Some(serde_json::json!({"late_reception": p.late_reception})))
            },
        )
    })
}

/// Opens the management file: supervision starts.
pub fn start_management(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    input: &StartManagementInput,
    today: NaiveDate,
) -> ApiResult<PersonRow> {
    write_tx(conn, |conn| {
        transition(conn, auth, id, Transition::StartManagement, input.started_on, None, today, None, |_, p| {
            p.management_started_on = Some(input.started_on);
            p.management_file_number = Some(input.management_file_number.trim().to_string());
            Ok(None)
        })
    })
}

/// Moves the person to another commune (which must be a commune) in one transaction.
pub fn transfer_person(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    input: &TransferInput,
    today: NaiveDate,
) -> ApiResult<PersonRow> {
    let to = admin_units::resolve(conn, &input.to_unit, "to_unit")?;
    if to.level != "commune" {
        return Err(ApiError::invalid("to_unit", "must be a commune code"));
    }
    write_tx(conn, |conn| transfer(conn, auth, id, &to, input, today))
}

/// The person's convictions with what the forecast says of each.
fn conviction_views(conn: &mut DbConnection, person: &PersonRow, today: NaiveDate) -> ApiResult<Vec<Conviction>> {
    let (f, rows) = forecast_with_rows(conn, person, today)?;
    Ok(rows.iter().enumerate().map(|(i, r)| r.view(f.convictions.get(i))).collect())
}

/// The person's convictions with the forecast's word on each; reading them is audited.
pub fn list_convictions(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    today: NaiveDate,
) -> ApiResult<Vec<Conviction>> {
    write_tx(conn, |conn| {
        let person = persons::find_in(conn, &PersonScope::of(auth), id)?;
        audit_read(conn, auth, "list_convictions", &[&person.id], Some(&person))?;
        conviction_views(conn, &person, today)
    })
}

/// Records a judgment once per idempotency key; the answer is the stored (or replayed) 201.
pub fn create_conviction(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    input: &ConvictionInput,
    today: NaiveDate,
    idem_key: Option<&str>,
    request_hash: &str,
) -> ApiResult<StoredResponse> {
    idempotency::once(conn, &auth.sub, idem_key, "create_conviction", request_hash, |conn| {
        let (person, row) = add_conviction(conn, auth, id, input, today)?;
        let view = conviction_views(conn, &person, today)?.into_iter().find(|v| v.id == row.id);
        StoredResponse::created(&view)
    })
}

/// Corrects a conviction, keeping the replaced version; answers with it as the forecast sees it.
#[allow(clippy::too_many_arguments)]
pub fn update_conviction(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    cid: &str,
    if_match: &IfMatch,
    input: &ConvictionPatch,
    today: NaiveDate,
) -> ApiResult<Conviction> {
    write_tx(conn, |conn| {
        let (person, row) = patch_conviction(conn, auth, id, cid, if_match, input, today)?;
        conviction_views(conn, &person, today)?.into_iter().find(|v| v.id == row.id).ok_or(ApiError::NotFound)
    })
}

/// The replaced versions of a conviction, oldest first; reading them is audited.
pub fn conviction_versions(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    cid: &str,
) -> ApiResult<Vec<convictions::VersionRow>> {
    write_tx(conn, |conn| {
        let person = persons::find_in(conn, &PersonScope::of(auth), id)?;
        audit_read(conn, auth, "list_conviction_versions", &[&person.id], Some(&person))?;
        let row = convictions::find(conn, &person.id, cid)?;
        convictions::versions(conn, &row.id)
    })
}

/// The person, the expungement forecast and the convictions it reads; audited.
pub fn expungement(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    today: NaiveDate,
) -> ApiResult<(PersonRow, (expungement::Forecast, Vec<ConvictionRow>))> {
    write_tx(conn, |conn| {
        let person = persons::find_in(conn, &PersonScope::of(auth), id)?;
        audit_read(conn, auth, "get_expungement", &[&person.id], Some(&person))?;
        let f = forecast_with_rows(conn, &person, today)?;
        Ok((person, f))
    })
}

/// Records the justice office's decision; answers with the person and the fresh forecast.
pub fn update_expungement(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    if_match: &IfMatch,
    input: &ExpungementDecision,
    today: NaiveDate,
) -> ApiResult<(PersonRow, (expungement::Forecast, Vec<ConvictionRow>))> {
    write_tx(conn, |conn| {
        let p = decide_expungement(conn, auth, id, if_match, input, today)?;
        let f = forecast_with_rows(conn, &p, today)?;
        Ok((p, f))
    })
}

/// The person's judicial-record certificate requests; reading them is audited.
pub fn judicial_record_requests(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
) -> ApiResult<Vec<convictions::JudicialRecordRow>> {
    write_tx(conn, |conn| {
        let person = persons::find_in(conn, &PersonScope::of(auth), id)?;
        audit_read(conn, auth, "list_judicial_record_requests", &[&person.id], Some(&person))?;
        convictions::judicial_records(conn, &person.id)
    })
}

/// Records a judicial-record certificate request (already checked for shape), audited.
pub fn create_judicial_record_request(
    conn: &mut DbConnection,
    auth: &Auth,
    id: &str,
    input: &JudicialRecordRequestInput,
) -> ApiResult<convictions::JudicialRecordRow> {
    write_tx(conn, |conn| {
        let person = persons::find_in(conn, &PersonScope::of(auth), id)?;
        let row = convictions::JudicialRecordRow {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: person.id.clone(),
            requested_on: input.requested_on,
            purpose: input.purpose.clone(),
            outcome: input.outcome.clone(),
            certificate_number: input.certificate_number.clone(),
            issued_on: input.issued_on,
            issuer: input.issuer.clone(),
            created_at: crate::time::now(),
        };
        convictions::insert_judicial_record(conn, &row)?;
        audit::record(
            conn,
            &audit::Actor::of(auth),
            audit::Entry {
                action: "judicial_record_request.create",
                entity_type: "judicial_record_request",
                entity_id: Some(&row.id),
                unit_code: Some(&person.unit_code),
                province_code: Some(&person.province_code),
                after: Some(serde_json::json!({"person_id": person.id, "outcome": row.outcome})),
                ..Default::default()
            },
        )?;
        Ok(row)
    })
}
