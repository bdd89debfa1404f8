//! Pre-release notices (thông báo trước khi chấp hành xong án) and the commune's address check.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};

use crate::api::parse_id;
use crate::auth::{Auth, Jurisdiction, Op};
use crate::db::persons::PersonScope;
use crate::db::release_notices::{self, NoticeRow, NoticeScope};
use crate::db::{audit, idempotency, persons, write_tx, DbConnection};
use crate::domain::lifecycle::Transition;
use crate::dto::release_notices::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::json_with_etag;
use crate::http::extract::ApiJson;
use crate::http::idempotency::{request_hash, IdempotencyKey, StoredResponse};
use crate::http::pagination::{Page, PageRequest};
use crate::services::persons as service;
use crate::state::AppState;
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
    audit::record(
        conn,
        &audit::Actor::of(auth),
        audit::Entry {
            action: "release_notice.create",
            entity_type: "release_notice",
            entity_id: Some(&row.id),
            unit_code: Some(&row.unit_code),
            province_code: Some(&row.province_code),
            after: serde_json::to_value(&row).ok(),
            ..Default::default()
        },
    )?;
    Ok(row)
}

/// A facility's pre-release notice: creates the person in `expected`, or starts a new cycle
/// for a person released before. The address check is due within 3 working days. Accepts
/// `Idempotency-Key`.
#[utoipa::path(
    tag = "release-notices",
    request_body = NewReleaseNotice,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 201, body = ReleaseNotice),
        (status = 404, description = "person_id not found in your unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The person cannot be expected from their current status, or the ID number is taken", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/release-notices")]
pub async fn create_release_notice(
    state: web::Data<AppState>,
    auth: Auth,
    idem: IdempotencyKey,
    body: ApiJson<NewReleaseNotice>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let hash = request_hash("create_release_notice", &input);
    let response = state
        .run(&auth, Op::CreateReleaseNotice, move |conn, auth| {
            idempotency::once(conn, &auth.sub, idem.0.as_deref(), "create_release_notice", &hash, |conn| {
                let row = create_notice(conn, auth, &input)?;
                let people = release_notices::identities(conn, std::slice::from_ref(&row))?;
                StoredResponse::fresh(
                    StatusCode::CREATED,
                    &ReleaseNotice::build(&row, people.get(&row.person_id), today_vn()),
                )
            })
        })
        .await?;
    Ok(response.into_response())
}

/// Release notices in your unit, soonest verification deadline first.
#[utoipa::path(tag = "release-notices", params(ReleaseNoticeQuery), responses((status = 200, body = Page<ReleaseNotice>)))]
#[get("/release-notices")]
pub async fn list_release_notices(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<ReleaseNoticeQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let unit = match q.unit.as_deref() {
        None => None,
        Some(code) => Some(
            Jurisdiction::parse(code)
                .ok_or_else(|| ApiError::invalid("unit", "must be VN, a province or a commune code"))?,
        ),
    };
    let today = today_vn();
    let filter = release_notices::Filter {
        unit,
        overdue_on: q.verification_overdue.filter(|v| *v).map(|_| today),
        person_id: q
            .person_id
            .as_deref()
            .map(parse_id)
            .transpose()
            .map_err(|_| ApiError::invalid("person_id", "is not an id"))?,
    };
    let (rows, people, total) = state
        .run(&auth, Op::ListReleaseNotices, move |conn, auth| {
            let (rows, total) =
                release_notices::list(conn, &NoticeScope::of(auth), &filter, page.offset(), page.page_size)?;
            let people = release_notices::identities(conn, &rows)?;
            Ok((rows, people, total))
        })
        .await?;
    let items = rows.iter().map(|r| ReleaseNotice::build(r, people.get(&r.person_id), today)).collect();
    Ok(HttpResponse::Ok().json(page.wrap(items, total)))
}

/// One release notice.
#[utoipa::path(
    tag = "release-notices",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = ReleaseNotice),
        (status = 404, description = "No such notice in your unit", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/release-notices/{id}")]
pub async fn get_release_notice(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let (row, people) = state
        .run(&auth, Op::GetReleaseNotice, move |conn, auth| {
            let row = release_notices::find_in(conn, &NoticeScope::of(auth), &id)?;
            let people = release_notices::identities(conn, std::slice::from_ref(&row))?;
            Ok((row, people))
        })
        .await?;
    Ok(json_with_etag(row.version, &ReleaseNotice::build(&row, people.get(&row.person_id), today_vn())))
}

/// Record the address check with the family (commune police).
#[utoipa::path(
    tag = "release-notices",
    request_body = VerificationInput,
    params(("id" = String, Path)),
    responses(
        (status = 200, body = ReleaseNotice),
        (status = 404, description = "No such notice in your unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already verified", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/release-notices/{id}/verification")]
pub async fn verify_release_notice(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<VerificationInput>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    let row = state
        .run(&auth, Op::VerifyReleaseNotice, move |conn, auth| {
            write_tx(conn, |conn| {
                let before = release_notices::find_in(conn, &NoticeScope::of(auth), &id)?;
                if before.verified_on.is_some() {
                    return Err(ApiError::conflict("already_verified", "the address was already verified"));
                }
                if input.verified_on < before.notice_date || input.verified_on > today_vn() {
                    return Err(ApiError::invalid("verified_on", "must lie between the notice date and today"));
                }
                release_notices::record_verification(
                    conn,
                    &id,
                    before.version,
                    input.verified_on,
                    input.result.as_str(),
                    input.note.as_deref(),
                )?;
                let after = release_notices::find_in(conn, &NoticeScope::of(auth), &id)?;
                audit::record(
                    conn,
                    &audit::Actor::of(auth),
                    audit::Entry {
                        action: "release_notice.verify",
                        entity_type: "release_notice",
                        entity_id: Some(&after.id),
                        unit_code: Some(&after.unit_code),
                        province_code: Some(&after.province_code),
                        before: serde_json::to_value(&before).ok(),
                        after: serde_json::to_value(&after).ok(),
                    },
                )?;
                let people = release_notices::identities(conn, std::slice::from_ref(&after))?;
                Ok((after, people))
            })
        })
        .await?;
    let (row, people) = row;
    Ok(json_with_etag(row.version, &ReleaseNotice::build(&row, people.get(&row.person_id), today_vn())))
}
