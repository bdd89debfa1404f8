use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::auth::{Auth, Op};
use crate::db::admin_units::{self, ListFilter};
use crate::dto::admin_units::{AdminUnit, AdminUnitQuery};
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::etag::cacheable_json;
use crate::http::extract::ApiQuery;
use crate::http::pagination::{Page, PageRequest};
use crate::state::AppState;

/// List administrative units: children of a unit, or a name search.
#[utoipa::path(
    tag = "admin-units",
    params(AdminUnitQuery),
    responses((status = 200, body = Page<AdminUnit>))
)]
#[get("/admin-units")]
pub async fn list_admin_units(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<AdminUnitQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let page = PageRequest::new(query.page, query.page_size)?;
    if let Some(level) = &query.level {
        if !["province", "commune", "national"].contains(&level.as_str()) {
            return Err(ApiError::invalid("level", "must be province or commune"));
        }
    }
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_string);
    if q.as_ref().is_some_and(|q| q.chars().count() > 100) {
        return Err(ApiError::invalid("q", "at most 100 characters"));
    }
    let filter = ListFilter { parent: query.parent, q, level: query.level };
    let result = state
        .run(&auth, Op::ListAdminUnits, move |conn, _| {
            if let Some(parent) = &filter.parent {
                admin_units::resolve(conn, parent, "parent")?;
            }
            admin_units::list(conn, &filter, page.offset(), page.page_size)
        })
        .await?;
    let (rows, total) = result;
    Ok(cacheable_json(&req, &page.wrap(rows.into_iter().map(AdminUnit::from).collect(), total)))
}

/// One administrative unit by code.
#[utoipa::path(
    tag = "admin-units",
    params(("code" = String, Path, description = "`VN`, a 2-digit province or 5-digit commune code")),
    responses(
        (status = 200, body = AdminUnit),
        (status = 404, description = "No such unit", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin-units/{code}")]
pub async fn get_admin_unit(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let code = code.into_inner();
    if code.len() > 5 {
        return Err(ApiError::NotFound);
    }
    let unit = state.run(&auth, Op::GetAdminUnit, move |conn, _| admin_units::find(conn, &code)).await?;
    Ok(cacheable_json(&req, &AdminUnit::from(unit)))
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_admin_units).service(get_admin_unit);
}
