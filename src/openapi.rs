//! The OpenAPI 3.1 contract: generated from the handlers, then completed from the
//! permission table (security, roles) and with the problem responses every operation shares.

use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{AllOf, ArrayItems, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::Required;
use utoipa::openapi::{ContentBuilder, Header, OpenApi as OpenApiDoc, Ref, RefOr, Response, ResponseBuilder};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

use crate::auth::permissions::{Op, PUBLIC_OPERATIONS};
use crate::error::{InvalidParam, Problem, PROBLEM_JSON};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "thncd — community reintegration (THNCĐ) API",
        description = "Case management for people returning home after a prison sentence, shared by commune police, \
People's Committees, justice and labour offices and the Social Policy Bank.\n\n\
Authenticate at `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`. Each operation lists the roles \
allowed to call it (also in `x-roles`); records outside the token's unit answer 404. Errors are \
`application/problem+json` (RFC 9457) with a stable `code` and, on validation failures, `invalid_params`. \
Updates need `If-Match` with the ETag last read (or `*`); `PATCH` bodies are JSON Merge Patch (RFC 7396), \
where `null` clears a field. `HEAD` is served wherever `GET` is. Instants are UTC RFC 3339; dates are Vietnam calendar dates; \
money is integer VND.\n\n\
Languages: problems are in English by default; with `Accept-Language: vi` (q-values honoured) every problem's \
`title`, `detail` and `invalid_params[].reason` are in Vietnamese, and `Content-Language` says which was used. \
`type`, `code` and field names never change with the language. Writes accept `X-Audit-Reason`, stored in the \
audit trail; a browser sends Vietnamese there in the RFC 8187 form `UTF-8''<percent-encoded UTF-8>`.",
        license(name = "MIT", url = "https://opensource.org/license/mit")
    ),
    servers((url = "/", description = "The server that serves this document")),
    components(schemas(Problem, InvalidParam)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Tokens (OAuth 2.0) and the current principal"),
        (name = "admin-units", description = "The 2025 list of provinces and communes"),
        (name = "accounts", description = "Staff accounts"),
        (name = "clients", description = "Integration clients of partner agencies"),
        (name = "audit", description = "The append-only audit trail"),
        (name = "persons", description = "The registry of returned persons; fields depend on the caller's role"),
        (name = "lifecycle", description = "Reception, management, transfer and exits, each dated in the status history"),
        (name = "convictions", description = "Judgments, penalties and obligations (sensitive; reads are audited)"),
        (name = "expungement", description = "Criminal Code Arts. 70–73 forecast and the justice office's decisions"),
        (name = "release-notices", description = "Facilities' pre-release notices and the address check"),
        (name = "facility-activities", description = "Work inside detention facilities before release, each on its own date"),
        (name = "supervision", description = "Who supervises whom, decided by the commune chairman"),
        (name = "activities", description = "The activity log: visits, check-ins, counselling, legal help"),
        (name = "plan", description = "The personal reintegration plan"),
        (name = "labour", description = "Training, job referrals, social assistance and employers"),
        (name = "committees", description = "Steering committees and working groups, with dated membership"),
        (name = "models", description = "Reintegration models: five steps, participants, reviews"),
        (name = "outreach", description = "Outreach events and propagandists"),
        (name = "loans", description = "Loans under Decision 22/2023/QĐ-TTg: eligibility, applications, the bank's postings"),
        (name = "reports", description = "Live indicators, targets, periodic reports up the administrative ladder, exports"),
        (name = "plans", description = "Plans (Đề án, kế hoạch) with targets as the documents phrase them, and their progress year by year"),
        (name = "integrations", description = "Change feed, signed webhooks, bulk import of person files, printable lists"),
        (name = "loan-lists", description = "The commune's monthly list of persons eligible for a loan"),
        (name = "holidays", description = "Public holidays and days off deadlines are counted with (Labour Code 2019 Art. 112; Civil Code Art. 148(5))")
    )
)]
pub struct ApiDoc;

pub const BEARER: &str = "bearer";

/// Builds the routes into a throw-away App to collect the document, then completes it.
pub fn document() -> OpenApiDoc {
    let (_app, doc) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::startup::routes)
        .split_for_parts();
    complete(doc)
}

pub fn to_json(doc: &OpenApiDoc) -> String {
    let mut text = doc.to_pretty_json().unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

fn problem_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(PROBLEM_JSON, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
            .build(),
    )
}

const SHARED: &[(&str, &str, &str)] = &[
    ("400", "BadRequest", "Malformed request: bad JSON, an unknown or wrongly typed query parameter"),
    ("401", "Unauthorized", "Missing, invalid, expired or revoked token"),
    ("403", "Forbidden", "None of the token's roles may call this operation"),
    ("404", "NotFound", "No such record, or it lies outside the token's unit"),
    ("413", "PayloadTooLarge", "The body is larger than the service accepts"),
    ("415", "UnsupportedMediaType", "The body is not `application/json`"),
    ("422", "ValidationFailed", "Invalid fields, listed in `invalid_params`"),
    ("500", "InternalError", "Unexpected error; nothing internal is disclosed"),
    ("503", "Unavailable", "The database is unreachable or busy; retry later"),
];

fn complete(mut doc: OpenApiDoc) -> OpenApiDoc {
    let components = doc.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        BEARER.to_string(),
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some("EdDSA-signed JWT from POST /api/v1/auth/token (or a trusted agency provider)"))
                .build(),
        ),
    );
    for (status, name, description) in SHARED {
        let mut response = problem_response(description);
        if let RefOr::T(r) = &mut response {
            add_headers(r, status, false);
        }
        components.responses.insert(name.to_string(), response);
    }
    let names: Vec<String> = components.schemas.keys().cloned().collect();
    for (name, schema) in components.schemas.iter_mut() {
        page_items_by_ref(name, schema, &names);
        single_one_of_as_all_of(schema);
    }
    for item in doc.paths.paths.values_mut() {
        let versioned = item.patch.is_some() || item.put.is_some();
        if let Some(body) = item.patch.as_mut().and_then(|op| op.request_body.as_mut()) {
            // PATCH bodies are JSON Merge Patches (RFC 7396), sent as either media type.
            if let Some(json) = body.content.get("application/json").cloned() {
                body.content.insert("application/merge-patch+json".into(), json);
            }
        }
        let methods = [
            (&mut item.get, false),
            (&mut item.post, true),
            (&mut item.put, true),
            (&mut item.patch, true),
            (&mut item.delete, true),
        ];
        for (op, writes) in methods {
            let Some(op) = op else { continue };
            complete_operation(op, writes);
            if op.operation_id.as_deref().is_some_and(|id| CACHEABLE.contains(&id)) {
                cacheable(op);
            }
            for parameter in op.parameters.iter_mut().flatten() {
                bound_paging(parameter);
            }
            for (status, response) in op.responses.responses.iter_mut() {
                if let RefOr::T(r) = response {
                    add_headers(r, status, versioned);
                }
            }
        }
    }
    doc
}

/// Reference data answered by `http::etag::cacheable_json`.
const CACHEABLE: &[&str] = &["list_admin_units", "get_admin_unit", "list_holidays", "list_loan_rates"];

fn cacheable(op: &mut Operation) {
    let parameter = utoipa::openapi::path::ParameterBuilder::new()
        .name("If-None-Match")
        .parameter_in(ParameterIn::Header)
        .description(Some("The `ETag` of a copy you hold: 304 without a body while it is current"))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build();
    op.parameters.get_or_insert_with(Vec::new).push(parameter);
    let not_modified = ResponseBuilder::new().description("Not modified: the copy named in `If-None-Match` is current");
    op.responses.responses.insert("304".into(), RefOr::T(not_modified.build()));
    for status in ["200", "304"] {
        if let Some(RefOr::T(response)) = op.responses.responses.get_mut(status) {
            let cache = format!("`private, max-age={}`", crate::http::etag::REFERENCE_MAX_AGE_SECS);
            response.headers.insert("ETag".into(), string_header("A tag of this answer, for `If-None-Match`"));
            response.headers.insert("Cache-Control".into(), string_header(&format!("{cache}: reusable for a while")));
        }
    }
}

fn string_header(description: &str) -> Header {
    utoipa::openapi::HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::String))
        .description(Some(description))
        .build()
}

/// The headers a response carries: every response its request id; a 201 the new record's
/// URL; a read or update of a versioned record (one with PATCH or PUT) its ETag; a 429 or 503
/// when to retry.
fn add_headers(response: &mut Response, status: &str, versioned: bool) {
    let mut put = |name: &str, description: &str| {
        response.headers.entry(name.to_string()).or_insert_with(|| string_header(description));
    };
    put("X-Request-Id", "The request's id (the caller's, or a new UUID), also in the log and in problems");
    match status {
        "201" => put("Location", "The URL of the record created"),
        "200" if versioned => put("ETag", "The record's version; send it back in `If-Match` to update"),
        "429" | "503" => put("Retry-After", "Seconds to wait before retrying"),
        _ => {}
    }
}

/// `Page_X.items` refers to the schema `X` instead of repeating it inline, so a generated
/// client has one type per record.
fn page_items_by_ref(name: &str, schema: &mut RefOr<Schema>, names: &[String]) {
    let Some(item) = name.strip_prefix("Page_").filter(|item| names.iter().any(|n| n == item)) else {
        return;
    };
    if let RefOr::T(Schema::Object(page)) = schema {
        if let Some(RefOr::T(Schema::Array(items))) = page.properties.get_mut("items") {
            items.items = ArrayItems::RefOrSchema(Box::new(RefOr::Ref(Ref::from_schema_name(item))));
        }
    }
}

/// utoipa wraps a described `$ref` with a default in a one-item `oneOf`, which linters call
/// illogical; a one-item `allOf` beside the default says the same.
fn single_one_of_as_all_of(schema: &mut RefOr<Schema>) {
    let RefOr::T(Schema::Object(object)) = schema else { return };
    for property in object.properties.values_mut() {
        if let RefOr::T(Schema::OneOf(one)) = property {
            if one.items.len() == 1 {
                let mut all = AllOf::new();
                all.items = std::mem::take(&mut one.items);
                all.description = one.description.take();
                all.default = one.default.take();
                *property = RefOr::T(Schema::AllOf(all));
            }
        }
    }
}

/// Paging parameters carry the bounds `PageRequest` enforces.
fn bound_paging(parameter: &mut utoipa::openapi::path::Parameter) {
    let (min, max, default) = match (parameter.parameter_in == ParameterIn::Query, parameter.name.as_str()) {
        (true, "page") => (1, 1_000_000, 1),
        (true, "page_size") => (1, crate::http::pagination::MAX_PAGE_SIZE, crate::http::pagination::DEFAULT_PAGE_SIZE),
        _ => return,
    };
    parameter.schema = Some(RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from(Type::Integer))
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Int64)))
            .minimum(Some(min))
            .maximum(Some(max))
            .default(Some(default.into()))
            .build(),
    )));
}

fn complete_operation(op: &mut Operation, writes: bool) {
    let id = op.operation_id.clone().unwrap_or_default();
    let public = PUBLIC_OPERATIONS.contains(&id.as_str());
    let has_body = op.request_body.is_some();
    let has_path_params = op.parameters.as_ref().is_some_and(|p| p.iter().any(|p| p.parameter_in == ParameterIn::Path));
    let has_input = has_body || op.parameters.as_ref().is_some_and(|p| !p.is_empty());
    for (status, name, _) in SHARED {
        let wanted = match *status {
            "401" | "403" => !public,
            "404" => has_path_params,
            "413" | "415" => has_body,
            // The query guard answers 400 on any path (a control character in the query).
            "400" => true,
            "422" => has_input,
            _ => true,
        };
        if wanted && !op.responses.responses.contains_key(*status) {
            op.responses
                .responses
                .insert(status.to_string(), RefOr::Ref(Ref::new(format!("#/components/responses/{name}"))));
        }
    }
    if public {
        op.security = Some(vec![SecurityRequirement::default()]);
        return;
    }
    op.security = Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]);
    if writes {
        op.parameters.get_or_insert_with(Vec::new).push(audit_reason_parameter());
    }
    if let Some(permission) = Op::from_operation_id(&id) {
        let roles: Vec<&str> = permission.roles().iter().map(|r| r.as_str()).collect();
        let line = format!("**Roles:** {}.", roles.join(", "));
        op.description = Some(match op.description.take() {
            Some(d) if !d.is_empty() => format!("{d}\n\n{line}"),
            _ => line,
        });
        let ext = ExtensionsBuilder::new().add("x-roles", serde_json::json!(roles)).build();
        match op.extensions.as_mut() {
            Some(existing) => existing.merge(ext),
            None => op.extensions = Some(ext),
        }
    }
}

/// `X-Audit-Reason`, read on every authenticated write (`auth::RequestContext`).
fn audit_reason_parameter() -> Parameter {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ParameterBuilder::new()
        .name(crate::auth::AUDIT_REASON_HEADER)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Why this change is made, stored in the audit trail (the first 500 characters). From a browser, \
             Vietnamese in the RFC 8187 form `UTF-8''<percent-encoded UTF-8>`, decoded before it is stored; a \
             value in that form that does not decode answers 422 naming this header.",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .example(Some(serde_json::json!("UTF-8''Chuy%E1%BB%83n%20c%C3%B4ng%20t%C3%A1c")))
        .build()
}
