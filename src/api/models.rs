//! Reintegration models (mô hình), outreach events and propagandists.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};

use crate::api::responses::{BadDateOrUnit, ModelNotFound, StatusForbids};
use crate::api::{parse_id, parse_ids};
use crate::auth::{Auth, Op};
use crate::db::models::{self as db, ModelRow, OutreachRow, ParticipantRow, PropagandistRow};
use crate::db::DbConnection;
use crate::domain::enums::*;
use crate::dto::models::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::extract::ApiJson;
use crate::http::extract::ApiQuery;
use crate::http::pagination::{Page, PageRequest};
use crate::http::unit_param;
use crate::services::models as service;
use crate::state::AppState;
use crate::time::today_vn;

fn model_view(m: &ModelRow, active_participants: i64) -> Model {
    Model {
        id: m.id.clone(),
        unit: m.unit_code.clone(),
        name: m.name.clone(),
        model_type: m.model_type,
        sponsor_organisation: m.sponsor_organisation,
        committee_id: m.committee_id.clone(),
        founding_decision_number: m.founding_decision_number.clone(),
        founding_decision_date: m.founding_decision_date,
        description: m.description.clone(),
        business_lines: m.business_lines.0.clone(),
        status: m.status,
        status_since: m.status_since,
        active_participants,
        milestones: None,
        participants: None,
        reviews: None,
        version: m.version,
    }
}

fn full_view(conn: &mut DbConnection, m: &ModelRow) -> ApiResult<Model> {
    let participants = db::participants(conn, &m.id)?;
    let active =
        participants.iter().filter(|p| p.left_on.is_none() && p.role == ParticipantRole::Participant).count() as i64;
    let mut view = model_view(m, active);
    view.milestones = Some(
        db::milestones(conn, &m.id)?
            .into_iter()
            .map(|r| Milestone { step: r.step, achieved_on: r.achieved_on, note: r.note })
            .collect(),
    );
    view.participants = Some(participants.iter().map(participant_view).collect());
    view.reviews = Some(
        db::reviews(conn, &m.id)?
            .into_iter()
            .map(|r| Review {
                id: r.id,
                kind: r.kind,
                period_from: r.period_from,
                period_to: r.period_to,
                reviewed_on: r.reviewed_on,
                rating: r.rating,
                findings: r.findings,
                commendation: r.commendation,
            })
            .collect(),
    );
    Ok(view)
}

/// Runs a write on a model and answers with the model as it then stands.
async fn model_write<F>(
    state: &AppState,
    auth: &Auth,
    (op, status): (Op, StatusCode),
    write: F,
) -> ApiResult<HttpResponse>
where
    F: FnOnce(&mut DbConnection, &Auth) -> ApiResult<ModelRow> + Send + 'static,
{
    let view = state
        .run(auth, op, move |conn, auth| {
            let m = write(conn, auth)?;
            full_view(conn, &m)
        })
        .await?;
    Ok(HttpResponse::build(status).json(view))
}

fn participant_view(p: &ParticipantRow) -> Participant {
    Participant {
        id: p.id.clone(),
        role: p.role,
        person_id: p.person_id.clone(),
        member_id: p.member_id.clone(),
        helper_name: p.helper_name.clone(),
        joined_on: p.joined_on,
        left_on: p.left_on,
    }
}

/// Register a model in a commune (status `planned` until launched).
#[utoipa::path(tag = "models", request_body = NewModel, responses((status = 201, body = Model)))]
#[post("/models")]
pub async fn create_model(state: web::Data<AppState>, auth: Auth, body: ApiJson<NewModel>) -> ApiResult<HttpResponse> {
    let input = body.0;
    model_write(&state, &auth, (Op::CreateModel, StatusCode::CREATED), move |conn, auth| {
        service::create_model(conn, auth, &input)
    })
    .await
}

/// Models in your unit, by commune and name.
#[utoipa::path(tag = "models", params(ModelQuery), responses((status = 200, body = Page<Model>)))]
#[get("/models")]
pub async fn list_models(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<ModelQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let filter = db::ModelFilter {
        unit: unit_param(q.unit.as_deref())?,
        model_type: q.model_type.map(|t| t.as_str().into()),
        status: q.status.map(|s| s.as_str().into()),
    };
    let (rows, total, counts) = state
        .run(&auth, Op::ListModels, move |conn, auth| {
            let (rows, total) = db::list_models(conn, &auth.jurisdiction, &filter, page.offset(), page.page_size)?;
            let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
            let counts = db::active_participant_counts(conn, &ids)?;
            Ok((rows, total, counts))
        })
        .await?;
    let items = rows
        .iter()
        .map(|r| model_view(r, counts.iter().find(|(id, _)| *id == r.id).map(|(_, n)| *n).unwrap_or(0)))
        .collect();
    Ok(HttpResponse::Ok().json(page.wrap(items, total)))
}

/// One model with its milestones, participants and reviews.
#[utoipa::path(tag = "models", params(("id" = String, Path)), responses((status = 200, body = Model), ModelNotFound))]
#[get("/models/{id}")]
pub async fn get_model(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let view = state
        .run(&auth, Op::GetModel, move |conn, auth| {
            let m = db::find_model(conn, &auth.jurisdiction, &id)?;
            full_view(conn, &m)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Record one of the five steps. Steps come in order and on non-decreasing dates: a launch
/// before regulations is a 409. Launching makes a planned model active.
#[utoipa::path(
    tag = "models",
    request_body = NewMilestone,
    params(("id" = String, Path)),
    responses(
        (status = 201, body = Model),
        (status = 409, description = "Out of order, or already recorded", body = Problem, content_type = "application/problem+json"),
        ModelNotFound
    )
)]
#[post("/models/{id}/milestones")]
pub async fn record_milestone(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<NewMilestone>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    if input.achieved_on > today_vn() {
        return Err(ApiError::invalid("achieved_on", "must not be in the future"));
    }
    model_write(&state, &auth, (Op::RecordMilestone, StatusCode::CREATED), move |conn, auth| {
        service::record_milestone(conn, auth, &id, &input)
    })
    .await
}

/// Suspend, reactivate or dissolve a model.
#[utoipa::path(
    tag = "models",
    request_body = StatusChangeInput,
    params(("id" = String, Path)),
    responses((status = 200, body = Model), ModelNotFound, StatusForbids)
)]
#[post("/models/{id}/status")]
pub async fn change_model_status(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<StatusChangeInput>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    model_write(&state, &auth, (Op::ChangeModelStatus, StatusCode::OK), move |conn, auth| {
        service::change_model_status(conn, auth, &id, &input)
    })
    .await
}

/// A person joins (participant), or a committee member helps (helper).
#[utoipa::path(
    tag = "models",
    request_body = NewParticipant,
    params(("id" = String, Path)),
    responses(
        (status = 201, body = Participant),
        (status = 409, description = "Already taking part, or the model is dissolved", body = Problem, content_type = "application/problem+json"),
        ModelNotFound
    )
)]
#[post("/models/{id}/participants")]
pub async fn add_participant(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<NewParticipant>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    if input.joined_on > today_vn() {
        return Err(ApiError::invalid("joined_on", "must not be in the future"));
    }
    let row = state
        .run(&auth, Op::AddModelParticipant, move |conn, auth| service::add_participant(conn, auth, &id, &input))
        .await?;
    Ok(HttpResponse::Created().json(participant_view(&row)))
}

/// A participant or helper leaves.
#[utoipa::path(
    tag = "models",
    request_body = LeaveInput,
    params(("id" = String, Path), ("participant_id" = String, Path)),
    responses(
        (status = 200, body = Participant),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already left", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/models/{id}/participants/{participant_id}/leave")]
pub async fn leave_model(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
    body: ApiJson<LeaveInput>,
) -> ApiResult<HttpResponse> {
    let (id, pid) = parse_ids(path.into_inner())?;
    let input = body.0;
    if input.left_on > today_vn() {
        return Err(ApiError::invalid("left_on", "must not be in the future"));
    }
    let row =
        state.run(&auth, Op::LeaveModel, move |conn, auth| service::leave_model(conn, auth, &id, &pid, &input)).await?;
    Ok(HttpResponse::Ok().json(participant_view(&row)))
}

/// A periodic review (sơ kết / tổng kết) with its rating, findings and any commendation.
#[utoipa::path(
    tag = "models",
    request_body = NewReview,
    params(("id" = String, Path)),
    responses((status = 201, body = Model), ModelNotFound)
)]
#[post("/models/{id}/reviews")]
pub async fn add_review(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<NewReview>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    if input.period_to < input.period_from {
        return Err(ApiError::invalid("period_to", "must not be before period_from"));
    }
    if input.reviewed_on < input.period_from || input.reviewed_on > today_vn() {
        return Err(ApiError::invalid("reviewed_on", "must lie between the period start and today"));
    }
    model_write(&state, &auth, (Op::AddModelReview, StatusCode::CREATED), move |conn, auth| {
        service::add_review(conn, auth, &id, &input)
    })
    .await
}

/// Per type, models (all and active) and their participants in a unit, and the share of
/// communes with persons under management that run at least one active model.
/// With `on`, the summary describes that day from the dated records: models founded by
/// then, models active then, participants then (joined by then, not left), and communes
/// with someone managed that day (received or under management).
#[utoipa::path(
    tag = "models",
    params(crate::dto::supervision::UnitOnQuery),
    responses((status = 200, body = ModelSummary), BadDateOrUnit)
)]
#[get("/models-summary")]
pub async fn get_model_summary(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<crate::dto::supervision::UnitOnQuery>,
) -> ApiResult<HttpResponse> {
    let crate::dto::supervision::UnitOnQuery { unit, on } = query.into_inner();
    if on.is_some_and(|d| d > crate::time::today_vn()) {
        return Err(ApiError::invalid("on", "must not be in the future"));
    }
    let summary = state
        .run(&auth, Op::GetModelSummary, move |conn, auth| {
            let (scope, code) = crate::services::scope_for(conn, auth, unit.as_deref())?;
            let (types, (managed, with_model)) = match on {
                None => (db::type_counts(conn, &scope)?, db::coverage(conn, &scope)?),
                Some(day) => (
                    crate::db::reports::model_types_on(conn, std::slice::from_ref(&scope), day)?,
                    crate::db::reports::model_coverage_on(conn, std::slice::from_ref(&scope), day)?,
                ),
            };
            Ok(ModelSummary {
                unit: code,
                by_type: ModelType::ALL
                    .iter()
                    .map(|t| {
                        let (models, active, participants) = types
                            .iter()
                            .find(|(k, ..)| k == t.as_str())
                            .map(|(_, a, b, c)| (*a, *b, *c))
                            .unwrap_or((0, 0, 0));
                        ModelTypeCount { model_type: *t, models, active, participants }
                    })
                    .collect(),
                communes_with_managed_persons: managed,
                communes_with_active_model: with_model,
                coverage_percent: (managed > 0).then(|| (with_model as f64 * 10000.0 / managed as f64).round() / 100.0),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(summary))
}

fn outreach_view(r: &OutreachRow) -> OutreachEvent {
    OutreachEvent {
        id: r.id.clone(),
        unit: r.unit_code.clone(),
        held_on: r.held_on,
        kind: r.kind,
        topic: r.topic.clone(),
        organiser: r.organiser.clone(),
        audience_count: r.audience_count,
        quantity: r.quantity,
        model_id: r.model_id.clone(),
        topic_code: r.topic_code,
    }
}

/// Record an outreach event (tuyên truyền).
#[utoipa::path(tag = "outreach", request_body = NewOutreachEvent, responses((status = 201, body = OutreachEvent)))]
#[post("/outreach-events")]
pub async fn create_outreach_event(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<NewOutreachEvent>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    if input.held_on > today_vn() {
        return Err(ApiError::invalid("held_on", "must not be in the future"));
    }
    let row = state
        .run(&auth, Op::CreateOutreachEvent, move |conn, auth| service::create_outreach_event(conn, auth, &input))
        .await?;
    Ok(HttpResponse::Created().json(outreach_view(&row)))
}

/// Outreach events in your unit, newest first.
#[utoipa::path(tag = "outreach", params(OutreachQuery), responses((status = 200, body = Page<OutreachEvent>)))]
#[get("/outreach-events")]
pub async fn list_outreach_events(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<OutreachQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let filter = db::OutreachFilter {
        unit: unit_param(q.unit.as_deref())?,
        kind: q.kind.map(|k| k.as_str().into()),
        from: q.from,
        to: q.to,
    };
    let (rows, total) = state
        .run(&auth, Op::ListOutreachEvents, move |conn, auth| {
            db::list_outreach(conn, &auth.jurisdiction, &filter, page.offset(), page.page_size)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page.wrap(rows.iter().map(outreach_view).collect(), total)))
}

/// Totals by kind (events, audience, quantity) over a period, communes holding outreach,
/// and communes with propagandists (active on the period's last day, or today).
#[utoipa::path(tag = "outreach", params(OutreachQuery), responses((status = 200, body = OutreachSummary)))]
#[get("/outreach-summary")]
pub async fn get_outreach_summary(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<OutreachQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let unit = q.unit.clone();
    let (from, to) = (q.from, q.to);
    let summary = state
        .run(&auth, Op::GetOutreachSummary, move |conn, auth| {
            let (scope, _) = crate::services::scope_for(conn, auth, unit.as_deref())?;
            let filter = db::OutreachFilter { unit: None, kind: None, from, to };
            let (rows, communes) = db::outreach_totals(conn, &scope, &filter)?;
            let with_propagandists = db::communes_with_propagandists(conn, &scope, to.unwrap_or_else(today_vn))?;
            let by_kind: Vec<OutreachTotals> = OutreachKind::ALL
                .iter()
                .map(|k| {
                    let (events, audience, quantity) = rows
                        .iter()
                        .find(|(kind, ..)| kind == k.as_str())
                        .map(|(_, a, b, c)| (*a, *b, *c))
                        .unwrap_or((0, 0, 0));
                    OutreachTotals { kind: *k, events, audience, quantity }
                })
                .collect();
            Ok(OutreachSummary {
                events: by_kind.iter().map(|t| t.events).sum(),
                audience: by_kind.iter().map(|t| t.audience).sum(),
                by_kind,
                communes_holding_outreach: communes,
                communes_with_propagandists: with_propagandists,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(summary))
}

fn propagandist_view(r: &PropagandistRow) -> Propagandist {
    Propagandist {
        id: r.id.clone(),
        unit: r.unit_code.clone(),
        full_name: r.full_name.clone(),
        organisation: r.organisation,
        from_date: r.from_date,
        to_date: r.to_date,
    }
}

/// Register a commune propagandist (tuyên truyền viên).
#[utoipa::path(tag = "outreach", request_body = NewPropagandist, responses((status = 201, body = Propagandist)))]
#[post("/propagandists")]
pub async fn create_propagandist(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<NewPropagandist>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    if input.to_date.is_some_and(|t| t < input.from_date) {
        return Err(ApiError::invalid("to_date", "must not be before from_date"));
    }
    let row = state
        .run(&auth, Op::CreatePropagandist, move |conn, auth| service::create_propagandist(conn, auth, &input))
        .await?;
    Ok(HttpResponse::Created().json(propagandist_view(&row)))
}

/// Propagandists in your unit.
#[utoipa::path(tag = "outreach", params(crate::dto::supervision::UnitQuery), responses((status = 200, body = Vec<Propagandist>)))]
#[get("/propagandists")]
pub async fn list_propagandists(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<crate::dto::supervision::UnitQuery>,
) -> ApiResult<HttpResponse> {
    let unit = unit_param(query.into_inner().unit.as_deref())?;
    let rows = state
        .run(&auth, Op::ListPropagandists, move |conn, auth| {
            db::list_propagandists(conn, &auth.jurisdiction, unit.as_ref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(propagandist_view).collect::<Vec<_>>()))
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_model)
        .service(list_models)
        .service(get_model)
        .service(record_milestone)
        .service(change_model_status)
        .service(add_participant)
        .service(leave_model)
        .service(add_review)
        .service(get_model_summary)
        .service(create_outreach_event)
        .service(list_outreach_events)
        .service(get_outreach_summary)
        .service(create_propagandist)
        .service(list_propagandists);
}
