use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::helpers::*;

async fn jurisdiction_is_enforced_in_queries(app: TestApp) {
    // Two communes of Hà Nội (01) and one of another province.
    let (hoan_kiem_officer, _) = app.account("hk.officer", &["police"], "00070").await;
    let (cua_nam_officer, _) = app.account("cn.officer", &["police"], "00073").await;
    let (_, commune_admin) = app.account("hk.admin", &["admin"], "00070").await;
    let (_, province_admin) = app.account("hn.admin", &["admin"], "01").await;
    let (_, other_province_admin) = app.account("ld.admin", &["admin"], "68").await;

    // A commune admin sees its commune only; another commune's record is a 404, not a 403.
    assert_eq!(app.get(&format!("/api/v1/accounts/{hoan_kiem_officer}"), &commune_admin).await.status(), 200);
    assert_problem(app.get(&format!("/api/v1/accounts/{cua_nam_officer}"), &commune_admin).await, 404, "not_found")
        .await;
    // The province token covers both communes.
    assert_eq!(app.get(&format!("/api/v1/accounts/{cua_nam_officer}"), &province_admin).await.status(), 200);
    assert_problem(
        app.get(&format!("/api/v1/accounts/{cua_nam_officer}"), &other_province_admin).await,
        404,
        "not_found",
    )
    .await;

    let listed: Value = json(app.get("/api/v1/accounts", &commune_admin).await).await;
    let names: Vec<&str> =
        listed["items"].as_array().unwrap().iter().map(|a| a["username"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["hk.admin", "hk.officer"]);
    assert_eq!(listed["total"], 2);
    let listed = json(app.get("/api/v1/accounts", &province_admin).await).await;
    assert_eq!(listed["total"], 4);

    // Nor can a commune admin create or move accounts outside its commune.
    let resp = app
        .post(
            "/api/v1/accounts",
            &commune_admin,
            &json!({"username": "x.out", "password": PASSWORD, "full_name": "X", "roles": ["police"], "unit": "00073"}),
        )
        .await;
    assert_eq!(assert_problem(resp, 422, "validation_failed").await["invalid_params"][0]["name"], "unit");
    let resp = app
        .post(
            "/api/v1/accounts",
            &province_admin,
            &json!({"username": "x.vn", "password": PASSWORD, "full_name": "X", "roles": ["admin"], "unit": "VN"}),
        )
        .await;
    assert_problem(resp, 422, "validation_failed").await;
    // Disabling out of jurisdiction is a 404 too.
    let resp = app.post(&format!("/api/v1/accounts/{cua_nam_officer}/disable"), &commune_admin, &json!({})).await;
    assert_problem(resp, 404, "not_found").await;
}

async fn stale_if_match_gets_412(app: TestApp) {
    let (id, _) = app.account("editme", &["police"], "00070").await;
    let path = format!("/api/v1/accounts/{id}");
    let resp = app.get(&path, &app.admin_token).await;
    let etag = resp.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(etag, "\"v1\"");

    // Two clerks PATCH concurrently with the same ETag: exactly one wins.
    let patch = |name: &'static str| {
        app.request(Method::PATCH, &path, &app.admin_token)
            .header("if-match", etag.clone())
            .json(&json!({"full_name": name}))
            .send()
    };
    let (a, b) = tokio::join!(patch("Nguyễn Văn A"), patch("Trần Thị B"));
    let mut statuses = vec![a.unwrap().status().as_u16(), b.unwrap().status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, vec![200, 412]);

    let current = app.get(&path, &app.admin_token).await;
    assert_eq!(current.headers()["etag"], "\"v2\"");
    let current = json(current).await;
    assert_eq!(current["version"], 2);
    // A further PATCH with the first ETag is refused and changes nothing.
    let resp = app
        .request(Method::PATCH, &path, &app.admin_token)
        .header("if-match", &etag)
        .json(&json!({"full_name": "Z"}))
        .send()
        .await
        .unwrap();
    assert_problem(resp, 412, "version_mismatch").await;
    let after = json(app.get(&path, &app.admin_token).await).await;
    assert_eq!(after["full_name"], current["full_name"]);
}

async fn idempotency_key_yields_one_effect(app: TestApp) {
    let body =
        json!({"username": "idem.user", "password": PASSWORD, "full_name": "Idem", "roles": ["labour"], "unit": "01"});
    let send = |b: Value| {
        app.request(Method::POST, "/api/v1/accounts", &app.admin_token)
            .header("idempotency-key", "key-1")
            .json(&b)
            .send()
    };
    // Several concurrent retries of the same request.
    let results = futures_util::future::join_all((0..5).map(|_| send(body.clone()))).await;
    let mut ids = Vec::new();
    for r in results {
        let r = r.unwrap();
        assert_eq!(r.status(), 201);
        ids.push(json(r).await["id"].as_str().unwrap().to_string());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every retry answered with the same account");
    let listed = json(app.get("/api/v1/accounts?q=idem.user", &app.admin_token).await).await;
    assert_eq!(listed["total"], 1);
    let created =
        json(app.get("/api/v1/audit-events?action=account.create&entity_type=account", &app.admin_token).await).await;
    let for_user =
        created["items"].as_array().unwrap().iter().filter(|e| e["after"]["username"] == "idem.user").count();
    assert_eq!(for_user, 1, "one audit event");

    // Same key, different body: 422.
    let mut other = body.clone();
    other["full_name"] = json!("Someone else");
    assert_problem(send(other).await.unwrap(), 422, "idempotency_key_reused").await;
    // A replay says so.
    let replay = send(body).await.unwrap();
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
}

async fn account_lifecycle_and_audit(app: TestApp) {
    let (id, _) = app.account("lifecycle", &["police"], "00070").await;
    let path = format!("/api/v1/accounts/{id}");
    let resp = app
        .request(Method::PATCH, &path, &app.admin_token)
        .header("if-match", "\"v1\"")
        .header("x-audit-reason", "Chuyển công tác")
        .json(&json!({"roles": ["police", "supervisor"], "unit": "00073"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let updated = json(resp).await;
    assert_eq!(updated["roles"], json!(["police", "supervisor"]));
    assert_eq!(updated["unit"], "00073");

    let trail = json(app.get(&format!("/api/v1/audit-events?entity_id={id}"), &app.admin_token).await).await;
    let actions: Vec<&str> = trail["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["account.update", "auth.token_issued", "account.create"], "newest first");
    let update = trail["items"].as_array().unwrap().iter().find(|e| e["action"] == "account.update").unwrap();
    assert_eq!(update["before"]["unit"], "00070");
    assert_eq!(update["after"]["unit"], "00073");
    assert_eq!(update["reason"], "Chuyển công tác");
    assert!(update["request_id"].is_string());
    assert!(update["before"].get("password_hash").is_none());
    // Roles changed: the account's old tokens were revoked by the update.
    let body = json(app.get("/api/v1/accounts?role=supervisor", &app.admin_token).await).await;
    assert_eq!(body["total"], 1);

    // Self-disable is refused.
    let me = json(app.get("/api/v1/me", &app.admin_token).await).await;
    let resp = app
        .post(&format!("/api/v1/accounts/{}/disable", me["sub"].as_str().unwrap()), &app.admin_token, &json!({}))
        .await;
    assert_problem(resp, 409, "cannot_disable_self").await;
    // Duplicate username.
    let resp = app
        .post("/api/v1/accounts", &app.admin_token, &json!({"username": "lifecycle", "password": PASSWORD, "full_name": "X", "roles": ["police"], "unit": "01"}))
        .await;
    assert_problem(resp, 409, "username_taken").await;
}

dual!(
    jurisdiction_is_enforced_in_queries,
    stale_if_match_gets_412,
    idempotency_key_yields_one_effect,
    account_lifecycle_and_audit
);
