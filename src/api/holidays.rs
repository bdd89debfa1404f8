//! The holiday calendar deadlines are counted with: the shipped table, and the days admins
//! add from the Government's yearly announcements.

use actix_web::{get, post, web, HttpResponse};
use chrono::{Datelike, NaiveDate};

use crate::auth::{Auth, Op};
use crate::db::holidays::{self as db, HolidayRow};
use crate::domain::working_days::{self, CalendarDay, Source};
use crate::dto::holidays::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::extract::ApiJson;
use crate::http::extract::ApiQuery;
use crate::services::holidays as service;
use crate::state::AppState;

const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

fn view(day: CalendarDay, source: Source) -> Holiday {
    Holiday {
        date: day.date,
        kind: day.kind,
        name: day.name,
        basis: day.basis,
        source: match source {
            Source::Shipped => "shipped",
            Source::Statute => "statute",
            Source::Added => "added",
        }
        .into(),
    }
}

/// The year's public holidays, compensatory and swapped days off, and make-up working days,
/// as deadlines count them (weekends are not listed).
#[utoipa::path(
    tag = "holidays",
    params(HolidayQuery),
    responses(
        (status = 200, body = Vec<Holiday>),
        (status = 422, description = "Year outside 2000–2100", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/holidays")]
pub async fn list_holidays(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<HolidayQuery>,
) -> ApiResult<HttpResponse> {
    let year = query.year;
    if !YEARS.contains(&year) {
        return Err(ApiError::invalid("year", "must be between 2000 and 2100"));
    }
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    );
    let rows = state.run(&auth, Op::ListHolidays, move |conn, _| db::added(conn, from, to)).await?;
    let added: Vec<CalendarDay> = rows.iter().map(HolidayRow::day).collect();
    let days: Vec<Holiday> = working_days::year_listing(year, working_days::shipped(), &added)
        .into_iter()
        .map(|(day, source)| view(day, source))
        .collect();
    Ok(crate::http::etag::cacheable_json(&req, &days))
}

/// Add a day from the Government's announcement (a holiday, compensatory or swapped day off,
/// or a make-up working day). A different kind on a date of the shipped table replaces it.
#[utoipa::path(
    tag = "holidays",
    request_body = NewHoliday,
    responses(
        (status = 201, body = Holiday),
        (status = 409, description = "The date is already in the calendar with that kind", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid date, kind or name", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/holidays")]
pub async fn create_holiday(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<NewHoliday>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    if !YEARS.contains(&input.date.year()) {
        return Err(ApiError::invalid("date", "must lie between 2000 and 2100"));
    }
    let day = state.run(&auth, Op::CreateHoliday, move |conn, auth| service::create(conn, auth, &input)).await?;
    Ok(HttpResponse::Created().json(view(day, Source::Added)))
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_holidays).service(create_holiday);
}
