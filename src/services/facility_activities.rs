//! Recording work inside detention facilities: checks, the write and its audit event in one
//! transaction.

use crate::auth::Auth;
use crate::db::facility_activities::{self, FacilityActivityRow};
use crate::db::idempotency::{self, StoredResponse};
use crate::db::persons::{self, PersonScope};
use crate::db::{audit, DbConnection};
use crate::domain::facility;
use crate::dto::facility_activities::{FacilityActivity, NewFacilityActivity};
use crate::error::{ApiError, ApiResult, InvalidParam};

/// Records one activity once per idempotency key, in one transaction; the answer is the
/// stored (or replayed) 201.
pub fn create(
    conn: &mut DbConnection,
    auth: &Auth,
    input: &NewFacilityActivity,
    today: chrono::NaiveDate,
    idem_key: Option<&str>,
    request_hash: &str,
) -> ApiResult<StoredResponse> {
    idempotency::once(conn, &auth.sub, idem_key, "create_facility_activity", request_hash, |conn| {
        let row = record(conn, auth, input, today)?;
        StoredResponse::created(&FacilityActivity::build(&row))
    })
}

/// Records one activity: call inside a write transaction (the row and its audit event
/// are written together).
fn record(
    conn: &mut DbConnection,
    auth: &Auth,
    input: &NewFacilityActivity,
    today: chrono::NaiveDate,
) -> ApiResult<FacilityActivityRow> {
    let own_facility = auth.created_only().is_some();
    if input.occurred_on > today {
        return Err(ApiError::invalid("occurred_on", "must not be in the future"));
    }
    let facility_name = match (&auth.facility_name, &input.facility) {
        (Some(own), Some(given)) if own_facility && crate::text::normalize(given) != *own => {
            return Err(ApiError::invalid("facility", format!("must be your facility, {own}")))
        }
        (Some(own), _) if own_facility => own.clone(),
        (_, Some(given)) => crate::text::normalize(given),
        (_, None) => return Err(ApiError::invalid("facility", "is required")),
    };
    // A facility's records lie in its own unit; police record for a unit inside theirs.
    let unit_code = match &input.unit {
        Some(code) if own_facility && *code != auth.unit => {
            return Err(ApiError::invalid("unit", format!("must be your unit, {}", auth.unit)))
        }
        Some(code) => code.clone(),
        None => auth.unit.clone(),
    };
    let unit = crate::services::covered_unit(conn, auth, &unit_code, "unit")?;

    let person_ids = input.person_ids.clone().unwrap_or_default();
    let mut ids = Vec::with_capacity(person_ids.len());
    let scope = PersonScope::of(auth);
    for (i, raw) in person_ids.iter().enumerate() {
        let field = format!("person_ids[{i}]");
        let id = crate::http::parse_id(raw).map_err(|_| ApiError::invalid(field.clone(), "is not an id"))?;
        if ids.contains(&id) {
            return Err(ApiError::invalid(field, "is listed twice"));
        }
        // Unknown and out-of-reach persons get the same answer.
        persons::find_in(conn, &scope, &id).map_err(|e| match e {
            ApiError::NotFound => ApiError::invalid(field.clone(), "no such person in your reach"),
            other => other,
        })?;
        ids.push(id);
    }
    let persons_count = match (input.persons, ids.len()) {
        (Some(n), named) if named > 0 && (n as usize) < named => {
            return Err(ApiError::invalid("persons", "must not be fewer than the person_ids"))
        }
        (Some(n), _) => n,
        (None, named) => named as i32,
    };
    let attendance = input.attendance.unwrap_or(persons_count);
    let problems = facility::check(input.kind, input.topic_code, persons_count, attendance, input.amount_vnd);
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems.into_iter().map(|(f, r)| InvalidParam::new(f, r)).collect()));
    }
    let row = FacilityActivityRow {
        id: uuid::Uuid::now_v7().to_string(),
        kind: input.kind,
        occurred_on: input.occurred_on,
        province_code: unit.province_code.clone().unwrap_or_default(),
        unit_code: unit.code,
        facility: facility_name,
        topic_code: input.topic_code,
        persons: persons_count,
        person_ids: (!ids.is_empty()).then_some(crate::db::json_text::JsonText(ids)),
        attendance,
        amount_vnd: input.amount_vnd,
        notes: input.notes.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string),
        created_by: auth.sub.clone(),
        created_at: crate::time::now(),
    };
    // The caller's write transaction (`idempotency::once` opens one) holds the row and its
    // audit event together.
    facility_activities::insert(conn, &row)?;
    audit::record(
        conn,
        &audit::Actor::of(auth),
        audit::Entry {
            action: "facility_activity.create",
            entity_type: "facility_activity",
            entity_id: Some(&row.id),
            unit_code: Some(&row.unit_code),
            province_code: (!row.province_code.is_empty()).then_some(row.province_code.as_str()),
            after: serde_json::to_value(&row).ok(),
            ..Default::default()
        },
    )?;
    Ok(row)
}
