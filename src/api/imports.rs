//! Bulk import of person files, and the printed lists of persons (CSV, XLSX).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Auth, Op};
use crate::db::persons::{ListFilter, Sort};
use crate::dto::persons::Visibility;
use crate::error::{ApiError, ApiResult, InvalidParam, Problem};
use crate::http::extract::ApiQuery;
use crate::services::imports::{self as service, ImportReport};
use crate::state::AppState;
use crate::time::today_vn;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check every row and report, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// The file's name, kept with the import (only its last path component).
    pub file_name: Option<String>,
}

/// Only the last path component, without control characters, at most 200 characters.
fn clean_file_name(raw: &str) -> Option<String> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    (!clean.is_empty()).then_some(clean)
}

/// Imports persons (with their judgment and status) from a CSV (`text/csv`, UTF-8 with or
/// without BOM) or XLSX body; Vietnamese or English headers, dates `dd/mm/yyyy` or ISO.
/// `dry_run=true` reports the rows' problems and writes nothing; a real run is
/// all-or-nothing (422 listing the problems as `rows[N].column`) and audited as one import.
/// The report's `created` lists `{row, person_id}` for every person written.
///
/// Columns (English name, or a Vietnamese header such as `Họ và tên`): `full_name` and
/// `gender` (required); `date_of_birth`, `id_number`, `unit` (commune code; a commune
/// account's own by default), `village`, `address_line`; the judgment: `judgment_number`,
/// `court`, `judgment_date`, `offence_articles` (`;`-separated), `offence_group`, `chapter`,
/// `principal_kind`, `principal_months`, `release_date`, `release_type`, `certificate_number`;
/// management: `received_on` (`Ngày tiếp nhận`), `management_started_on` (`Ngày lập hồ sơ`),
/// `management_file_number`, `classification` (A–D). The later history: `moved_to` (`Xã
/// chuyển đến`, the commune code the person moved to) with `moved_on` (`Ngày chuyển đi`),
/// recorded as `moved_out` in the first commune and `received` in the next one; then
/// `exit_status` (`Lý do giảm`: `expunged`, `reoffended`, `law_violation`, `absconded`,
/// `deceased`) with `exit_on` (`Ngày giảm`). Each step must be possible after the one
/// before it and not dated before it; nothing may be dated in the future.
///
/// The report and the 422 list at most `THNCD_IMPORT_MAX_PROBLEMS` problems (default 1,000), the first by row,
/// with the total found (`problems_total`, or `invalid_params_total` on the 422).
/// A file over a bound (bytes; data rows, default 50,000; columns, 64; characters in a cell,
/// 2,000; for XLSX the declared sheet range, and each ZIP part's uncompressed size, 64 MiB,
/// all parts' 128 MiB, and compression ratio, 100:1) is refused whole with a 413
/// `import_too_large` naming the bound, before it is parsed or as soon as it is met.
#[utoipa::path(
    tag = "integrations",
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "CSV, or an XLSX workbook (first sheet) with the XLSX content type"),
    responses(
        (status = 200, description = "Dry run: the report", body = ImportReport),
        (status = 201, description = "Imported", body = ImportReport),
        (status = 413, description = "File over a bound: `body_too_large` (bytes) or `import_too_large` (rows, columns, cell length, declared sheet range, XLSX part size or compression ratio)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither CSV nor XLSX", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Rows with problems, or an unreadable file: nothing written (at most `THNCD_IMPORT_MAX_PROBLEMS` listed, `invalid_params_total` counts them all)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/imports")]
pub async fn import_persons(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    query: ApiQuery<ImportQuery>,
    mut body: web::Payload,
) -> ApiResult<HttpResponse> {
    auth.require(Op::ImportPersons)?;
    let q = query.into_inner();
    let essence = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    let format = match essence.as_str() {
        "text/csv" => "csv",
        XLSX => "xlsx",
        _ => return Err(ApiError::UnsupportedMediaType),
    };
    let limit = state.settings.import_max_bytes;
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|_| ApiError::bad_request("body_unreadable", "the body could not be read"))?;
        if bytes.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        bytes.extend_from_slice(&chunk);
    }
    let limits = state.settings.import_limits;
    let table = web::block(move || {
        if format == "csv" {
            crate::import::read_csv(&bytes, &limits)
        } else {
            crate::import::read_xlsx(&bytes, &limits)
        }
    })
    .await
    .map_err(|e| ApiError::internal(format!("import parse task: {e}")))??;
    let file_name = q.file_name.as_deref().and_then(clean_file_name);
    let dry_run = q.dry_run;
    let report = state
        .run(&auth, Op::ImportPersons, move |conn, auth| {
            service::import(conn, auth, &table, format, file_name.as_deref(), dry_run, &limits, today_vn())
        })
        .await?;
    Ok(if dry_run { HttpResponse::Ok().json(report) } else { HttpResponse::Created().json(report) })
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `managed` (under management), `overdue_contacts`, `loan_candidates` (under
    /// management after a completed sentence or amnesty, with a certificate: the persons the
    /// monthly list is drawn from) or `expungement_due` (forecast date by `due_before`,
    /// default today).
    #[param(schema_with = crate::dto::query_words::person_list)]
    pub list: String,
    /// A unit inside yours (default: yours).
    pub unit: Option<String>,
    /// `csv` (default) or `xlsx`.
    #[param(schema_with = crate::dto::query_words::csv_xlsx)]
    pub format: Option<String>,
    pub due_before: Option<chrono::NaiveDate>,
}

/// Most rows one export returns.
const EXPORT_MAX: i64 = 100_000;

/// The lists officials print, with exactly the fields your role may see in the API (a bank
/// token never receives offence, penalty or classification columns). Cells that would start a
/// spreadsheet formula are neutralised.
#[utoipa::path(
    tag = "integrations",
    params(ExportQuery),
    responses(
        (status = 200, description = "The list", content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 422, description = "Unknown list or format, or a unit outside yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/exports/persons")]
pub async fn export_persons(
    state: web::Data<AppState>,
    auth: Auth,
    query: ApiQuery<ExportQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let format = q.format.clone().unwrap_or_else(|| "csv".into());
    if !["csv", "xlsx"].contains(&format.as_str()) {
        return Err(ApiError::invalid("format", "csv or xlsx"));
    }
    // The list kind and its parameters must reveal only fields the caller sees (auth::fields).
    let vis = Visibility::for_roles(&auth.roles);
    let mut problems = Vec::new();
    if !crate::auth::fields::EXPORT_LISTS.iter().any(|(n, _)| *n == q.list) {
        problems.push(InvalidParam::new("list", "managed, overdue_contacts, loan_candidates or expungement_due"));
    } else if !vis.may_export(&q.list) {
        problems.push(InvalidParam::new("list", "is not available to your role"));
    }
    for (name, present) in [("unit", q.unit.is_some()), ("due_before", q.due_before.is_some())] {
        if present && !vis.may_use_export_param(name) {
            problems.push(InvalidParam::new(name, "is not available to your role"));
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let today = today_vn();
    let mut filter = ListFilter {
        unit: None,
        status: Some("under_management".into()),
        release_type: None,
        offence_group: None,
        classification: None,
        juvenile: None,
        needs_focus: None,
        received_from: None,
        received_to: None,
        expungement_due_before: None,
        q: None,
        contact_overdue: None,
        sort: Sort::FullName,
        // The export reads every page: no count.
        no_total: true,
        ..Default::default()
    };
    match q.list.as_str() {
        "managed" | "loan_candidates" => {}
        "overdue_contacts" => filter.contact_overdue = Some((state.settings.contact_intervals, today)),
        "expungement_due" => {
            filter.status = None;
            filter.expungement_due_before = Some(q.due_before.unwrap_or(today) + chrono::Days::new(1));
            filter.sort = Sort::ExpungementDueOn;
        }
        _ => return Err(ApiError::invalid("list", "managed, overdue_contacts, loan_candidates or expungement_due")),
    }
    let loan_candidates = q.list == "loan_candidates";
    let unit = q.unit.clone();
    let list = q.list.clone();
    let (people, unit_code) = state
        .run(&auth, Op::ExportPersons, move |conn, auth| {
            service::export(conn, auth, unit, &list, filter, loan_candidates, EXPORT_MAX, today)
        })
        .await?;
    // Columns: the scalar fields present in the caller's view, in the view's order.
    let values: Vec<serde_json::Map<String, serde_json::Value>> = people
        .iter()
        .filter_map(|p| match serde_json::to_value(p) {
            Ok(serde_json::Value::Object(m)) => Some(m),
            _ => None,
        })
        .collect();
    let mut columns: Vec<String> = Vec::new();
    for m in &values {
        for (k, v) in m {
            if !v.is_object() && !v.is_array() && !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let cell = |v: Option<&serde_json::Value>| -> String {
        match v {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        }
    };
    let rows: Vec<Vec<String>> = values.iter().map(|m| columns.iter().map(|c| cell(m.get(c))).collect()).collect();
    let name = format!("danh-sach-{}-{}-{}", q.list, unit_code, today);
    if format == "csv" {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("content-disposition", format!("attachment; filename=\"{name}.csv\"")))
            .body(crate::export::table_csv(&columns, &rows)));
    }
    let bytes = web::block(move || crate::export::table_xlsx(&columns, &rows))
        .await
        .map_err(|e| ApiError::internal(format!("xlsx task: {e}")))??;
    Ok(HttpResponse::Ok()
        .content_type(XLSX)
        .insert_header(("content-disposition", format!("attachment; filename=\"{name}.xlsx\"")))
        .body(bytes))
}

/// This module's routes, in the order `api::configure` registers them.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(import_persons).service(export_persons);
}

#[cfg(test)]
mod tests {
    use super::clean_file_name;

    #[test]
    fn file_names_lose_their_paths() {
        let cases = [
            ("ho-so.csv", Some("ho-so.csv")),
            ("../../etc/passwd", Some("passwd")),
            ("C:\\Users\\x\\danh sach.xlsx", Some("danh sach.xlsx")),
            ("..", None),
            ("a/b/", None),
            (".hidden", Some("hidden")),
            ("tên\u{0}xấu.csv", Some("tênxấu.csv")),
        ];
        for (raw, want) in cases {
            assert_eq!(clean_file_name(raw).as_deref(), want, "{raw}");
        }
    }
}
