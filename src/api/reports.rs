//! Live indicators, targets and periodic reports (with CSV, XLSX and printable HTML).

use actix_web::{delete, get, patch, post, web, HttpResponse};

use crate::api::parse_id;
use crate::api::responses::{
    BadPeriodOrUnit, IfMatchFailed, NotADraft, NotRecipientUnit, NotReportingUnit, NotSubmitted, ReportNotFound,
};
use crate::auth::{Auth, Op};
use crate::db::reports::{self as db, ReportFilter, ReportRow};
use crate::domain::enums::ReportStatus;
use crate::domain::reporting::ReportAction;
use crate::dto::reports::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::export::{self, ReportHeader};
use crate::http::etag::{json_with_etag, IfMatch};
use crate::http::extract::ApiJson;
use crate::http::extract::ApiQuery;
use crate::http::pagination::{Page, PageRequest};
use crate::http::unit_param;
use crate::services::reports as service;
use crate::state::AppState;
use crate::time::today_vn;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn attachment(content_type: &str, filename: String, body: impl actix_web::body::MessageBody + 'static) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("content-disposition", format!("attachment; filename=\"{filename}\"")))
        .body(body)
}

/// Live figures for a unit and period, computed from the status history and the records
/// with SQL aggregates, with the year's targets. Every figure's definition is in the schema
/// (`Indicators`). `format=csv` or `format=xlsx` returns the same figures as a file.
#[utoipa::path(
    tag = "reports",
    params(IndicatorQuery),
    responses(
        (status = 200, description = "The figures", content((Indicators = "application/json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        BadPeriodOrUnit
    )
)]
#[get("/reports/indicators")]
pub async fn get_indicators(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<IndicatorQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let format = q.format.clone().unwrap_or_else(|| "json".into());
    if !["json", "csv", "xlsx"].contains(&format.as_str()) {
        return Err(ApiError::invalid("format", "json, csv or xlsx"));
    }
    let ind = state
        .run_read(&auth, Op::GetIndicators, move |conn, auth| {
            let unit = service::resolve_units(conn, auth, q.unit.as_deref(), "unit")?;
            service::indicators(conn, &unit, q.from, q.to)
        })
        .await?;
    let label: String = ind.unit.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    let name = format!("chi-tieu-{label}-{}-{}", ind.from, ind.to);
    match format.as_str() {
        "csv" => Ok(attachment("text/csv; charset=utf-8", format!("{name}.csv"), export::indicators_csv(&ind, None))),
        "xlsx" => {
            let title = format!("Số liệu công tác tái hòa nhập cộng đồng — {}", ind.unit_name);
            let bytes = web::block(move || export::report_xlsx(&title, &ind, &[]))
                .await
                .map_err(|e| ApiError::internal(format!("xlsx task: {e}")))??;
            Ok(attachment(XLSX, format!("{name}.xlsx"), bytes))
        }
        _ => Ok(HttpResponse::Ok().json(ind)),
    }
}

/// The targets that apply to a unit in a year: its own, else its province's, else national.
#[utoipa::path(tag = "reports", params(TargetQuery), responses((status = 200, body = EffectiveTargets)))]
#[get("/targets")]
pub async fn list_targets(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<TargetQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    if !(2000..=2100).contains(&q.year) {
        return Err(ApiError::invalid("year", "must be between 2000 and 2100"));
    }
    let out = state
        .run(&auth, Op::ListTargets, move |conn, auth| {
            let unit = service::resolve_unit(conn, auth, q.unit.as_deref(), "unit")?;
            let items = service::effective_targets(conn, &unit, q.year)?
                .into_iter()
                .map(|(t, own)| EffectiveTarget { target: service::target_view(&t), own })
                .collect();
            Ok(EffectiveTargets { unit: unit.code, year: q.year, items })
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Sets the unit's target for an indicator and year (replacing an earlier one). A province's
/// targets apply to its communes unless they set their own.
#[utoipa::path(
    tag = "reports",
    request_body = TargetInput,
    responses(
        (status = 201, description = "Created", body = Target),
        (status = 200, description = "Replaced", body = Target),
        (status = 422, description = "Unknown indicator, measure that does not fit it, or bad bounds", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/targets")]
pub async fn set_target(state: web::Data<AppState>, auth: Auth, body: ApiJson<TargetInput>) -> ApiResult<HttpResponse> {
    let input = body.0;
    let (row, created) =
        state.run(&auth, Op::SetTarget, move |conn, auth| service::set_target(conn, auth, &input)).await?;
    let view = service::target_view(&row);
    Ok(if created { HttpResponse::Created().json(view) } else { HttpResponse::Ok().json(view) })
}

/// Deletes a target of your unit.
#[utoipa::path(
    tag = "reports",
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such target in your unit", body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/targets/{id}")]
pub async fn delete_target(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    state.run(&auth, Op::DeleteTarget, move |conn, auth| service::delete_target(conn, auth, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

fn report_view(row: &ReportRow, name: String) -> ApiResult<Report> {
    let status = row.status;
    let submitted_on = row.submitted_at.map(|t| t.date());
    Ok(Report {
        id: row.id.clone(),
        unit: row.unit_code.clone(),
        unit_name: name,
        period_kind: row.period_kind,
        period_from: row.period_from,
        period_to: row.period_to,
        year: row.year,
        version_no: row.version_no,
        supersedes_id: row.supersedes_id.clone(),
        status,
        title: row.title.clone(),
        sections: service::parse_sections(row)?,
        figures: service::parse_snapshot(row)?,
        due_on: row.due_on,
        late: match (row.due_on, submitted_on) {
            (Some(due), Some(on)) => on > due,
            (Some(due), None) => today_vn() > due && status == ReportStatus::Draft,
            _ => false,
        },
        submitted_at: row.submitted_at.map(|t| t.and_utc()),
        submitted_by: row.submitted_by.clone(),
        decided_at: row.decided_at.map(|t| t.and_utc()),
        decided_by: row.decided_by.clone(),
        decision_comment: row.decision_comment.clone(),
        created_at: row.created_at.and_utc(),
        version: row.version,
    })
}

/// Runs a report use case and answers the report with its ETag.
async fn report_write<F>(state: &AppState, auth: &Auth, op: Op, created: bool, f: F) -> ApiResult<HttpResponse>
where
    F: FnOnce(&mut crate::db::DbConnection, &Auth) -> ApiResult<service::Written> + Send + 'static,
{
    let view = state
        .run(auth, op, move |conn, auth| {
            let (row, name) = f(conn, auth)?;
            report_view(&row, name)
        })
        .await?;
    let etag = crate::http::etag::etag(view.version);
    Ok(if created { HttpResponse::Created() } else { HttpResponse::Ok() }.insert_header(("etag", etag)).json(view))
}

/// Starts a report for a unit and period: the live figures are frozen into it and the
/// narrative sections kept. Due date from the configured calendar unless given.
#[utoipa::path(
    tag = "reports",
    request_body = NewReport,
    responses(
        (status = 201, body = Report),
        (status = 409, description = "The unit already has a report for the period (revise it)", body = Problem, content_type = "application/problem+json"),
        BadPeriodOrUnit
    )
)]
#[post("/reports")]
pub async fn create_report(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<NewReport>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let due = state.settings.report_due.clone();
    report_write(&state, &auth, Op::CreateReport, true, move |conn, auth| {
        service::create_report(conn, auth, &input, &due, today_vn())
    })
    .await
}

/// Reports of your unit and the units inside it, newest period first.
#[utoipa::path(tag = "reports", params(ReportListQuery), responses((status = 200, body = Page<ReportSummary>)))]
#[get("/reports")]
pub async fn list_reports(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<ReportListQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageRequest::new(q.page, q.page_size)?;
    let unit = unit_param(q.unit.as_deref())?;
    let filter = ReportFilter {
        unit,
        period_kind: q.period_kind.map(|k| k.as_str().to_string()),
        year: q.year,
        status: q.status.map(|s| s.as_str().to_string()),
    };
    let (rows, total) = state
        .run(&auth, Op::ListReports, move |conn, auth| {
            db::list(conn, &auth.jurisdiction, &filter, page.offset(), page.page_size)
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|r| ReportSummary {
            period_kind: r.period_kind,
            status: r.status,
            submitted_at: r.submitted_at.map(|t| t.and_utc()),
            id: r.id,
            unit: r.unit_code,
            period_from: r.period_from,
            period_to: r.period_to,
            year: r.year,
            version_no: r.version_no,
            title: r.title,
            due_on: r.due_on,
            version: r.version,
        })
        .collect();
    Ok(HttpResponse::Ok().json(page.wrap(items, total)))
}

/// Units one level below yours (or below `unit`) without a submitted report of the kind for
/// the year, with the due date.
#[utoipa::path(
    tag = "reports",
    params(OverdueQuery),
    responses(
        (status = 200, body = OverdueUnits),
        (status = 422, description = "A commune has no sub-units", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/reports/overdue")]
pub async fn list_overdue_reports(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<OverdueQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let due = state.settings.report_due.clone();
    let out = state
        .run(&auth, Op::ListOverdueReports, move |conn, auth| service::overdue(conn, auth, &q, &due, today_vn()))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// A report with its frozen figures and sections.
#[utoipa::path(
    tag = "reports",
    params(("id" = String, Path)),
    responses((status = 200, body = Report), ReportNotFound)
)]
#[get("/reports/{id}")]
pub async fn get_report(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let view = state
        .run(&auth, Op::GetReport, move |conn, auth| {
            let row = db::find_in(conn, &auth.jurisdiction, &id)?;
            let name = service::unit_name(conn, &row.unit_code);
            report_view(&row, name)
        })
        .await?;
    Ok(json_with_etag(view.version, &view))
}

/// Edits a draft's title and sections, optionally refreshing its figures. Submitted reports
/// never change.
#[utoipa::path(
    tag = "reports",
    request_body = ReportPatch,
    params(("id" = String, Path), ("If-Match" = String, Header)),
    responses((status = 200, body = Report), NotReportingUnit, ReportNotFound, NotADraft, IfMatchFailed)
)]
#[patch("/reports/{id}")]
pub async fn update_report(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ApiJson<ReportPatch>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = body.0;
    report_write(&state, &auth, Op::UpdateReport, false, move |conn, auth| {
        service::update_report(conn, auth, &id, &if_match, &input)
    })
    .await
}

/// Submits a draft to the parent unit; it is frozen from then on.
#[utoipa::path(
    tag = "reports",
    params(("id" = String, Path)),
    responses((status = 200, body = Report), NotReportingUnit, ReportNotFound, NotADraft)
)]
#[post("/reports/{id}/submit")]
pub async fn submit_report(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    report_write(&state, &auth, Op::SubmitReport, false, move |conn, auth| service::submit_report(conn, auth, &id))
        .await
}

/// The parent unit's decision on a submitted report: accept it, or return it with comments.
async fn decide(
    state: &AppState,
    auth: &Auth,
    op: Op,
    id: &str,
    action: ReportAction,
    comment: Option<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(id)?;
    report_write(state, auth, op, false, move |conn, auth| {
        service::decide_report(conn, auth, &id, action, comment.as_deref())
    })
    .await
}

/// The parent unit accepts a submitted report.
#[utoipa::path(
    tag = "reports",
    request_body = ReportDecision,
    params(("id" = String, Path)),
    responses((status = 200, body = Report), NotRecipientUnit, ReportNotFound, NotSubmitted)
)]
#[post("/reports/{id}/accept")]
pub async fn accept_report(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<ReportDecision>,
) -> ApiResult<HttpResponse> {
    decide(&state, &auth, Op::AcceptReport, &id, ReportAction::Accept, body.0.comment).await
}

/// The parent unit returns a submitted report with comments; the unit then revises it.
#[utoipa::path(
    tag = "reports",
    request_body = ReportDecision,
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Report),
        (status = 422, description = "Comment missing", body = Problem, content_type = "application/problem+json"),
        NotRecipientUnit, ReportNotFound, NotSubmitted
    )
)]
#[post("/reports/{id}/return")]
pub async fn return_report(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    body: ApiJson<ReportDecision>,
) -> ApiResult<HttpResponse> {
    decide(&state, &auth, Op::ReturnReport, &id, ReportAction::Return, body.0.comment).await
}

/// A correction: a new draft version with fresh figures and the same sections, superseding
/// this one (which stays as it was).
#[utoipa::path(
    tag = "reports",
    params(("id" = String, Path)),
    responses(
        (status = 201, body = Report),
        (status = 409, description = "A draft cannot be revised, or a newer version exists", body = Problem, content_type = "application/problem+json"),
        NotReportingUnit, ReportNotFound
    )
)]
#[post("/reports/{id}/revise")]
pub async fn revise_report(state: web::Data<AppState>, auth: Auth, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    report_write(&state, &auth, Op::ReviseReport, true, move |conn, auth| service::revise_report(conn, auth, &id)).await
}

/// The report as a file: `csv` (figures), `xlsx` (an indicator sheet with Vietnamese labels
/// and, for a province, a sheet per commune's submitted figures) or `html` (a printable page
/// in Vietnamese following the usual sections).
#[utoipa::path(
    tag = "reports",
    params(("id" = String, Path), ExportQuery),
    responses(
        (status = 200, description = "The file", content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/html"))),
        (status = 422, description = "Unknown format", body = Problem, content_type = "application/problem+json"),
        ReportNotFound
    )
)]
#[get("/reports/{id}/export")]
pub async fn export_report(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
    query: ApiQuery<ExportQuery>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let format = query.into_inner().format;
    if !["csv", "xlsx", "html"].contains(&format.as_str()) {
        return Err(ApiError::invalid("format", "csv, xlsx or html"));
    }
    let want_communes = format == "xlsx";
    let (row, ind, communes) = state
        .run(&auth, Op::ExportReport, move |conn, auth| {
            let row = db::find_in(conn, &auth.jurisdiction, &id)?;
            let ind = service::parse_snapshot(&row)?;
            let mut communes = Vec::new();
            if want_communes && row.unit_code.len() == 2 {
                for r in
                    db::submitted_in_province(conn, &row.unit_code, row.period_kind, row.period_from, row.period_to)?
                {
                    let figures = service::parse_snapshot(&r)?;
                    communes.push((figures.unit_name.clone(), figures));
                }
            }
            Ok((row, ind, communes))
        })
        .await?;
    let sections = service::parse_sections(&row)?;
    let header = ReportHeader {
        title: &row.title,
        unit: &row.unit_code,
        unit_name: &ind.unit_name,
        period_kind: row.period_kind.as_str(),
        status: row.status.as_str(),
        version_no: row.version_no,
    };
    let name = format!("bao-cao-{}-{}-{}-v{}", row.unit_code, row.period_kind, row.year, row.version_no);
    match format.as_str() {
        "csv" => Ok(attachment(
            "text/csv; charset=utf-8",
            format!("{name}.csv"),
            export::indicators_csv(&ind, Some(&header)),
        )),
        "html" => Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(export::report_html(&header, &ind, &sections))),
        _ => {
            let title = row.title.clone();
            let bytes = web::block(move || export::report_xlsx(&title, &ind, &communes))
                .await
                .map_err(|e| ApiError::internal(format!("xlsx task: {e}")))??;
            Ok(attachment(XLSX, format!("{name}.xlsx"), bytes))
        }
    }
}

/// A province report beside each commune's latest submitted figures for the same period and
/// the same figures computed now, with the differences flagged; communes with managed persons
/// that submitted nothing are listed as missing.
#[utoipa::path(
    tag = "reports",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Consolidated),
        (status = 422, description = "Not a province report", body = Problem, content_type = "application/problem+json"),
        ReportNotFound
    )
)]
#[get("/reports/{id}/consolidated")]
pub async fn get_consolidated_report(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let out =
        state.run(&auth, Op::GetConsolidatedReport, move |conn, auth| service::consolidated(conn, auth, &id)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Save a set of units under a name ("Huyện Đắk Glong (cũ)", "Cụm xã biên giới"): admins,
/// and the police of the country or of a province for units of their province. Its `unit`
/// (`area:<id>`) then works wherever a set of units does.
#[utoipa::path(
    tag = "reports",
    request_body = NewArea,
    responses(
        (status = 201, description = "The area", body = Area),
        (status = 403, description = "A commune account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No units, more than 50, overlapping units, or a unit outside yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/areas")]
pub async fn create_area(state: web::Data<AppState>, auth: Auth, body: ApiJson<NewArea>) -> ApiResult<HttpResponse> {
    let input = body.0;
    let area =
        state.run(&auth, Op::CreateArea, move |conn, auth| crate::services::areas::create(conn, auth, &input)).await?;
    Ok(HttpResponse::Created().json(crate::services::areas::view(&area)))
}

/// The named areas in your jurisdiction (the country's for VN, a province's for it).
#[utoipa::path(tag = "reports", responses((status = 200, body = Vec<Area>)))]
#[get("/areas")]
pub async fn list_areas(state: web::Data<AppState>, auth: Auth) -> ApiResult<HttpResponse> {
    let rows = state.run(&auth, Op::ListAreas, |conn, auth| crate::db::areas::list(conn, &auth.jurisdiction)).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(crate::services::areas::view).collect::<Vec<_>>()))
}

/// This module's routes, in the order `api::configure` registers them: fixed paths
/// (`/reports/indicators`, `/reports/overdue`) before `/reports/{id}`.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_indicators)
        .service(create_area)
        .service(list_areas)
        .service(list_overdue_reports)
        .service(list_targets)
        .service(set_target)
        .service(delete_target)
        .service(create_report)
        .service(list_reports)
        .service(get_report)
        .service(update_report)
        .service(submit_report)
        .service(accept_report)
        .service(return_report)
        .service(revise_report)
        .service(export_report)
        .service(get_consolidated_report);
}
