//! HTTP semantics every route shares: `HEAD` wherever `GET` is served, and a `Location` on
//! every 201.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web;

use super::problems::KnownRoutes;

/// Serves `HEAD` as `GET` (RFC 9110 §9.3.2): routing, authorisation and the handler see a
/// `GET`; the connection, which parsed a `HEAD`, sends the same status and headers (with the
/// `GET`'s `Content-Length`) and no body.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await.map(ServiceResponse::map_into_boxed_body)
}

/// Gives a 201 without `Location` one: the URL of the record created, from the body's `id`
/// (the first record's for a list), when the service has a route at that URL. Otherwise the
/// collection posted to, which lists the new record.
pub async fn location(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?.map_into_boxed_body();
    if res.status() != StatusCode::CREATED || res.headers().contains_key(header::LOCATION) {
        return Ok(res);
    }
    let (req, res) = res.into_parts();
    let (mut res, body) = res.into_parts();
    let bytes = actix_web::body::to_bytes(body).await.map_err(actix_web::error::ErrorInternalServerError)?;
    let known = req.app_data::<web::Data<KnownRoutes>>();
    let url = created_url(req.path(), &bytes, |path, method| known.is_some_and(|k| k.serves(path, method)));
    if let Ok(value) = header::HeaderValue::from_str(&url) {
        res.headers_mut().insert(header::LOCATION, value);
    }
    Ok(ServiceResponse::new(req, res.set_body(BoxBody::new(bytes))))
}

/// The created record's URL: `{path}/{id}` or `/api/v1/{collection}/{id}` when a route
/// reads it, `{path}/{id}` when a route changes it, else `path` itself.
fn created_url(path: &str, body: &[u8], serves: impl Fn(&str, &str) -> bool) -> String {
    let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let record = if value.is_array() { &value[0] } else { &value };
    let Some(id) = record["id"].as_str().filter(|id| !id.is_empty() && !id.contains(['/', '?', '#'])) else {
        return path.to_string();
    };
    let below = format!("{}/{id}", path.trim_end_matches('/'));
    let collection = path.strip_prefix("/api/v1/").and_then(|rest| rest.split('/').next());
    // `POST /reports/{id}/revise` answers a new version: its own URL is under `/reports`.
    let sibling = collection.map(|c| format!("/api/v1/{c}/{id}"));
    let readable =
        [Some(below.clone()), sibling.filter(|s| path.starts_with(&format!("{s}/")) || is_new_version(path))];
    if let Some(url) = readable.into_iter().flatten().find(|url| serves(url, "GET")) {
        return url;
    }
    if ["PATCH", "PUT", "DELETE"].iter().any(|m| serves(&below, m)) {
        return below;
    }
    path.to_string()
}

fn is_new_version(path: &str) -> bool {
    path.ends_with("/revise")
}

#[cfg(test)]
mod tests {
    use super::created_url;

    fn serves(path: &str, method: &str) -> bool {
        let routes = [
            ("GET", "/api/v1/persons/p1"),
            ("GET", "/api/v1/reports/r2"),
            ("GET", "/api/v1/models/m1"),
            ("PATCH", "/api/v1/persons/p1/activities/a1"),
        ];
        routes.iter().any(|(m, p)| *m == method && *p == path)
    }

    #[test]
    fn names_the_created_record() {
        let cases = [
            ("/api/v1/persons", r#"{"id":"p1"}"#, "/api/v1/persons/p1"),
            ("/api/v1/reports/r1/revise", r#"{"id":"r2"}"#, "/api/v1/reports/r2"),
            ("/api/v1/models/m1/milestones", r#"{"id":"m1"}"#, "/api/v1/models/m1"),
            ("/api/v1/persons/p1/activities", r#"[{"id":"a1"},{"id":"a2"}]"#, "/api/v1/persons/p1/activities/a1"),
            ("/api/v1/employers", r#"{"id":"e1"}"#, "/api/v1/employers"),
            ("/api/v1/persons", r#"{"id":"../x"}"#, "/api/v1/persons"),
            ("/api/v1/imports", "not json", "/api/v1/imports"),
        ];
        for (path, body, expected) in cases {
            assert_eq!(created_url(path, body.as_bytes(), serves), expected, "{path} {body}");
        }
    }
}
