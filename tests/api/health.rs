use crate::dual;
use crate::helpers::*;

async fn health_and_docs_are_served(app: TestApp) {
    let resp = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().contains_key("x-request-id"));
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert_eq!(json(resp).await["status"], "ok");

    let ready = json(app.client.get(app.url("/readyz")).send().await.unwrap()).await;
    let expected = match app.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(ready["database"], expected);

    let spec = json(app.client.get(app.url("/api-docs/openapi.json")).send().await.unwrap()).await;
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(spec["paths"]["/api/v1/admin-units/{code}"]["get"].is_object());

    let ui = app.client.get(app.url("/swagger-ui/")).send().await.unwrap();
    assert_eq!(ui.status(), 200);
    assert!(ui.text().await.unwrap().contains("swagger"));
    // Typed without the slash, the address leads to the page.
    let bare = app.client.get(app.url("/swagger-ui")).send().await.unwrap();
    assert_eq!(bare.status(), 308);
    assert_eq!(bare.headers()["location"], "/swagger-ui/");
}

async fn request_id_is_echoed_or_generated(app: TestApp) {
    let resp = app.client.get(app.url("/healthz")).header("x-request-id", "abc-123").send().await.unwrap();
    assert_eq!(resp.headers()["x-request-id"], "abc-123");
    // Unsafe ids are replaced rather than echoed.
    let resp = app.client.get(app.url("/healthz")).header("x-request-id", "bad id\"<>").send().await.unwrap();
    let id = resp.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_ne!(id, "bad id\"<>");
    assert_eq!(id.len(), 36);
    // Problems quote it too.
    let resp = app.client.get(app.url("/nowhere")).header("x-request-id", "trace-1").send().await.unwrap();
    let body = assert_problem(resp, 404, "not_found").await;
    assert_eq!(body["request_id"], "trace-1");
}

async fn cors_allows_only_configured_origins(app: TestApp) {
    let allowed = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/me"))
        .header("origin", "https://frontend.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://frontend.example");
    let refused = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/me"))
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none());
}

dual!(health_and_docs_are_served, request_id_is_echoed_or_generated, cors_allows_only_configured_origins);
