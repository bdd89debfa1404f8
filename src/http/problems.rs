//! Makes every error response problem+json, including those actix produces itself
//! (unknown route, wrong method, payload errors), never leaks an internal message, and
//! speaks the caller's language (`Accept-Language`, see `i18n.rs`).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};

use super::i18n::{self, Lang};
use super::request_id::RequestId;
use crate::error::{Problem, PROBLEM_JSON};

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, actix_web::Error> {
    let lang = i18n::negotiate(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let res = next.call(req).await?;
    let status = res.status();
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.starts_with(PROBLEM_JSON))
        .unwrap_or(false);
    if status.as_u16() < 400 {
        return Ok(res.map_into_left_body());
    }
    let request = res.request().clone();
    // A handler's problem, or a generic one in place of actix's own error body.
    let (headers, body) = if is_problem {
        let headers = res.headers().clone();
        (headers, actix_web::body::to_bytes(res.into_body()).await.unwrap_or_default())
    } else {
        let replacement = generic_problem(&request, status);
        let headers = replacement.headers().clone();
        (headers, actix_web::body::to_bytes(replacement.into_body()).await.unwrap_or_default())
    };
    // Add `instance` and `request_id`, which the error type cannot know, and the language.
    let mut value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_else(|_| serde_json::json!({}));
    if let Some(obj) = value.as_object_mut() {
        obj.insert("instance".into(), request.path().into());
        if let Some(id) = request.extensions().get::<RequestId>() {
            obj.insert("request_id".into(), id.0.clone().into());
        }
    }
    if lang == Lang::Vi {
        i18n::localize_problem(&mut value);
    }
    let mut rebuilt = HttpResponse::build(status);
    for (name, v) in headers.iter() {
        if name != header::CONTENT_LENGTH {
            rebuilt.append_header((name.clone(), v.clone()));
        }
    }
    rebuilt.insert_header((header::CONTENT_LANGUAGE, lang.tag()));
    rebuilt.append_header((header::VARY, "Accept-Language"));
    let rebuilt = rebuilt.body(serde_json::to_string(&value).unwrap_or_default());
    Ok(ServiceResponse::new(request, rebuilt).map_into_right_body())
}

/// Fills `instance` and `request_id` in problem bodies produced by handlers.
pub fn decorate(req: &HttpRequest, mut problem: Problem) -> Problem {
    problem.instance = Some(req.path().to_string());
    problem.request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    problem
}

fn generic_problem(req: &HttpRequest, status: StatusCode) -> HttpResponse {
    let (code, title, detail) = generic_parts(req.method().as_str(), status);
    let problem = decorate(req, Problem::new(status, code, title, Some(detail)));
    problem.response()
}

/// Code, title and detail of a problem the framework raised (no route, wrong method, …).
pub(crate) fn generic_parts(method: &str, status: StatusCode) -> (&'static str, &'static str, String) {
    match status {
        StatusCode::NOT_FOUND => ("not_found", "Not found", "no such resource".to_string()),
        StatusCode::METHOD_NOT_ALLOWED => {
            ("method_not_allowed", "Method not allowed", format!("{method} is not allowed on this resource"))
        }
        StatusCode::PAYLOAD_TOO_LARGE => ("body_too_large", "Payload too large", "the body is too large".into()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported_media_type", "Unsupported media type", "send the body as application/json".into())
        }
        s if s.is_server_error() => (
            "internal_error",
            "Internal error",
            "an unexpected error occurred; quote the request id when reporting it".into(),
        ),
        _ => ("bad_request", "Bad request", "the request could not be understood".into()),
    }
}

/// The documented paths and their methods, so that a known path called with another
/// method answers 405 with `Allow` rather than 404.
pub struct KnownRoutes(Vec<(PathTemplate, Vec<String>)>);

/// An OpenAPI path template, `/api/v1/persons/{id}/activities`: literal segments, and
/// `{name}` segments that match any one non-empty segment. Matched segment by segment, not
/// by actix's regular expressions: every 201 looks up its `Location` here (up to four
/// lookups over a hundred templates), and the regular expressions took an eighth of the
/// service's time on `POST /persons/{id}/activities`.
struct PathTemplate(Vec<Option<String>>);

impl PathTemplate {
    fn new(template: &str) -> PathTemplate {
        let param = |s: &str| s.starts_with('{') && s.ends_with('}');
        PathTemplate(template.split('/').map(|s| (!param(s)).then(|| s.to_string())).collect())
    }

    fn is_match(&self, path: &str) -> bool {
        let mut segments = path.split('/');
        self.0.iter().all(|want| match (want, segments.next()) {
            (Some(literal), Some(seg)) => literal == seg,
            (None, Some(seg)) => !seg.is_empty(),
            (_, None) => false,
        }) && segments.next().is_none()
    }
}

impl KnownRoutes {
    pub fn from_doc(doc: &utoipa::openapi::OpenApi) -> KnownRoutes {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods: Vec<String> = [
                    ("GET", item.get.is_some()),
                    ("HEAD", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(m, _)| m.to_string())
                .collect();
                (PathTemplate::new(path), methods)
            })
            .collect();
        KnownRoutes(routes)
    }

    fn allowed(&self, path: &str) -> Option<&[String]> {
        self.0.iter().find(|(def, _)| def.is_match(path)).map(|(_, m)| m.as_slice())
    }

    /// Whether a documented route serves `method` at this concrete path.
    pub fn serves(&self, path: &str, method: &str) -> bool {
        self.allowed(path).is_some_and(|methods| methods.iter().any(|m| m == method))
    }
}

/// The default service: no route matched the path and method.
pub async fn not_found(req: HttpRequest, known: Option<web::Data<KnownRoutes>>) -> HttpResponse {
    if let Some(methods) = known.as_ref().and_then(|k| k.allowed(req.path())) {
        let mut resp = generic_problem(&req, StatusCode::METHOD_NOT_ALLOWED);
        if let Ok(v) = header::HeaderValue::from_str(&methods.join(", ")) {
            resp.headers_mut().insert(header::ALLOW, v);
        }
        return resp;
    }
    generic_problem(&req, StatusCode::NOT_FOUND)
}

#[cfg(test)]
mod tests {
    use super::PathTemplate;
    use actix_web::dev::ResourceDef;

    /// The segment matcher agrees with actix's own pattern matching on every case below.
    #[test]
    fn path_templates_match_as_actix_does() {
        let templates = [
            "/api/v1/persons",
            "/api/v1/persons/{id}",
            "/api/v1/persons/{id}/activities",
            "/api/v1/persons/{id}/convictions/{cid}/versions",
            "/healthz",
        ];
        let paths = [
            "/api/v1/persons",
            "/api/v1/persons/",
            "/api/v1/persons/p1",
            "/api/v1/persons/p1/",
            "/api/v1/persons//activities",
            "/api/v1/persons/p1/activities",
            "/api/v1/persons/p1/activities/a1",
            "/api/v1/persons/p1/convictions/c1/versions",
            "/api/v1/persons/p1/convictions//versions",
            "/api/v1/persons/p%2F1",
            "/api/v1/person/p1",
            "/healthz",
            "/healthz/",
            "",
            "/",
        ];
        for t in templates {
            let (ours, actix) = (PathTemplate::new(t), ResourceDef::new(t));
            for p in paths {
                assert_eq!(ours.is_match(p), actix.is_match(p), "{t} against {p}");
            }
        }
        assert!(PathTemplate::new("/api/v1/persons/{id}").is_match("/api/v1/persons/p1"));
        assert!(!PathTemplate::new("/api/v1/persons/{id}").is_match("/api/v1/persons/p1/activities"));
    }
}
