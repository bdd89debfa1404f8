//! Lifecycle transitions of a person: the generic transition, reception, the start of
//! management, transfers, and what an exit ends (supervision, model participation).

use chrono::NaiveDate;

use super::{audit_person, PAROLE_REPORTING_DAYS};
use crate::auth::Auth;
use crate::db::persons::{self, PersonRow, PersonScope};
use crate::db::{admin_units, audit, events, write_tx, DbConnection};
use crate::domain::enums::*;
use crate::domain::lifecycle::{self, Transition};
use crate::domain::working_days::Calendar;
use crate::dto::persons::{age_on, ReceptionInput, StartManagementInput, TransferInput, TransitionInput};
use crate::error::{ApiError, ApiResult};
use crate::http::etag::IfMatch;

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
    let current = before.status;
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
    after.status = next;
    after.status_since = occurred_on;
    after.active = lifecycle::is_active(next);
    if after.active && !before.active {
        persons::ensure_id_number_free(conn, after.id_number.as_deref(), Some(&after.id))?;
    }
    let saved = persons::save(conn, &after, before.version)?;
    persons::record_status(conn, &saved, Some(current), next, occurred_on, reason, details, Some(&auth.sub))?;
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
    let current = before.status;
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
        Some(current),
        PersonStatus::MovedOut,
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
    after.status = PersonStatus::Received;
    after.status_since = moved_on;
    after.received_on = Some(moved_on);
    let saved = persons::save(conn, &after, before.version)?;
    persons::record_status(
        conn,
        &saved,
        Some(PersonStatus::MovedOut),
        PersonStatus::Received,
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
    let parolee = p.release_type == Some(ReleaseType::ConditionalEarlyRelease);
    p.late_reception = parolee
        && p.release_date.is_some_and(|release| received_on > calendar.days_after(release, PAROLE_REPORTING_DAYS));
    Ok(())
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
