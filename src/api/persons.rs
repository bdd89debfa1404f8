//! Persons: the registry, lifecycle actions, convictions and expungement.

use actix_web::{get, patch, post, put, web, HttpResponse};
use chrono::NaiveDate;

use crate::api::responses::{ConvictionNotFound, IfMatchFailed, PersonNotFound, StatusForbids, StatusForbidsListed};
use crate::api::{parse_id, parse_ids};
use crate::auth::{Auth, Jurisdiction, Op};
use crate::db::persons::PersonScope;
use crate::db::{admin_units, convictions, persons, DbConnection};
use crate::domain::lifecycle::Transition;
use crate::dto::convictions::*;
use crate::dto::persons::*;
use crate::error::{ApiError, ApiResult, InvalidParam, Problem};
use crate::http::etag::{json_with_etag, IfMatch};
use crate::http::extract::ApiJson;
use crate::http::extract::ApiQuery;
use crate::http::idempotency::{request_hash, IdempotencyKey};
use crate::http::pagination::{Page, PageRequest};
use crate::services::persons as service;
use crate::state::AppState;
use crate::time::today_vn;

fn view(row: &persons::PersonRow, auth: &Auth) -> Person {
    Person::build(row, Visibility::for_roles(&auth.roles), today_vn())
}

fn parse_sort(s: Option<&str>) -> ApiResult<persons::Sort> {
    use persons::Sort::*;
    Ok(match s.unwrap_or("full_name") {
        "full_name" => FullName,
        "-full_name" => FullNameDesc,
        "received_on" => ReceivedOn,
        "-received_on" => ReceivedOnDesc,
        "expungement_due_on" => ExpungementDueOn,
        "created_at" => CreatedAt,
        "-created_at" => CreatedAtDesc,
        _ => {
            return Err(ApiError::invalid(
                "sort",
                "one of full_name, -full_name, received_on, -received_on, expungement_due_on, created_at, -created_at",
            ))
        }
    })
}

/// Persons inside your unit, filtered and sorted. Filters on fields your role cannot see are refused.
#[utoipa::path(tag = "persons", params(PersonQuery), responses((status = 200, body = PersonPage)))]
#[get("/persons")]
pub async fn list_persons(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<PersonQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let vis = Visibility::for_roles(&auth.roles);
    let mut problems = Vec::new();
    // Every filter given must reveal only fields the caller's roles see (auth::fields).
    let given = [
        ("unit", q.unit.is_some()),
        ("q", q.q.is_some()),
        ("status", q.status.is_some()),
        ("release_type", q.release_type.is_some()),
        ("offence_group", q.offence_group.is_some()),
        ("classification", q.classification.is_some()),
        ("needs_focus", q.needs_focus.is_some()),
        ("juvenile", q.juvenile.is_some()),
        ("received_from", q.received_from.is_some()),
        ("received_to", q.received_to.is_some()),
        ("expungement_due_before", q.expungement_due_before.is_some()),
        ("contact_overdue", q.contact_overdue.is_some()),
    ];
    for (name, present) in given {
        if present && !vis.may_filter(name) {
            problems.push(InvalidParam::new(name, "is not available to your role"));
        }
    }
    let unit = match q.unit.as_deref() {
        None => None,
        Some(code) => match Jurisdiction::parse(code) {
            // The reference list the table is seeded from: no database trip per search.
            Some(Jurisdiction::Province(c) | Jurisdiction::Commune(c)) if admin_units::province_of(&c).is_none() => {
                problems.push(InvalidParam::new("unit", format!("`{c}` is not a current administrative unit code")));
                None
            }
            Some(j) => Some(j),
            None => {
                problems.push(InvalidParam::new("unit", "must be VN, a province or a commune code"));
                None
            }
        },
    };
    let text = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    if text.as_ref().is_some_and(|t| t.chars().count() > 100) {
        problems.push(InvalidParam::new("q", "at most 100 characters"));
    }
    let sort = match parse_sort(q.sort.as_deref()) {
        Ok(_) if q.sort.as_deref().is_some_and(|s| !vis.may_sort(s)) => {
            problems.push(InvalidParam::new("sort", "is not available to your role"));
            persons::Sort::FullName
        }
        Ok(s) => s,
        Err(ApiError::Validation(p)) => {
            problems.extend(p);
            persons::Sort::FullName
        }
        Err(e) => return Err(e),
    };
    let after = match q.after.as_deref() {
        None => None,
        Some(token) => match persons::Cursor::decode(token) {
            Some(c) if c.fits(sort) => Some(c),
            _ => {
                problems.push(InvalidParam::new("after", "must be the `next` token of a page with the same sort"));
                None
            }
        },
    };
    if after.is_some() && q.page.is_some_and(|p| p != 1) {
        problems.push(InvalidParam::new("page", "must not be given with `after`"));
    }
    let exact_total = match q.total.as_deref() {
        None | Some("auto") => false,
        Some("exact") => true,
        Some(_) => {
            problems.push(InvalidParam::new("total", "must be `exact` or `auto`"));
            false
        }
    };
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let filter = persons::ListFilter {
        unit,
        status: q.status.map(|s| s.as_str().into()),
        release_type: q.release_type.map(|s| s.as_str().into()),
        offence_group: q.offence_group.map(|s| s.as_str().into()),
        classification: q.classification.map(|s| s.as_str().into()),
        juvenile: q.juvenile,
        needs_focus: q.needs_focus,
        received_from: q.received_from,
        received_to: q.received_to,
        expungement_due_before: q.expungement_due_before,
        q: text.as_deref().map(persons::Search::parse),
        contact_overdue: q.contact_overdue.filter(|v| *v).map(|_| (state.settings.contact_intervals, today_vn())),
        sort,
        after,
        exact_total_up_to: state.settings.exact_total_up_to,
        exact_total,
        no_total: false,
    };
    let list = state
        .run_read(&auth, Op::ListPersons, move |conn, auth| {
            persons::list(conn, &PersonScope::of(auth), &filter, page.offset(), page.page_size)
        })
        .await?;
    let rows = &list.rows;
    if service::carries_criminal_data(&vis) && !rows.is_empty() {
        // On the primary: the list itself may have been read on a replica.
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        state.audit_reads(&auth, vec![service::read_event(&auth, "list_persons", &ids, None)]).await?;
    }
    let items = rows.iter().map(|r| view(r, &auth)).collect();
    Ok(HttpResponse::Ok().json(PersonPage {
        items,
        page: page.page,
        page_size: page.page_size,
        total: list.total,
        total_is_estimate: list.total_is_estimate,
        next: list.next.map(|c| c.encode()),
    }))
}

/// Register a person directly (status `expected`); the usual path is a release notice.
#[utoipa::path(
    tag = "persons",
    request_body = NewPerson,
    responses(
        (status = 201, body = Person),
        (status = 409, description = "Another active person has this ID number", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/persons")]
pub async fn create_person(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<NewPerson>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let today = today_vn();
    let since = input.registered_on.unwrap_or(today);
    if since > today {
        return Err(ApiError::invalid("registered_on", "must not be in the future"));
    }
    let row = state
        .run(&auth, Op::CreatePerson, move |conn, auth| service::create_person(conn, auth, &input, since, today))
        .await?;
    let body = view(&row, &auth);
    Ok(HttpResponse::Created().insert_header(("etag", crate::http::etag::etag(row.version))).json(body))
}

/// One person inside your unit, with the fields your role may see.
#[utoipa::path(
    tag = "persons",
    params(("id" = String, Path)),
    responses((status = 200, body = Person, headers(("ETag" = String))), PersonNotFound)
)]
#[get("/persons/{id}")]
pub async fn get_person(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let row = state.run_audited(&auth, Op::GetPerson, move |conn, auth| service::read_person(conn, auth, &id)).await?;
    Ok(json_with_etag(row.version, &view(&row, &auth)))
}

/// Edit identity, residence and social fields; classification, focus and employment changes
/// are kept with date, author and `change_reason`. Requires `If-Match`.
#[utoipa::path(
    tag = "persons",
    request_body = PersonPatch,
    params(("id" = String, Path), ("If-Match" = String, Header)),
    responses(
        (status = 200, body = Person),
        (status = 409, description = "Duplicate ID number", body = Problem, content_type = "application/problem+json"),
        PersonNotFound, IfMatchFailed
    )
)]
#[patch("/persons/{id}")]
pub async fn update_person(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ApiJson<PersonPatch>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    let row = state
        .run(&auth, Op::UpdatePerson, move |conn, auth| {
            service::update_person(conn, auth, &id, &if_match, &input, today_vn())
        })
        .await?;
    Ok(json_with_etag(row.version, &view(&row, &auth)))
}

/// The person's status history (each change dated, with its commune), oldest first.
/// `details` (the judgment behind a `reoffended`, the communes of a transfer) are criminal
/// data: only roles that read criminal records (police, commune committee, justice) get them.
#[utoipa::path(
    tag = "persons",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<StatusChange>), PersonNotFound)
)]
#[get("/persons/{id}/status-history")]
pub async fn get_status_history(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let rows = state
        .run_audited(&auth, Op::GetStatusHistory, move |conn, auth| service::status_history(conn, auth, &id))
        .await?;
    // Details name judgments (a new conviction): criminal data, kept from roles that do not
    // read it.
    let criminal = Visibility::for_roles(&auth.roles).criminal;
    let changes = rows
        .into_iter()
        .map(StatusChange::from)
        .map(|c| if criminal { c } else { StatusChange { details: None, ..c } })
        .collect::<Vec<_>>();
    Ok(HttpResponse::Ok().json(changes))
}

/// Dated changes of classification, focus flag and employment status, oldest first.
#[utoipa::path(
    tag = "persons",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<AttributeChange>), PersonNotFound)
)]
#[get("/persons/{id}/attribute-history")]
pub async fn get_attribute_history(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let rows = state
        .run(&auth, Op::GetAttributeHistory, move |conn, auth| {
            let person = persons::find_in(conn, &PersonScope::of(auth), &id)?;
            persons::attribute_history(conn, &person.id, &["classification", "needs_focus", "employment_status"])
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(AttributeChange::from).collect::<Vec<_>>()))
}

/// A lifecycle step on one person: `step` gets the parsed id, the body and today's date;
/// the answer is the person, with its ETag.
async fn person_step<I: Send + 'static>(
    state: web::Data<AppState>,
    auth: Auth,
    op: Op,
    id: &str,
    input: I,
    step: impl FnOnce(&mut DbConnection, &Auth, &str, &I, NaiveDate) -> ApiResult<persons::PersonRow> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let id = parse_id(id)?;
    let row = state.run(&auth, op, move |conn, auth| step(conn, auth, &id, &input, today_vn())).await?;
    Ok(json_with_etag(row.version, &view(&row, &auth)))
}

async fn run_transition(
    state: web::Data<AppState>,
    auth: Auth,
    op: Op,
    id: &str,
    action: Transition,
    input: TransitionInput,
) -> ApiResult<HttpResponse> {
    person_step(state, auth, op, id, input, move |conn, auth, id, input, today| {
        service::apply_transition(conn, auth, id, action, input, today)
    })
    .await
}

/// Reception (tiếp nhận): the person reported. Parolees reporting more than 5 days after
/// release are flagged `late_reception`; persons under 18 that day are `juvenile`.
#[utoipa::path(
    tag = "lifecycle",
    request_body = ReceptionInput,
    params(("id" = String, Path)),
    responses((status = 200, body = Person), PersonNotFound, StatusForbidsListed)
)]
#[post("/persons/{id}/reception")]
pub async fn receive_person(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<ReceptionInput>,
) -> ApiResult<HttpResponse> {
    person_step(state, auth, Op::ReceivePerson, &id, body.0, service::receive).await
}

/// Open the management file: supervision starts (`under_management`).
#[utoipa::path(
    tag = "lifecycle",
    request_body = StartManagementInput,
    params(("id" = String, Path)),
    responses((status = 200, body = Person), PersonNotFound, StatusForbids)
)]
#[post("/persons/{id}/start-management")]
pub async fn start_management(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<StartManagementInput>,
) -> ApiResult<HttpResponse> {
    person_step(state, auth, Op::StartManagement, &id, body.0, service::start_management).await
}

/// Move the person to another commune (which may be outside your unit): `moved_out` here,
/// `received` there, one person throughout.
#[utoipa::path(
    tag = "lifecycle",
    request_body = TransferInput,
    params(("id" = String, Path)),
    responses((status = 200, body = Person), PersonNotFound, StatusForbids)
)]
#[post("/persons/{id}/transfer")]
pub async fn transfer_person(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<TransferInput>,
) -> ApiResult<HttpResponse> {
    person_step(state, auth, Op::TransferPerson, &id, body.0, service::transfer_person).await
}

macro_rules! simple_transition {
    ($name:ident, $path:literal, $op:expr, $action:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(tag = "lifecycle", request_body = TransitionInput, params(("id" = String, Path)), responses((status = 200, body = Person), PersonNotFound, StatusForbidsListed))]
        #[post($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            auth: Auth,
            id: web::Path<String>,
            body: ApiJson<TransitionInput>,
        ) -> ApiResult<HttpResponse> {
            run_transition(state, auth, $op, &id, $action, body.0).await
        }
    };
}

simple_transition!(
    record_absconding,
    "/persons/{id}/abscond",
    Op::RecordAbsconding,
    Transition::Abscond,
    "The person left the locality without notice (bỏ đi khỏi địa phương)."
);
simple_transition!(
    record_return,
    "/persons/{id}/return",
    Op::RecordReturn,
    Transition::Return,
    "An absconded person is back under management."
);
simple_transition!(
    record_law_violation,
    "/persons/{id}/law-violation",
    Op::RecordLawViolation,
    Transition::LawViolation,
    "The person violated the law (vi phạm pháp luật): an exit counted in reports."
);
simple_transition!(record_death, "/persons/{id}/decease", Op::RecordDeath, Transition::Decease, "The person died.");

/// The person's convictions. Reading them is audited.
#[utoipa::path(
    tag = "convictions",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<Conviction>), PersonNotFound)
)]
#[get("/persons/{id}/convictions")]
pub async fn list_convictions(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let views = state
        .run_audited(&auth, Op::ListConvictions, move |conn, auth| {
            service::list_convictions(conn, auth, &id, today_vn())
        })
        .await?;
    Ok(HttpResponse::Ok().json(views))
}

/// Record a judgment. Dates must hang together (422 lists every problem). With
/// `new_offence: true` a managed person becomes `reoffended` and the expungement clock
/// restarts. Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "convictions",
    request_body = ConvictionInput,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 201, body = Conviction),
        (status = 409, description = "A new offence is not possible from the current status", body = Problem, content_type = "application/problem+json"),
        PersonNotFound
    )
)]
#[post("/persons/{id}/convictions")]
pub async fn create_conviction(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    idem: IdempotencyKey,
    body: ApiJson<ConvictionInput>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    let hash = request_hash(&format!("create_conviction:{id}"), &input);
    let response = state
        .run(&auth, Op::CreateConviction, move |conn, auth| {
            service::create_conviction(conn, auth, &id, &input, today_vn(), idem.0.as_deref(), &hash)
        })
        .await?;
    Ok(response.into_response())
}

/// Correct a conviction, e.g. add the completion certificate a parolee receives at the end
/// of probation. Needs `If-Match` with the conviction's ETag and a `reason`; the replaced
/// version is kept (see `/versions`) and the change audited; the forecast is refreshed.
#[utoipa::path(
    tag = "convictions",
    request_body = ConvictionPatch,
    params(("id" = String, Path), ("cid" = String, Path), ("If-Match" = String, Header)),
    responses((status = 200, body = Conviction), ConvictionNotFound, IfMatchFailed)
)]
#[patch("/persons/{id}/convictions/{cid}")]
pub async fn update_conviction(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: ApiJson<ConvictionPatch>,
) -> ApiResult<HttpResponse> {
    let (id, cid) = parse_ids(path.into_inner())?;
    let input = body.0;
    let view = state
        .run(&auth, Op::UpdateConviction, move |conn, auth| {
            service::update_conviction(conn, auth, &id, &cid, &if_match, &input, today_vn())
        })
        .await?;
    Ok(json_with_etag(view.version, &view))
}

/// The replaced versions of a conviction, oldest first, each with its reason. Audited.
#[utoipa::path(
    tag = "convictions",
    params(("id" = String, Path), ("cid" = String, Path)),
    responses((status = 200, body = Vec<ConvictionVersion>), ConvictionNotFound)
)]
#[get("/persons/{id}/convictions/{cid}/versions")]
pub async fn list_conviction_versions(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (id, cid) = parse_ids(path.into_inner())?;
    let versions = state
        .run_audited(&auth, Op::ListConvictionVersions, move |conn, auth| {
            service::conviction_versions(conn, auth, &id, &cid)
        })
        .await?;
    Ok(HttpResponse::Ok().json(versions.into_iter().map(ConvictionVersion::from).collect::<Vec<_>>()))
}

fn expungement_view(
    p: &persons::PersonRow,
    f: crate::domain::expungement::Forecast,
    rows: &[convictions::ConvictionRow],
) -> ExpungementView {
    ExpungementView {
        track: service::track_name(f.track).into(),
        waiting_period_years: f.waiting_period_years,
        waiting_period_months: f.waiting_period_months,
        note: f.note,
        convictions: rows
            .iter()
            .zip(f.convictions)
            .map(|(r, o)| ConvictionExpungement {
                conviction_id: r.id.clone(),
                judgment_number: r.judgment_number.clone(),
                record: o.record.into(),
                article: o.article.into(),
                expunged_on: o.expunged_on,
                expunged_on_source: o.expunged_on_source.map(str::to_string),
                in_current_record: o.in_current_record,
            })
            .collect(),
        refusals: p.expungement_refusals,
        last_refused_on: p.expungement_last_refused_on,
        basis_kind: p.expungement_basis_kind,
        decision_number: p.expungement_decision_number.clone(),
        counted_from: f.counted_from,
        earliest_date: f.earliest_date,
        special_case_earliest_date: f.special_case_earliest_date,
        eligible_today: f.eligible_on_as_of,
        blocking: f.blocking.into_iter().map(|b| BlockingReason { code: b.code.into(), message: b.message }).collect(),
        status: p.expungement_status,
        decided_on: p.expungement_decided_on,
        basis: p.expungement_basis.clone(),
        judicial_record_number: p.judicial_record_number.clone(),
        judicial_record_issuer: p.judicial_record_issuer.clone(),
        version: p.version,
    }
}

/// When the record can be expunged (Criminal Code Arts. 70–73), on which track, and what
/// blocks it, in plain words; plus the justice office's decision. Audited.
#[utoipa::path(
    tag = "expungement",
    params(("id" = String, Path)),
    responses((status = 200, body = ExpungementView), PersonNotFound)
)]
#[get("/persons/{id}/expungement")]
pub async fn get_expungement(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let (person, forecast) = state
        .run_audited(&auth, Op::GetExpungement, move |conn, auth| service::expungement(conn, auth, &id, today_vn()))
        .await?;
    Ok(json_with_etag(person.version, &expungement_view(&person, forecast.0, &forecast.1)))
}

/// The justice office records its decision (`If-Match` with the person's ETag). `expunged`
/// moves the person out of management in the same transaction and records the date on the
/// convictions of the current record. The law is checked: `basis_kind: automatic` (the
/// default) only on or after the forecast's `earliest_date` and never on the court track;
/// `court_decision` (with `decision_number`) only on or after `special_case_earliest_date`
/// (Arts. 71, 72); otherwise 422 naming the date. `rejected` counts as a court refusal
/// (Art. 71(3)).
#[utoipa::path(
    tag = "expungement",
    request_body = ExpungementDecision,
    params(("id" = String, Path), ("If-Match" = String, Header)),
    responses(
        (status = 200, body = ExpungementView),
        (status = 409, description = "Not possible from the current status", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Before the date the law allows (the date is named), or a court decision without its number", body = Problem, content_type = "application/problem+json"),
        PersonNotFound, IfMatchFailed
    )
)]
#[put("/persons/{id}/expungement")]
pub async fn update_expungement(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ApiJson<ExpungementDecision>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    let (person, forecast) = state
        .run(&auth, Op::UpdateExpungement, move |conn, auth| {
            service::update_expungement(conn, auth, &id, &if_match, &input, today_vn())
        })
        .await?;
    Ok(json_with_etag(person.version, &expungement_view(&person, forecast.0, &forecast.1)))
}

/// Judicial-record certificate requests and their outcome.
#[utoipa::path(
    tag = "expungement",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<JudicialRecordRequest>), PersonNotFound)
)]
#[get("/persons/{id}/judicial-record-requests")]
pub async fn list_judicial_record_requests(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let rows = state
        .run_audited(&auth, Op::ListJudicialRecordRequests, move |conn, auth| {
            service::judicial_record_requests(conn, auth, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(|r| r.view()).collect::<Vec<_>>()))
}

/// Record a judicial-record certificate request (justice office).
#[utoipa::path(
    tag = "expungement",
    request_body = JudicialRecordRequestInput,
    params(("id" = String, Path)),
    responses((status = 201, body = JudicialRecordRequest), PersonNotFound)
)]
#[post("/persons/{id}/judicial-record-requests")]
pub async fn create_judicial_record_request(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<JudicialRecordRequestInput>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    if !["pending", "issued", "refused"].contains(&input.outcome.as_str()) {
        return Err(ApiError::invalid("outcome", "must be pending, issued or refused"));
    }
    if input.outcome == "issued" && (input.certificate_number.is_none() || input.issued_on.is_none()) {
        return Err(ApiError::invalid("certificate_number", "an issued certificate needs its number and issued_on"));
    }
    if input.issued_on.is_some_and(|d| d < input.requested_on) {
        return Err(ApiError::invalid("issued_on", "must not be before requested_on"));
    }
    let row = state
        .run(&auth, Op::CreateJudicialRecordRequest, move |conn, auth| {
            service::create_judicial_record_request(conn, auth, &id, &input)
        })
        .await?;
    Ok(HttpResponse::Created().json(row.view()))
}

/// ID numbers met twice: a write refused because another active person holds the number.
/// For the police (and admins) of either side, to arrange a transfer: a province sees the
/// conflicts touching any of its communes, a commune those touching itself. The person id of
/// the existing record is shown only when it lies in the caller's unit.
#[utoipa::path(
    tag = "persons",
    params(("page" = Option<i64>, Query), ("page_size" = Option<i64>, Query)),
    responses(
        (status = 200, body = Page<IdNumberConflict>),
        (status = 403, description = "Not police or admin", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/id-number-conflicts")]
pub async fn list_id_number_conflicts(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<IdNumberConflictQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let (rows, total) = state
        .run(&auth, Op::ListIdNumberConflicts, move |conn, auth| {
            persons::list_id_number_conflicts(conn, &auth.jurisdiction, page.offset(), page.page_size)
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|r| IdNumberConflict {
            existing_person_id: auth
                .jurisdiction
                .covers(&r.existing_unit_code, r.existing_province_code.as_deref())
                .then(|| r.existing_person_id.clone()),
            id: r.id,
            occurred_at: r.occurred_at.and_utc(),
            id_number: r.id_number,
            attempted_unit: r.attempted_unit_code,
            existing_unit: r.existing_unit_code,
        })
        .collect();
    Ok(HttpResponse::Ok().json(page.wrap(items, total)))
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_persons)
        .service(list_id_number_conflicts)
        .service(create_person)
        .service(get_person)
        .service(update_person)
        .service(get_status_history)
        .service(get_attribute_history)
        .service(receive_person)
        .service(start_management)
        .service(transfer_person)
        .service(record_absconding)
        .service(record_return)
        .service(record_law_violation)
        .service(record_death)
        .service(list_convictions)
        .service(create_conviction)
        .service(update_conviction)
        .service(list_conviction_versions)
        .service(get_expungement)
        .service(update_expungement)
        .service(list_judicial_record_requests)
        .service(create_judicial_record_request);
}
