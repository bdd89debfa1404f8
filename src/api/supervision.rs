//! Supervision assignments, the activity log and the personal reintegration plan.

use actix_web::{delete, get, patch, post, put, web, HttpResponse};

use crate::api::responses::{ActivityNotFound, BadDateOrUnit, CaseloadPersonNotFound, IfMatchFailed, PersonNotFound};
use crate::api::{parse_id, parse_ids};
use crate::auth::{Auth, Op};
use crate::db::persons::{self, PersonScope};
use crate::db::supervision::{self as sup, ActivityRow, AssignmentRow, PlanItemRow};
use crate::domain::enums::*;
use crate::dto::supervision::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::{json_with_etag, IfMatch};
use crate::http::extract::ApiJson;
use crate::http::extract::ApiQuery;
use crate::http::id_param;
use crate::http::idempotency::{request_hash, IdempotencyKey};
use crate::http::pagination::{Page, PageRequest};
use crate::services::supervision as service;
use crate::state::AppState;
use crate::time::today_vn;

fn assignment_view(r: &AssignmentRow) -> Assignment {
    Assignment {
        id: r.id.clone(),
        person_id: r.person_id.clone(),
        unit: r.unit_code.clone(),
        supervisor_kind: r.supervisor_kind,
        supervisor_name: r.supervisor_name.clone(),
        organisation: r.organisation,
        contact: r.contact.clone(),
        account_id: r.account_id.clone(),
        committee_member_id: r.committee_member_id.clone(),
        primary: r.is_primary,
        decision_number: r.decision_number.clone(),
        decision_date: r.decision_date,
        from_date: r.from_date,
        to_date: r.to_date,
        end_reason: r.end_reason.clone(),
        active: r.to_date.is_none(),
        version: r.version,
    }
}

pub fn activity_view(r: &ActivityRow) -> Activity {
    Activity {
        id: r.id.clone(),
        person_id: r.person_id.clone(),
        unit: r.unit_code.clone(),
        kind: r.kind,
        legal_sub_kind: r.legal_sub_kind,
        occurred_on: r.occurred_on,
        group_session_id: r.group_session_id.clone(),
        author_sub: r.author_sub.clone(),
        author_name: r.author_name.clone(),
        place: r.place.clone(),
        notes: r.notes.clone(),
        outcome: r.outcome.clone(),
        next_follow_up_on: r.next_follow_up_on,
        deleted: r.deleted,
        deleted_reason: r.deleted_reason.clone(),
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
        version: r.version,
    }
}

/// Assign a supervisor (decided by the commune chairman). A new primary assignment ends the
/// current one in the same transaction.
#[utoipa::path(
    tag = "supervision",
    request_body = NewAssignment,
    params(("id" = String, Path)),
    responses(
        (status = 201, body = Assignment),
        (status = 409, description = "The person is not under management", body = Problem, content_type = "application/problem+json"),
        PersonNotFound
    )
)]
#[post("/persons/{id}/assignments")]
pub async fn create_assignment(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<NewAssignment>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    let row = state
        .run(&auth, Op::CreateAssignment, move |conn, auth| service::assign(conn, auth, &id, &input, today_vn()))
        .await?;
    Ok(HttpResponse::Created().json(assignment_view(&row)))
}

/// A person's assignments, past and present, oldest first.
#[utoipa::path(
    tag = "supervision",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<Assignment>), PersonNotFound)
)]
#[get("/persons/{id}/assignments")]
pub async fn list_person_assignments(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let rows = state
        .run(&auth, Op::ListPersonAssignments, move |conn, auth| {
            let person = persons::find_in(conn, &PersonScope::of(auth), &id)?;
            sup::for_person(conn, &person.id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(assignment_view).collect::<Vec<_>>()))
}

/// Assignments in your unit — e.g. a supervisor's caseload with `supervisor=ACCOUNT&active=true`.
/// A supervisor token always gets its own caseload only.
#[utoipa::path(tag = "supervision", params(AssignmentQuery), responses((status = 200, body = Page<Assignment>)))]
#[get("/assignments")]
pub async fn list_assignments(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<AssignmentQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let supervisor = id_param("supervisor", q.supervisor.as_deref(), "an account id")?;
    let person_id = id_param("person_id", q.person_id.as_deref(), "an id")?;
    let (rows, total) = state
        .run(&auth, Op::ListAssignments, move |conn, auth| {
            let own = auth.caseload_only().map(str::to_string);
            if own.is_some() && supervisor.as_ref().is_some_and(|s| Some(s) != own.as_ref()) {
                return Ok((Vec::new(), 0));
            }
            let filter = sup::AssignmentFilter { account_id: own.or(supervisor), active: q.active, person_id };
            sup::list_assignments(conn, &auth.jurisdiction, &filter, page.offset(), page.page_size)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page.wrap(rows.iter().map(assignment_view).collect(), total)))
}

/// End an assignment with a reason.
#[utoipa::path(
    tag = "supervision",
    request_body = EndAssignment,
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Assignment),
        (status = 404, description = "No such assignment in your unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already ended", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/assignments/{id}/end")]
pub async fn end_assignment(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<EndAssignment>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    let row = state
        .run(&auth, Op::EndAssignment, move |conn, auth| service::end_assignment(conn, auth, &id, &input, today_vn()))
        .await?;
    Ok(HttpResponse::Ok().json(assignment_view(&row)))
}

/// Log an activity. `counselling_group` with `participant_ids` records one session for
/// several persons (one record each, sharing `group_session_id`). Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "activities",
    request_body = NewActivity,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 201, body = Vec<Activity>),
        (status = 409, description = "The person is no longer managed", body = Problem, content_type = "application/problem+json"),
        CaseloadPersonNotFound
    )
)]
#[post("/persons/{id}/activities")]
pub async fn create_activity(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    idem: IdempotencyKey,
    body: ApiJson<NewActivity>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    let hash = request_hash(&format!("create_activity:{id}"), &input);
    let response = state
        .run(&auth, Op::CreateActivity, move |conn, auth| {
            service::create_activity(conn, auth, &id, &input, today_vn(), idem.0.as_deref(), &hash, |rows| {
                rows.iter().map(activity_view).collect::<Vec<_>>()
            })
        })
        .await?;
    Ok(response.into_response())
}

/// A person's activity log, newest first.
#[utoipa::path(
    tag = "activities",
    params(("id" = String, Path), ActivityQuery),
    responses((status = 200, body = Page<Activity>), CaseloadPersonNotFound)
)]
#[get("/persons/{id}/activities")]
pub async fn list_activities(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    query: ApiQuery<ActivityQuery>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let filter = sup::ActivityFilter {
        kind: q.kind.map(|k| k.as_str().into()),
        from: q.from,
        to: q.to,
        include_deleted: q.include_deleted.unwrap_or(false),
    };
    let (rows, total) = state
        .run(&auth, Op::ListActivities, move |conn, auth| {
            let person = persons::find_in(conn, &PersonScope::of(auth), &id)?;
            sup::list_activities(conn, &person.id, &filter, page.offset(), page.page_size)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page.wrap(rows.iter().map(activity_view).collect(), total)))
}

/// Correct an activity (`If-Match`); the previous version is kept and audited.
#[utoipa::path(
    tag = "activities",
    request_body = ActivityCorrection,
    params(("id" = String, Path), ("activity_id" = String, Path), ("If-Match" = String, Header)),
    responses((status = 200, body = Activity), ActivityNotFound, IfMatchFailed)
)]
#[patch("/persons/{id}/activities/{activity_id}")]
pub async fn correct_activity(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: ApiJson<ActivityCorrection>,
) -> ApiResult<HttpResponse> {
    let (id, activity_id) = parse_ids(path.into_inner())?;
    let input = body.0;
    let row = state
        .run(&auth, Op::CorrectActivity, move |conn, auth| {
            service::correct_activity(conn, auth, &id, &activity_id, &if_match, &input, today_vn())
        })
        .await?;
    Ok(json_with_etag(row.version, &activity_view(&row)))
}

/// Delete an activity: needs `reason`; the record stays, marked deleted, with an audit trail.
#[utoipa::path(
    tag = "activities",
    params(("id" = String, Path), ("activity_id" = String, Path), DeleteQuery),
    responses((status = 204, description = "Deleted"), ActivityNotFound)
)]
#[delete("/persons/{id}/activities/{activity_id}")]
pub async fn delete_activity(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
    query: ApiQuery<DeleteQuery>,
) -> ApiResult<HttpResponse> {
    let (id, activity_id) = parse_ids(path.into_inner())?;
    let reason = query.into_inner().reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(ApiError::invalid("reason", "is required (at most 1000 characters)"));
    }
    state
        .run(&auth, Op::DeleteActivity, move |conn, auth| {
            service::delete_activity(conn, auth, &id, &activity_id, &reason)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

fn plan_matrix(items: Vec<PlanItemRow>, updates: Vec<sup::PlanUpdateRow>) -> Vec<PlanItem> {
    PlanArea::ALL
        .iter()
        .map(|area| {
            let item = items.iter().find(|i| i.area == *area);
            PlanItem {
                area: *area,
                goal: item.and_then(|i| i.goal.clone()),
                status: item.map_or(PlanStatus::NotStarted, |i| i.status),
                responsible_agency: item.and_then(|i| i.responsible_agency),
                updated_on: item.map(|i| i.updated_on),
                updates: item
                    .map(|i| {
                        updates
                            .iter()
                            .filter(|u| u.plan_item_id == i.id)
                            .map(|u| PlanUpdate {
                                status: u.status,
                                note: u.note.clone(),
                                updated_on: u.updated_on,
                                actor_sub: u.actor_sub.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                version: item.map(|i| i.version).unwrap_or(0),
            }
        })
        .collect()
}

/// The personal reintegration plan: one entry per support area (areas never touched show
/// `not_started`, version 0), each with its dated updates.
#[utoipa::path(
    tag = "plan",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<PlanItem>), CaseloadPersonNotFound)
)]
#[get("/persons/{id}/plan")]
pub async fn get_plan(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let (items, updates) = state
        .run(&auth, Op::GetPlan, move |conn, auth| {
            let person = persons::find_in(conn, &PersonScope::of(auth), &id)?;
            Ok((sup::plan_items(conn, &person.id)?, sup::plan_updates(conn, &person.id)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(plan_matrix(items, updates)))
}

/// Set one plan area (`If-Match` with the area's version; `"v0"` for an area never set).
/// Each change is kept as a dated update.
#[utoipa::path(
    tag = "plan",
    request_body = PlanItemInput,
    params(("id" = String, Path), ("area" = PlanArea, Path), ("If-Match" = String, Header)),
    responses((status = 200, body = Vec<PlanItem>), CaseloadPersonNotFound, IfMatchFailed)
)]
#[put("/persons/{id}/plan/{area}")]
pub async fn update_plan_item(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: ApiJson<PlanItemInput>,
) -> ApiResult<HttpResponse> {
    let (id, area) = path.into_inner();
    let id = parse_id(&id)?;
    let area = PlanArea::parse(&area).ok_or(ApiError::NotFound)?;
    let input = body.0;
    if input.updated_on > today_vn() {
        return Err(ApiError::invalid("updated_on", "must not be in the future"));
    }
    let (items, updates) = state
        .run(&auth, Op::UpdatePlanItem, move |conn, auth| {
            service::update_plan_item(conn, auth, &id, area, &if_match, &input)
        })
        .await?;
    Ok(HttpResponse::Ok().json(plan_matrix(items, updates)))
}

/// How many active persons of the unit are in each plan status, per area — where support is needed.
/// With `on`, each item's status is its latest update dated by then, counted for the
/// persons managed in the unit that day.
#[utoipa::path(tag = "plan", params(UnitOnQuery), responses((status = 200, body = Vec<PlanSummaryRow>), BadDateOrUnit))]
#[get("/plan-summary")]
pub async fn get_plan_summary(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<UnitOnQuery>,
) -> ApiResult<HttpResponse> {
    let UnitOnQuery { unit, on } = query.into_inner();
    if on.is_some_and(|d| d > today_vn()) {
        return Err(ApiError::invalid("on", "must not be in the future"));
    }
    let rows = state
        .run(&auth, Op::GetPlanSummary, move |conn, auth| {
            let (scope, _) = crate::services::scope_for(conn, auth, unit.as_deref())?;
            match on {
                None => sup::plan_summary(conn, &scope),
                Some(day) => crate::db::reports::plan_summary_on(conn, std::slice::from_ref(&scope), day),
            }
        })
        .await?;
    let summary = PlanArea::ALL
        .iter()
        .map(|area| {
            let n = |status: PlanStatus| {
                rows.iter()
                    .filter(|(a, s, _)| a == area.as_str() && s == status.as_str())
                    .map(|(_, _, n)| *n)
                    .sum::<i64>()
            };
            PlanSummaryRow {
                area: *area,
                not_started: n(PlanStatus::NotStarted),
                in_progress: n(PlanStatus::InProgress),
                support_required: n(PlanStatus::SupportRequired),
                done: n(PlanStatus::Done),
                declined: n(PlanStatus::Declined),
            }
        })
        .collect::<Vec<_>>();
    Ok(HttpResponse::Ok().json(summary))
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_assignment)
        .service(list_person_assignments)
        .service(list_assignments)
        .service(end_assignment)
        .service(create_activity)
        .service(list_activities)
        .service(correct_activity)
        .service(delete_activity)
        .service(get_plan)
        .service(update_plan_item)
        .service(get_plan_summary);
}
