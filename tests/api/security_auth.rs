//! Issue 20, second security pass: failed-login storage, password changes under the lockout,
//! token kinds, audit of criminal-data reads, duplicate ID numbers.

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::{parts, sign_with_service_key, TrustedProvider};
use crate::helpers::*;

#[derive(QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
}

/// Every text of the rows a failed login leaves: the address-failure rows and the audit rows.
fn stored_failure_text(app: &TestApp) -> String {
    let mut conn = app.conn();
    let failures: Vec<Text> =
        diesel::sql_query("SELECT address || '|' || username AS t FROM login_failures").load(&mut *conn).unwrap();
    let audit: Vec<Text> = diesel::sql_query(
        "SELECT action || '|' || COALESCE(entity_id, '') || '|' || COALESCE(after_json, '') || '|' \
         || COALESCE(before_json, '') AS t FROM audit_events WHERE action = 'auth.login_failed'",
    )
    .load(&mut *conn)
    .unwrap();
    failures.into_iter().chain(audit).map(|r| r.t).collect::<Vec<_>>().join("\n")
}

/// Finding 11: people type their password into the username field; an unknown username is
/// kept only as a keyed hash, in the failure rows and in the audit trail.
async fn an_unknown_username_is_stored_as_a_keyed_hash(app: TestApp) {
    let typed = "Hunter2-my-Password!";
    for _ in 0..2 {
        let resp = app.token_request(&[("grant_type", "password"), ("username", typed), ("password", "x")]).await;
        assert_eq!(json(resp).await["error"], "invalid_grant");
    }
    let stored = stored_failure_text(&app);
    assert!(!stored.is_empty(), "the failures were recorded");
    assert!(!stored.to_lowercase().contains(&typed.to_lowercase()), "verbatim username stored: {stored}");
    // Not a bare (unkeyed) digest either: anyone could test guesses against that.
    use sha2::Digest;
    let plain = hex::encode(sha2::Sha256::digest(typed.as_bytes()));
    assert!(!stored.contains(&plain), "unkeyed SHA-256 stored: {stored}");
    // The same name gives the same hash (the failures of one name can still be grouped).
    let mut conn = app.conn();
    let names: Vec<Text> =
        diesel::sql_query("SELECT DISTINCT username AS t FROM login_failures").load(&mut *conn).unwrap();
    assert_eq!(names.len(), 1, "two failures of one name, one hash");
    assert!(names[0].t.len() >= 32, "{}", names[0].t);
    let events = json(app.get("/api/v1/audit-events?action=auth.login_failed", &app.admin_token).await).await;
    assert_eq!(events["total"], 2);
    assert!(!events.to_string().contains(typed), "{events}");
}

/// Finding 12: a wrong `current_password` is a failed login: it counts toward the account's
/// lockout and the address's failure limit, and it is audited.
async fn a_wrong_current_password_counts_as_a_failed_login(app: TestApp) {
    let (id, token) = app.account("clerk.pw", &["commune_committee"], "00070").await;
    let path = format!("/api/v1/accounts/{id}/password");
    for _ in 0..5 {
        let resp = app
            .post(&path, &token, &json!({"current_password": "Not-mine-123", "new_password": "New-password-22"}))
            .await;
        assert_problem(resp, 422, "validation_failed").await;
    }
    // Five wrong guesses lock the account: the right password no longer logs in ...
    let body =
        json(app.token_request(&[("grant_type", "password"), ("username", "clerk.pw"), ("password", PASSWORD)]).await)
            .await;
    assert_eq!(body["error"], "invalid_grant", "{body}");
    // ... nor changes the password while the lock holds.
    let resp = app.post(&path, &token, &json!({"current_password": PASSWORD, "new_password": "New-password-22"})).await;
    assert_problem(resp, 422, "validation_failed").await;
    let failed =
        json(app.get(&format!("/api/v1/audit-events?action=auth.login_failed&entity_id={id}"), &app.admin_token).await)
            .await;
    assert_eq!(failed["total"], 7, "five guesses, the refused login and the refused change: {failed}");
    let locked = json(app.get("/api/v1/audit-events?action=auth.account_locked", &app.admin_token).await).await;
    assert_eq!(locked["total"], 1);

    // The address limit counts them as well: 13 more failures reach twenty from this address.
    let (id2, token2) = app.account("clerk.pw2", &["commune_committee"], "00070").await;
    let path2 = format!("/api/v1/accounts/{id2}/password");
    for _ in 0..13 {
        let resp = app
            .post(&path2, &token2, &json!({"current_password": "Not-mine-123", "new_password": "New-password-22"}))
            .await;
        assert!(resp.status() == 422, "{}", resp.status());
    }
    let resp =
        app.post(&path2, &token2, &json!({"current_password": PASSWORD, "new_password": "New-password-22"})).await;
    assert_problem(resp, 429, "too_many_requests").await;
    let resp =
        app.token_request(&[("grant_type", "password"), ("username", "root"), ("password", ADMIN_PASSWORD)]).await;
    assert_problem(resp, 429, "too_many_requests").await;
}

/// Finding 13: a token signed with the service's own key must say which kind of principal it
/// stands for, `account` or `client`, and carry its stamp; without `pty`, or with another
/// kind, it would skip the revocation check, so it is refused.
async fn a_token_of_no_known_kind_is_refused(app: TestApp) {
    let (_, claims) = parts(&app.admin_token);
    let now = chrono::Utc::now().timestamp();
    let mut fine = claims.clone();
    fine["iat"] = json!(now);
    fine["exp"] = json!(now + 600);
    assert_eq!(app.get("/api/v1/me", &sign_with_service_key(&app, &fine)).await.status(), 200);
    let mut cases = Vec::new();
    let mut no_pty = fine.clone();
    no_pty.as_object_mut().unwrap().remove("pty");
    cases.push(("no pty", no_pty));
    for kind in ["external", "robot", "", "ACCOUNT"] {
        let mut c = fine.clone();
        c["pty"] = json!(kind);
        cases.push(("unknown kind", c));
    }
    let mut no_stamp = fine.clone();
    no_stamp.as_object_mut().unwrap().remove("stamp");
    cases.push(("no stamp", no_stamp));
    for (what, c) in cases {
        let resp = app.get("/api/v1/me", &sign_with_service_key(&app, &c)).await;
        assert_eq!(resp.status(), 401, "{what}: {c}");
        assert_problem(resp, 401, "unauthorized").await;
    }
    // A disabled account's forged kind-less token is refused too (it would have skipped the check).
    let (id, token) = app.account("officer.kind", &["police"], "00070").await;
    app.post(&format!("/api/v1/accounts/{id}/disable"), &app.admin_token, &json!({})).await;
    let (_, mut c) = parts(&token);
    c.as_object_mut().unwrap().remove("pty");
    assert_problem(app.get("/api/v1/me", &sign_with_service_key(&app, &c)).await, 401, "unauthorized").await;
}

dual!(
    an_unknown_username_is_stored_as_a_keyed_hash,
    a_wrong_current_password_counts_as_a_failed_login,
    a_token_of_no_known_kind_is_refused,
);

/// Finding 13, the trusted-provider side: an agency provider's tokens are external ones; it
/// cannot mint `account` or `client` tokens, nor tokens of an unknown kind.
async fn trusted_provider_tokens_are_external_only(backend: Backend) {
    // Misconfigured on purpose: the provider is also listed for the service's own issuer.
    let issuers = ["https://idp.police.example", "thncd-test"];
    let Some((app, idp)) = TrustedProvider::spawn(backend, &issuers).await else { return };
    let sign = |claims: &Value| idp.sign(claims);
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"sub": "officer-77", "iss": "https://idp.police.example", "aud": "thncd-api", "iat": now,
                        "exp": now + 600, "jti": "x", "roles": ["police"], "unit": "01"});
    assert_eq!(json(app.get("/api/v1/me", &sign(&claims)).await).await["kind"], "external");
    let mut explicit = claims.clone();
    explicit["pty"] = json!("external");
    assert_eq!(app.get("/api/v1/me", &sign(&explicit)).await.status(), 200);
    // The provider's key may not speak for the service's own issuer, even when listed.
    let mut own_issuer = claims.clone();
    own_issuer["iss"] = json!("thncd-test");
    assert_problem(app.get("/api/v1/me", &sign(&own_issuer)).await, 401, "unauthorized").await;
    // Nor mint tokens of the service's own kinds, nor of an unknown kind.
    let root = json(app.get("/api/v1/me", &app.admin_token).await).await;
    let (_, root_claims) = parts(&app.admin_token);
    for kind in ["account", "client", "robot"] {
        let mut c = claims.clone();
        c["pty"] = json!(kind);
        c["sub"] = root["sub"].clone();
        c["stamp"] = root_claims["stamp"].clone();
        c["roles"] = json!(["admin"]);
        c["unit"] = json!("VN");
        assert_problem(app.get("/api/v1/me", &sign(&c)).await, 401, "unauthorized").await;
    }
}

crate::dual_backend!(trusted_provider_tokens_are_external_only);

/// The `person.read` events of the audit trail, as the national admin sees them.
async fn read_events(app: &TestApp) -> Vec<Value> {
    let body = json(app.get("/api/v1/audit-events?action=person.read&page_size=100", &app.admin_token).await).await;
    body["items"].as_array().unwrap().clone()
}

/// Finding 6: every response that carries criminal data is audited, one event per request
/// naming the person ids it returned; audit rows carry the unit and its province, so a
/// province auditor sees the exports and webhook events of its province.
async fn criminal_data_reads_are_audited(app: TestApp) {
    let (police_id, police) = app.account("ca.audit", &["police"], "00070").await;
    let mut ids = Vec::new();
    for (name, number) in [("Lê Văn Một", "001085011111"), ("Lê Văn Hai", "001085022222")] {
        let person = json!({"full_name": name, "gender": "male", "date_of_birth": "1985-03-02",
                            "id_number": number, "unit": "00070", "village": "Thôn 3"});
        let resp = app.post("/api/v1/persons", &police, &person).await;
        assert_eq!(resp.status(), 201);
        ids.push(json(resp).await["id"].as_str().unwrap().to_string());
    }
    ids.sort();
    assert!(read_events(&app).await.is_empty());

    // One request, one event, with exactly the ids returned.
    let list = json(app.get("/api/v1/persons?page_size=50", &police).await).await;
    assert_eq!(list["total"], 2);
    let events = read_events(&app).await;
    assert_eq!(events.len(), 1, "{events:?}");
    let mut named: Vec<String> =
        events[0]["after"]["ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    named.sort();
    assert_eq!(named, ids);
    assert_eq!(events[0]["actor_sub"], police_id.as_str());

    let reads = [
        format!("/api/v1/persons/{}", ids[0]),
        format!("/api/v1/persons/{}/convictions", ids[0]),
        format!("/api/v1/persons/{}/expungement", ids[0]),
        format!("/api/v1/persons/{}/judicial-record-requests", ids[0]),
    ];
    for (n, path) in reads.iter().enumerate() {
        assert_eq!(app.get(path, &police).await.status(), 200, "{path}");
        let events = read_events(&app).await;
        assert_eq!(events.len(), n + 2, "one event for {path}: {events:?}");
        assert_eq!(events[0]["after"]["ids"], json!([ids[0]]), "{path}: {}", events[0]);
        assert_eq!(events[0]["entity_id"], ids[0].as_str(), "{path}");
        assert_eq!(events[0]["unit_code"], "00070");
    }
    // A list that returns nobody names nobody and writes nothing.
    app.get("/api/v1/persons?q=nobody-at-all", &police).await;
    assert_eq!(read_events(&app).await.len(), reads.len() + 1);

    // Exports and webhooks: the Hà Nội auditor sees those of its province, not another's.
    let (_, hanoi_auditor) = app.account("hn.auditor6", &["auditor"], "01").await;
    let (_, other_auditor) = app.account("ld.auditor6", &["auditor"], "24").await;
    let resp = app.get("/api/v1/exports/persons?list=managed", &police).await;
    assert_eq!(resp.status(), 200);
    let (_, hanoi_police) = app.account("ca.hanoi6", &["police"], "01").await;
    for token in [&police, &hanoi_police] {
        let resp = app
            .post(
                "/api/v1/webhooks",
                token,
                &json!({"url": "http://127.0.0.1:9/hook", "event_types": ["person.expected"]}),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }
    for (action, expected) in [("persons.export", 1), ("webhook.create", 2), ("person.read", 5)] {
        let seen = json(app.get(&format!("/api/v1/audit-events?action={action}"), &hanoi_auditor).await).await;
        assert_eq!(seen["total"], expected, "{action} seen by the province auditor: {seen}");
        let seen = json(app.get(&format!("/api/v1/audit-events?action={action}"), &other_auditor).await).await;
        assert_eq!(seen["total"], 0, "{action} seen by another province's auditor: {seen}");
    }
    // Every audit row names a unit and, below the national level, its province.
    let all = json(app.get("/api/v1/audit-events?page_size=200", &hanoi_auditor).await).await;
    for e in all["items"].as_array().unwrap() {
        if e["action"] == "persons.export" || e["action"] == "webhook.create" || e["action"] == "person.read" {
            assert_eq!(e["province_code"], "01", "{e}");
            assert!(e["actor_unit_code"].is_string(), "{e}");
            assert_eq!(e["actor_province_code"], "01", "{e}");
        }
    }
}

dual!(criminal_data_reads_are_audited);

/// Reads made at the same moment share a batch of the audit trail, yet each answer waits for
/// its own event: after every concurrent read has answered, each has exactly one event, with
/// its own request id.
async fn concurrent_reads_each_commit_their_own_event(app: TestApp) {
    let (_, police) = app.account("ca.audit.many", &["police"], "00070").await;
    let person = json!({"full_name": "Lê Văn Ba", "gender": "male", "date_of_birth": "1985-03-02",
                        "id_number": "001085033333", "unit": "00070", "village": "Thôn 3"});
    let resp = app.post("/api/v1/persons", &police, &person).await;
    assert_eq!(resp.status(), 201);
    let id = json(resp).await["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/persons/{id}");
    let reads = 24;
    let answers = futures_util::future::join_all((0..reads).map(|_| app.get(&path, &police))).await;
    let mut request_ids = Vec::new();
    for resp in answers {
        assert_eq!(resp.status(), 200);
        request_ids.push(resp.headers()["x-request-id"].to_str().unwrap().to_string());
    }
    // Read at once, without waiting: the events are already committed.
    let events = read_events(&app).await;
    assert_eq!(events.len(), reads, "{events:?}");
    let mut audited: Vec<String> = events.iter().map(|e| e["request_id"].as_str().unwrap().to_string()).collect();
    audited.sort();
    request_ids.sort();
    assert_eq!(audited, request_ids);
    assert!(events.iter().all(|e| e["entity_id"] == id.as_str() && e["after"]["operation"] == "get_person"));
}

dual!(concurrent_reads_each_commit_their_own_event);

/// Finding 8: a duplicate ID number is still refused, with the same bare answer wherever the
/// other record is; the attempt is audited, and the provincial police of both sides see it
/// in the conflict list.
async fn duplicate_id_numbers_disclose_nothing_and_reach_the_province(app: TestApp) {
    let (_, police) = app.account("ca.dup", &["police"], "00070").await;
    let (_, far_police) = app.account("ca.dup.far", &["police"], "24829").await;
    let person = |name: &str, unit: &str| {
        json!({"full_name": name, "gender": "male", "date_of_birth": "1985-03-02", "id_number": "001085033333",
               "unit": unit, "village": "Thôn 3"})
    };
    let resp = app.post("/api/v1/persons", &police, &person("Đỗ Văn Một", "00070")).await;
    assert_eq!(resp.status(), 201);
    let existing = json(resp).await["id"].as_str().unwrap().to_string();

    let far = assert_problem(
        app.post("/api/v1/persons", &far_police, &person("Đỗ Văn Hai", "24829")).await,
        409,
        "duplicate_id_number",
    )
    .await;
    let near = assert_problem(
        app.post("/api/v1/persons", &police, &person("Đỗ Văn Ba", "00070")).await,
        409,
        "duplicate_id_number",
    )
    .await;
    for body in [&far, &near] {
        let text = body.to_string();
        assert!(!text.contains(&existing) && !text.contains("00070") && !text.contains("\"01\""), "{text}");
    }
    assert_eq!(far["detail"], near["detail"], "the same answer in and out of the unit");

    let audited = json(app.get("/api/v1/audit-events?action=person.id_number_conflict", &app.admin_token).await).await;
    assert_eq!(audited["total"], 2, "{audited}");

    // Hà Nội's provincial police see both (the record is theirs), with the record's id.
    let (_, hanoi_police) = app.account("ca.hanoi.dup", &["police"], "01").await;
    let list = json(app.get("/api/v1/id-number-conflicts", &hanoi_police).await).await;
    assert_eq!(list["total"], 2, "{list}");
    assert_eq!(list["items"][0]["existing_person_id"], existing.as_str());
    assert_eq!(list["items"][0]["id_number"], "001085033333");
    // Lâm Đồng's (province 68) see the attempt made there, without the other province's record id.
    let (_, far_province) = app.account("ca.ld.dup", &["police"], "68").await;
    let list = json(app.get("/api/v1/id-number-conflicts", &far_province).await).await;
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["items"][0]["attempted_unit"], "24829");
    assert_eq!(list["items"][0]["existing_unit"], "00070");
    assert!(list["items"][0]["existing_person_id"].is_null(), "{list}");
    let (_, other_province) = app.account("ca.bn.dup", &["police"], "24").await;
    assert_eq!(json(app.get("/api/v1/id-number-conflicts", &other_province).await).await["total"], 0);
    // Commune police see the conflicts touching their commune: the record's own commune both,
    // with its id; the far commune its attempt only, without the other commune's record id.
    let list = json(app.get("/api/v1/id-number-conflicts", &police).await).await;
    assert_eq!(list["total"], 2, "{list}");
    assert_eq!(list["items"][0]["existing_person_id"], existing.as_str());
    let list = json(app.get("/api/v1/id-number-conflicts", &far_police).await).await;
    assert_eq!(list["total"], 1, "{list}");
    assert!(list["items"][0]["existing_person_id"].is_null(), "{list}");
    // Other roles do not get the list.
    let (_, bank) = app.account("nh.dup", &["bank"], "01").await;
    assert_problem(app.get("/api/v1/id-number-conflicts", &bank).await, 403, "forbidden").await;
}

dual!(duplicate_id_numbers_disclose_nothing_and_reach_the_province);
