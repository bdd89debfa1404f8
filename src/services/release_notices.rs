//! Pre-release notices: registering the notice (creating or re-cycling the person) and the
//! commune's address check, each with its audit event in one transaction.

use crate::auth::{Auth, Jurisdiction};
use crate::db::idempotency::{self, StoredResponse};
use crate::db::persons::PersonScope;
use crate::db::release_notices::{self, NoticeRow, NoticeScope};
use crate::db::{audit, persons, write_tx, DbConnection};
use crate::domain::lifecycle::Transition;
use crate::dto::release_notices::{NewReleaseNotice, ReleaseNotice, VerificationInput};
use crate::error::{ApiError, ApiResult};
use crate::http::parse_id;
use crate::services::persons as service;
use crate::time::today_vn;

/// Working days the commune police have to verify the address.
pub const VERIFICATION_WORKING_DAYS: u32 = 3;

fn create_notice(conn: &mut DbConnection, auth: &Auth, input: &NewReleaseNotice) -> ApiResult<NoticeRow> {
    let today = today_vn();
    let facility = match (&auth.facility_name, &input.facility) {
        (Some(own), Some(given)) if auth.created_only().is_some() && crate::text::normalize(given) != *own => {
            return Err(ApiError::invalid("facility", format!("must be your facility, {own}")))
        }
        (Some(own), _) if auth.created_only().is_some() => own.clone(),
        (_, Some(given)) => crate::text::normalize(given),
        (_, None) => return Err(ApiError::invalid("facility", "is required")),
    };
    // A facility notifies any commune of the country; it reaches only the persons of its
    // own notices (`PersonScope::of`).
    let national;
    let auth = if auth.created_only().is_some() {
        national = auth.acting_for(Jurisdiction::National);
        &national
    } else {
        auth
    };
    if input.expected_release_date < input.notice_date {
        return Err(ApiError::invalid("expected_release_date", "must not be before the notice date"));
    }
    if input.notice_date > today {
        return Err(ApiError::invalid("notice_date", "must not be in the future"));
    }
    if input.counselling_held_on.is_some_and(|d| d > today) {
        return Err(ApiError::invalid("counselling_held_on", "must not be in the future"));
    }
    if input.person.as_ref().is_some_and(|p| p.registered_on.is_some()) {
        return Err(ApiError::invalid("person.registered_on", "a release notice is registered on its notice_date"));
    }
    let existing = match (&input.person_id, &input.person) {
        (Some(_), Some(_)) => return Err(ApiError::invalid("person", "give either person_id or person, not both")),
        (None, None) => return Err(ApiError::invalid("person", "give person_id or the person's identity")),
        (Some(id), None) => Some(persons::find_in(conn, &PersonScope::of(auth), &parse_id(id)?)?),
        (None, Some(p)) => match &p.id_number {
            // A person released before is linked, not duplicated (within the caller's unit).
            Some(number) => persons::find_active_by_id_number(conn, &PersonScope::of(auth), number)?,
            None => None,
        },
    };
    let person = match existing {
        Some(found) => {
            let destination = match input.destination_unit.as_deref().or(input.person.as_ref().map(|p| p.unit.as_str()))
            {
                Some(code) => Some(service::resolve_commune(conn, auth, code, "destination_unit")?),
                None => None,
            };
            service::transition(
                conn,
                auth,
                &found.id,
                Transition::ReleaseNotice,
                input.notice_date,
                Some("release notice"),
                today,
                None,
                |_, p| {
                    if let Some(unit) = destination {
                        p.unit_code = unit.code;
                        p.province_code = unit.province_code.unwrap_or_default();
                    }
                    p.received_on = None;
                    p.management_started_on = None;
                    p.management_file_number = None;
                    Ok(Some(serde_json::json!({"facility": facility})))
                },
            )?
        }
        None => {
            let new = input.person.as_ref().ok_or_else(|| ApiError::invalid("person", "is required"))?;
            service::create(conn, auth, new, input.notice_date, today, Some("release notice"))?
        }
    };
    let now = crate::time::now();
    let row = NoticeRow {
        id: uuid::Uuid::now_v7().to_string(),
        person_id: person.id.clone(),
        unit_code: person.unit_code.clone(),
        province_code: person.province_code.clone(),
        facility,
        notice_date: input.notice_date,
        expected_release_date: input.expected_release_date,
        counselling_sessions: input.counselling_sessions,
        travel_allowance_vnd: input.travel_allowance_vnd,
        created_by: Some(auth.sub.clone()),
        counselling_held_on: Some(input.counselling_held_on.unwrap_or(input.notice_date)),
        travel_allowance_paid_on: Some(input.travel_allowance_paid_on.unwrap_or(input.expected_release_date)),
        verification_due_on: crate::db::holidays::calendar(conn)?
            .add_working_days(input.notice_date, VERIFICATION_WORKING_DAYS),
        verified_on: None,
        verification_result: None,
        verification_note: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    release_notices::insert(conn, &row)?;
    let entry =
        audit::Entry::on("release_notice.create", "release_notice", (&row.id, &row.unit_code, &row.province_code));
    audit::by(conn, auth, entry.change(None, serde_json::to_value(&row).ok()))?;
    Ok(row)
}

/// Registers the notice once per idempotency key; the answer is the stored (or replayed) 201.
pub fn create(
    conn: &mut DbConnection,
    auth: &Auth,
    input: &NewReleaseNotice,
    idem_key: Option<&str>,
    request_hash: &str,
) -> ApiResult<StoredResponse> {
    idempotency::once(conn, &auth.sub, idem_key, "create_release_notice", request_hash, |conn| {
        let row = create_notice(conn, auth, input)?;
        let people = release_notices::identities(conn, std::slice::from_ref(&row))?;
        StoredResponse::created(&ReleaseNotice::build(&row, people.get(&row.person_id), today_vn()))
    })
}

/// Records the address check with the family; a notice is verified once.
pub fn verify(conn: &mut DbConnection, auth: &Auth, id: &str, input: &VerificationInput) -> ApiResult<NoticeRow> {
    write_tx(conn, |conn| {
        let before = release_notices::find_in(conn, &NoticeScope::of(auth), id)?;
        if before.verified_on.is_some() {
            return Err(ApiError::conflict("already_verified", "the address was already verified"));
        }
        if input.verified_on < before.notice_date || input.verified_on > today_vn() {
            return Err(ApiError::invalid("verified_on", "must lie between the notice date and today"));
        }
        release_notices::record_verification(
            conn,
            id,
            before.version,
            input.verified_on,
            input.result.as_str(),
            input.note.as_deref(),
        )?;
        let after = release_notices::find_in(conn, &NoticeScope::of(auth), id)?;
        let entry = audit::Entry::on(
            "release_notice.verify",
            "release_notice",
            (&after.id, &after.unit_code, &after.province_code),
        );
        audit::by(conn, auth, entry.change(serde_json::to_value(&before).ok(), serde_json::to_value(&after).ok()))?;
        Ok(after)
    })
}
