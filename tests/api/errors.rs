//! Every class of bad input answers a 4xx problem+json, never a 500 or a leak.

use reqwest::Method;
use serde_json::json;

use crate::dual;
use crate::helpers::*;

async fn bad_input_classes_get_problems(app: TestApp) {
    let t = &app.admin_token;
    // Malformed JSON.
    let resp = app
        .request(Method::POST, "/api/v1/accounts", t)
        .header("content-type", "application/json")
        .body("{\"username\": ")
        .send()
        .await
        .unwrap();
    assert_problem(resp, 400, "malformed_json").await;

    // Wrong type, named by field.
    let resp = app
        .post(
            "/api/v1/accounts",
            t,
            &json!({"username": "x1x", "password": PASSWORD, "full_name": "X", "roles": "admin", "unit": "VN"}),
        )
        .await;
    let body = assert_problem(resp, 422, "validation_failed").await;
    assert_eq!(body["invalid_params"][0]["name"], "roles");

    // Unknown field.
    let resp = app
        .post(
            "/api/v1/accounts",
            t,
            &json!({"username": "x1x", "password": PASSWORD, "full_name": "X", "roles": ["admin"], "unit": "VN", "is_root": true}),
        )
        .await;
    let body = assert_problem(resp, 422, "validation_failed").await;
    assert_eq!(body["invalid_params"][0]["name"], "is_root");

    // Validation rules, all reported at once.
    let resp = app
        .post(
            "/api/v1/accounts",
            t,
            &json!({"username": "A", "password": PASSWORD, "full_name": "", "roles": [], "unit": "12"}),
        )
        .await;
    let body = assert_problem(resp, 422, "validation_failed").await;
    let names: Vec<&str> =
        body["invalid_params"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["full_name", "roles", "username"], "{body}");

    // A unit code of the right shape that does not exist.
    let resp = app
        .post(
            "/api/v1/accounts",
            t,
            &json!({"username": "ghost", "password": PASSWORD, "full_name": "G", "roles": ["police"], "unit": "99999"}),
        )
        .await;
    let body = assert_problem(resp, 422, "validation_failed").await;
    assert_eq!(body["invalid_params"][0]["name"], "unit");

    // NUL byte in free text.
    let resp = app
        .post("/api/v1/accounts", t, &json!({"username": "nul", "password": PASSWORD, "full_name": "a\u{0}b", "roles": ["police"], "unit": "VN"}))
        .await;
    assert_eq!(assert_problem(resp, 422, "validation_failed").await["invalid_params"][0]["name"], "full_name");

    // Unknown and mistyped query parameters.
    let body = assert_problem(app.get("/api/v1/admin-units?colour=red", t).await, 400, "invalid_query").await;
    assert_eq!(body["invalid_params"][0]["name"], "colour");
    let body = assert_problem(app.get("/api/v1/admin-units?page=abc", t).await, 400, "invalid_query").await;
    assert_eq!(body["invalid_params"][0]["name"], "page");
    let body = assert_problem(app.get("/api/v1/admin-units?page_size=1000", t).await, 422, "validation_failed").await;
    assert_eq!(body["invalid_params"][0]["name"], "page_size");

    // Bad paths and wrong methods.
    assert_problem(app.get("/api/v1/nothing-here", t).await, 404, "not_found").await;
    assert_problem(app.get("/api/v1/accounts/not-a-uuid", t).await, 404, "not_found").await;
    let resp = app.request(Method::DELETE, "/api/v1/admin-units/01", t).send().await.unwrap();
    assert_eq!(resp.headers()["allow"], "GET, HEAD");
    assert_problem(resp, 405, "method_not_allowed").await;

    // Wrong media type and oversized body.
    let resp = app
        .request(Method::POST, "/api/v1/accounts", t)
        .header("content-type", "text/plain")
        .body("hi")
        .send()
        .await
        .unwrap();
    assert_problem(resp, 415, "unsupported_media_type").await;
    let huge = "x".repeat(app.settings.max_body_bytes + 10);
    let resp = app
        .post(
            "/api/v1/accounts",
            t,
            &json!({"username": "big", "password": PASSWORD, "full_name": huge, "roles": ["police"], "unit": "VN"}),
        )
        .await;
    assert_problem(resp, 413, "body_too_large").await;

    // Deeply nested JSON is refused before parsing.
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let resp = app
        .request(Method::POST, "/api/v1/accounts", t)
        .header("content-type", "application/json")
        .body(deep)
        .send()
        .await
        .unwrap();
    assert_problem(resp, 400, "json_too_deep").await;

    // Missing If-Match on an update is 428; a garbled one is 412.
    let (id, _) = app.account("patchme", &["police"], "01").await;
    let resp = app
        .request(Method::PATCH, &format!("/api/v1/accounts/{id}"), t)
        .json(&json!({"full_name": "Y"}))
        .send()
        .await
        .unwrap();
    assert_problem(resp, 428, "if_match_required").await;
    let resp = app
        .request(Method::PATCH, &format!("/api/v1/accounts/{id}"), t)
        .header("if-match", "nonsense")
        .json(&json!({"full_name": "Y"}))
        .send()
        .await
        .unwrap();
    assert_problem(resp, 412, "version_mismatch").await;
}

async fn missing_or_bad_auth_is_401(app: TestApp) {
    let resp = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert!(resp.headers()["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
    assert_problem(resp, 401, "unauthorized").await;
    let resp = app.client.get(app.url("/api/v1/me")).header("authorization", "Basic abc").send().await.unwrap();
    assert_problem(resp, 401, "unauthorized").await;
    assert_problem(app.get("/api/v1/me", "garbage.token.here").await, 401, "unauthorized").await;
    let oversized = "a".repeat(20_000);
    assert_problem(app.get("/api/v1/me", &oversized).await, 401, "unauthorized").await;
}

dual!(bad_input_classes_get_problems, missing_or_bad_auth_is_401);
