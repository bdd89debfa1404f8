//! HTTP semantics a front end relies on (issue 26 point 9): JSON Merge Patch, `If-Match: *`
//! and weak validators, `Location` on 201, `HEAD`, CORS exposed headers, cacheable reference
//! data, and wrongly typed query parameters named in the problem.

use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

const MERGE_PATCH: &str = "application/merge-patch+json";

/// A police officer of commune 00070 and a new person there with village and phone; returns
/// (token, person id, ETag).
async fn police_and_person(app: &TestApp) -> (String, String, String) {
    let (_, police) = app.account("ca.phuong", &["police"], "00070").await;
    let mut body = identity("Nguyễn Văn Bình", None, "00070");
    body["phone"] = json!("0912345678");
    let resp = app.post("/api/v1/persons", &police, &body).await;
    assert_eq!(resp.status(), 201);
    let etag = resp.headers()["etag"].to_str().unwrap().to_string();
    let person = json(resp).await;
    (police, person["id"].as_str().unwrap().to_string(), etag)
}

async fn merge_patch(app: &TestApp, path: &str, token: &str, if_match: &str, body: &Value) -> reqwest::Response {
    app.request(Method::PATCH, path, token)
        .header("if-match", if_match)
        .header("content-type", MERGE_PATCH)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

async fn patch_null_clears_and_refuses_required(app: TestApp) {
    let (police, id, etag) = police_and_person(&app).await;
    let path = format!("/api/v1/persons/{id}");
    let person = get_ok(&app, &path, &police).await;
    assert_eq!(person["village"], "Thôn 3");

    // `null` clears a nullable member, a left-out one stays, a value replaces.
    let resp = merge_patch(&app, &path, &police, &etag, &json!({"village": null, "phone": "0987654321"})).await;
    let etag = resp.headers()["etag"].to_str().unwrap().to_string();
    let person = ok(resp, "merge patch").await;
    assert_eq!(person["village"], Value::Null);
    assert_eq!(person["phone"], "0987654321");
    assert_eq!(person["education"], "9/12");
    assert_eq!(get_ok(&app, &path, &police).await["village"], Value::Null);

    // A member that cannot be cleared given `null`: 422 naming it, nothing written.
    let resp = merge_patch(&app, &path, &police, &etag, &json!({"full_name": null})).await;
    let body = assert_problem(resp, 422, "validation_failed").await;
    assert_eq!(body["invalid_params"][0]["name"], "full_name");
    assert_eq!(get_ok(&app, &path, &police).await["full_name"], "Nguyễn Văn Bình");

    // Plain JSON is read the same way; an account's agency clears too.
    let resp = app
        .request(Method::PATCH, &path, &police)
        .header("if-match", &etag)
        .json(&json!({"phone": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok(resp, "json patch").await["phone"], Value::Null);
    let account = post_ok(
        &app,
        "/api/v1/accounts",
        &app.admin_token,
        &json!({"username": "tp.agency", "password": PASSWORD, "full_name": "Lê Thị Hà", "roles": ["justice"],
                "unit": "01", "agency": "Sở Tư pháp Hà Nội"}),
    )
    .await;
    let account_path = format!("/api/v1/accounts/{}", account["id"].as_str().unwrap());
    let resp = merge_patch(&app, &account_path, &app.admin_token, "\"v1\"", &json!({"agency": null})).await;
    assert_eq!(ok(resp, "account patch").await["agency"], Value::Null);
}

async fn if_match_star_and_weak_tags(app: TestApp) {
    let (police, id, etag) = police_and_person(&app).await;
    let path = format!("/api/v1/persons/{id}");
    assert_eq!(etag, "\"v1\"");

    // A weak validator never matches If-Match (strong comparison), even the current one.
    let resp = merge_patch(&app, &path, &police, "W/\"v1\"", &json!({"occupation": "thợ mộc"})).await;
    assert_problem(resp, 412, "version_mismatch").await;
    // `*` matches any current version.
    let resp = merge_patch(&app, &path, &police, "*", &json!({"occupation": "thợ mộc"})).await;
    assert_eq!(resp.headers()["etag"], "\"v2\"");
    assert_eq!(ok(resp, "if-match *").await["occupation"], "thợ mộc");
    // A list matches when one of its strong tags does.
    let resp = merge_patch(&app, &path, &police, "\"v1\", W/\"v2\", \"v2\"", &json!({"occupation": "thợ hồ"})).await;
    assert_eq!(resp.status(), 200);
    let resp = merge_patch(&app, &path, &police, "\"v1\", \"v2\"", &json!({"occupation": "thợ sơn"})).await;
    assert_problem(resp, 412, "version_mismatch").await;
    // `*` on a record that does not exist is still a 404.
    let missing = format!("/api/v1/persons/{}", uuid::Uuid::now_v7());
    assert_problem(merge_patch(&app, &missing, &police, "*", &json!({"occupation": "x"})).await, 404, "not_found")
        .await;
}

async fn created_records_have_a_location(app: TestApp) {
    let (police, id, _) = police_and_person(&app).await;
    // The person created by the fixture: its own URL, which reads it back.
    let resp = app.post("/api/v1/persons", &police, &identity("Trần Văn Cường", None, "00070")).await;
    assert_eq!(resp.status(), 201);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    let created = json(resp).await;
    assert_eq!(location, format!("/api/v1/persons/{}", created["id"].as_str().unwrap()));
    assert_eq!(get_ok(&app, &location, &police).await["full_name"], "Trần Văn Cường");
    assert_ne!(location, format!("/api/v1/persons/{id}"));

    let resp = app
        .post(
            "/api/v1/accounts",
            &app.admin_token,
            &json!({"username": "ld.hn", "password": PASSWORD, "full_name": "Phạm Thu", "roles": ["labour"], "unit": "01"}),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(get_ok(&app, &location, &app.admin_token).await["username"], "ld.hn");

    // No route reads one employer: the collection that lists it.
    let labour = app.login("ld.hn", PASSWORD).await;
    let resp = app.post("/api/v1/employers", &labour, &json!({"name": "Xưởng mộc Đông Hạ", "unit": "00070"})).await;
    assert_eq!(resp.status(), 201, "{:?}", resp.headers());
    assert_eq!(resp.headers()["location"], "/api/v1/employers");
}

async fn head_is_served_wherever_get_is(app: TestApp) {
    let (police, id, etag) = police_and_person(&app).await;
    let path = format!("/api/v1/persons/{id}");
    let get = app.get(&path, &police).await;
    let length = get.headers()["content-length"].clone();
    let resp = app.request(Method::HEAD, &path, &police).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["etag"], etag.as_str());
    assert_eq!(resp.headers()["content-length"], length);
    assert!(resp.bytes().await.unwrap().is_empty());

    let resp = app.client.head(app.url("/healthz")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    // Authorisation and jurisdiction are those of GET.
    let resp = app.client.head(app.url(&path)).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    let resp = app.request(Method::HEAD, "/api/v1/persons?page=abc", &police).send().await.unwrap();
    assert_eq!(resp.status(), 400);
}

async fn cors_exposes_the_headers_clients_read(app: TestApp) {
    let resp = app.client.get(app.url("/healthz")).header("origin", "https://frontend.example").send().await.unwrap();
    let exposed = resp.headers()["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
    for header in ["etag", "location", "retry-after", "content-disposition", "x-request-id"] {
        assert!(exposed.contains(header), "{header} not in {exposed}");
    }
}

async fn reference_data_is_cacheable(app: TestApp) {
    let (police, _, _) = police_and_person(&app).await;
    for path in [
        "/api/v1/admin-units/01",
        "/api/v1/admin-units?parent=01&page_size=5",
        "/api/v1/holidays?year=2026",
        "/api/v1/loan-rates",
    ] {
        let resp = app.get(path, &police).await;
        assert_eq!(resp.status(), 200, "{path}");
        let tag = resp.headers()["etag"].to_str().unwrap().to_string();
        assert!(resp.headers()["cache-control"].to_str().unwrap().starts_with("private, max-age="), "{path}");
        let resp = app.request(Method::GET, path, &police).header("if-none-match", &tag).send().await.unwrap();
        assert_eq!(resp.status(), 304, "{path}");
        assert_eq!(resp.headers()["etag"], tag.as_str());
        assert!(resp.bytes().await.unwrap().is_empty());
        // Weak comparison for If-None-Match; another tag gets the body.
        let weak = format!("W/{tag}");
        let resp = app.request(Method::GET, path, &police).header("if-none-match", &weak).send().await.unwrap();
        assert_eq!(resp.status(), 304, "{path}");
        let resp = app.request(Method::GET, path, &police).header("if-none-match", "\"other\"").send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
    }
    // The tag follows the data: a new holiday changes the year's list.
    let tag = app.get("/api/v1/holidays?year=2026", &police).await.headers()["etag"].clone();
    post_ok(
        &app,
        "/api/v1/holidays",
        &app.admin_token,
        &json!({"date": "2026-06-15", "kind": "compensatory", "name": "Nghỉ bù"}),
    )
    .await;
    let resp =
        app.request(Method::GET, "/api/v1/holidays?year=2026", &police).header("if-none-match", tag).send().await;
    assert_eq!(resp.unwrap().status(), 200);
}

async fn wrongly_typed_query_parameters_are_named(app: TestApp) {
    let (police, _, _) = police_and_person(&app).await;
    for (query, name) in [
        ("page=abc", "page"),
        ("needs_focus=maybe", "needs_focus"),
        ("status=gone", "status"),
        ("expungement_due_before=x", "expungement_due_before"),
    ] {
        let resp = app.get(&format!("/api/v1/persons?{query}"), &police).await;
        let body = assert_problem(resp, 400, "invalid_query").await;
        assert_eq!(body["invalid_params"][0]["name"], name, "{query}: {body}");
    }
}

dual!(
    patch_null_clears_and_refuses_required,
    if_match_star_and_weak_tags,
    created_records_have_a_location,
    head_is_served_wherever_get_is,
    cors_exposes_the_headers_clients_read,
    reference_data_is_cacheable,
    wrongly_typed_query_parameters_are_named,
);
