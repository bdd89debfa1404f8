//! Fixtures shared by the test files: dates relative to today, person bodies, and response
//! helpers that fail with the status and body.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp};

/// Today in Vietnam, as the service sees it.
pub fn today() -> chrono::NaiveDate {
    thncd::time::today_vn()
}

/// The day `n` days before today, as `YYYY-MM-DD`.
pub fn days_ago(n: i64) -> String {
    (today() - chrono::Duration::days(n)).to_string()
}

/// A new person's body: a man born on 1985-03-02, in `unit`.
pub fn person(name: &str, unit: &str) -> Value {
    json!({"full_name": name, "gender": "male", "date_of_birth": "1985-03-02", "unit": unit})
}

/// A new person's body with the identity fields filled in.
pub fn identity(name: &str, id_number: Option<&str>, unit: &str) -> Value {
    json!({"full_name": name, "gender": "male", "date_of_birth": "1985-03-02", "id_number": id_number, "unit": unit,
           "village": "Thôn 3", "education": "9/12", "occupation": "farmer"})
}

/// The body of a successful response (`null` when empty); fails with `what`, the status and
/// the body otherwise.
pub async fn ok(resp: reqwest::Response, what: &str) -> Value {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert!(status.is_success(), "{what}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

pub async fn post_ok(app: &TestApp, path: &str, token: &str, body: &Value) -> Value {
    ok(app.post(path, token, body).await, path).await
}

/// Records the reception of person `id` on `on`, the commitment signed; the person after it.
pub async fn receive(app: &TestApp, token: &str, id: &str, on: impl serde::Serialize) -> Value {
    let body = json!({"received_on": on, "receiving_officer": "Đại úy Lê Văn Bình", "commitment_signed": true});
    post_ok(app, &format!("/api/v1/persons/{id}/reception"), token, &body).await
}

/// Opens the management file `file` of person `id` on `on`; the person after it.
pub async fn start_management(app: &TestApp, token: &str, id: &str, on: impl serde::Serialize, file: &str) -> Value {
    let body = json!({"started_on": on, "management_file_number": file});
    post_ok(app, &format!("/api/v1/persons/{id}/start-management"), token, &body).await
}

/// Posts `body` to `path` as a CSV file, as an import is sent.
pub async fn post_csv(app: &TestApp, path: &str, token: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
    app.request(reqwest::Method::POST, path, token).header("content-type", "text/csv").body(body).send().await.unwrap()
}

pub async fn get_ok(app: &TestApp, path: &str, token: &str) -> Value {
    ok(app.get(path, token).await, path).await
}

/// A release notice from Trại giam Nam Hà for `person`, sent `noticed` days ago for a release
/// `released` days ago.
pub fn notice_body(person: Value, noticed: i64, released: i64) -> Value {
    json!({"person": person, "facility": "Trại giam Nam Hà", "notice_date": days_ago(noticed),
           "expected_release_date": days_ago(released)})
}

/// Registers a person by the release notice `body`; returns the person id.
pub async fn notify(app: &TestApp, token: &str, body: &Value) -> String {
    let notice = ok(app.post("/api/v1/release-notices", token, body).await, "release notice").await;
    notice["person_id"].as_str().unwrap().to_string()
}

/// The commune committee certifies a loan-eligibility list today.
pub async fn certify_list(app: &TestApp, list: &str, committee: &str) {
    let certify = json!({"decision_number": "20/QĐ-UBND", "certified_on": days_ago(0)});
    ok(app.post(&format!("/api/v1/loan-eligibility-lists/{list}/certify"), committee, &certify).await, "certify").await;
}

/// The police send a certified list to the bank today.
pub async fn send_list(app: &TestApp, list: &str, police: &str) {
    ok(
        app.post(&format!("/api/v1/loan-eligibility-lists/{list}/send"), police, &json!({"on": days_ago(0)})).await,
        "send",
    )
    .await;
}

/// Certifies a loan-eligibility list and sends it to the bank, today.
pub async fn certify_and_send(app: &TestApp, list: &str, committee: &str, police: &str) {
    certify_list(app, list, committee).await;
    send_list(app, list, police).await;
}

/// Only the figures of an indicators body (it also carries unit, dates, targets, plans and
/// a timestamp).
pub fn figures_of(v: &Value) -> Value {
    let mut f = v.clone();
    for k in ["unit", "unit_name", "from", "to", "targets", "plans", "computed_at"] {
        f.as_object_mut().unwrap().remove(k);
    }
    f
}

/// A self-management group in `unit`, founded 90 days ago and launched 60 days ago after its
/// three earlier milestones; returns its id.
pub async fn launched_model(app: &TestApp, police: &str, unit: &str) -> String {
    let m = post_ok(
        app,
        "/api/v1/models",
        police,
        &json!({"name": "Tổ tự quản", "model_type": "self_management_group", "unit": unit,
                "sponsor_organisation": "fatherland_front", "founding_decision_number": "05/QĐ", "founding_decision_date": days_ago(90)}),
    )
    .await;
    let mid = m["id"].as_str().unwrap().to_string();
    for (step, ago) in
        [("committee_formed", 80), ("regulations_issued", 75), ("first_activities", 70), ("launched", 60)]
    {
        post_ok(
            app,
            &format!("/api/v1/models/{mid}/milestones"),
            police,
            &json!({"step": step, "achieved_on": days_ago(ago)}),
        )
        .await;
    }
    mid
}

/// Records a person's record as expunged on `on` (with the ETag the update needs).
pub async fn expunge(app: &TestApp, justice: &str, person_id: &str, on: &str) {
    let path = format!("/api/v1/persons/{person_id}");
    let etag = app.get(&path, justice).await.headers()["etag"].to_str().unwrap().to_string();
    let r = app
        .request(reqwest::Method::PUT, &format!("{path}/expungement"), justice)
        .header("if-match", etag)
        .json(&json!({"status": "expunged", "decided_on": on, "basis": "Điều 70 BLHS"}))
        .send()
        .await
        .unwrap();
    ok(r, "expunge").await;
}

/// Base64url without padding, as in a JWT.
pub const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A token's header and claims, decoded (the signature is not checked).
pub fn parts(token: &str) -> (Value, Value) {
    let mut it = token.split('.');
    let header = serde_json::from_slice(&B64.decode(it.next().unwrap()).unwrap()).unwrap();
    let claims = serde_json::from_slice(&B64.decode(it.next().unwrap()).unwrap()).unwrap();
    (header, claims)
}

/// Signs with the service's own development key (read from the data dir), so that only the
/// claim under test is wrong.
pub fn sign_with_service_key(app: &TestApp, claims: &Value) -> String {
    let pem = std::fs::read(app.settings.data_dir.join("jwt-dev-ed25519.pem")).unwrap();
    let (header, _) = parts(&app.admin_token);
    let mut h = Header::new(Algorithm::EdDSA);
    h.kid = header["kid"].as_str().map(str::to_string);
    jsonwebtoken::encode(&h, claims, &EncodingKey::from_ed_pem(&pem).unwrap()).unwrap()
}

/// An agency's own identity provider: a fresh Ed25519 key (`kid` `idp-1`) that the app
/// trusts through a JWKS file.
pub struct TrustedProvider {
    pem: String,
    _jwks_dir: tempfile::TempDir,
}

impl TrustedProvider {
    /// Starts the app trusting the provider's key for `issuers`.
    pub async fn spawn(backend: Backend, issuers: &[&str]) -> Option<(TestApp, TrustedProvider)> {
        use ed25519_dalek::pkcs8::EncodePrivateKey;
        let key = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
        let x = B64.encode(key.verifying_key().as_bytes());
        let dir = tempfile::tempdir().unwrap();
        let jwks_path = dir.path().join("jwks.json");
        let jwks = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "kid": "idp-1", "x": x}]});
        std::fs::write(&jwks_path, jwks.to_string()).unwrap();
        let issuers: Vec<String> = issuers.iter().map(|s| s.to_string()).collect();
        let app = TestApp::spawn_with(backend, move |s| {
            s.jwt.trusted_jwks_file = Some(jwks_path);
            s.jwt.trusted_issuers = issuers;
        })
        .await?;
        let pem = key.to_pkcs8_pem(Default::default()).unwrap().to_string();
        Some((app, TrustedProvider { pem, _jwks_dir: dir }))
    }

    /// The claims signed with the provider's key.
    pub fn sign(&self, claims: &Value) -> String {
        let mut h = Header::new(Algorithm::EdDSA);
        h.kid = Some("idp-1".into());
        jsonwebtoken::encode(&h, claims, &EncodingKey::from_ed_pem(self.pem.as_bytes()).unwrap()).unwrap()
    }
}

/// The `n` of a `SELECT COUNT(*) AS n …` run straight on the database.
pub fn count(conn: &mut thncd::db::DbConnection, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::RunQueryDsl::get_result::<N>(diesel::sql_query(sql), conn).unwrap().n
}

/// A request as a webhook receiver saw it.
pub type Received = (actix_web::http::header::HeaderMap, Vec<u8>);

/// A webhook receiver on this machine: records every request; answers 204, or 500 while
/// `failing` is set.
#[derive(Clone, Default)]
pub struct Receiver {
    pub got: Arc<Mutex<Vec<Received>>>,
    pub failing: Arc<AtomicBool>,
    /// Where it listens, on 127.0.0.1.
    pub port: u16,
}

impl Receiver {
    /// Starts one; returns it and its URL.
    pub async fn start(failing: bool) -> (Receiver, String) {
        let mut receiver = Receiver::default();
        receiver.failing.store(failing, Ordering::SeqCst);
        let state = receiver.clone();
        let server = HttpServer::new(move || {
            let state = state.clone();
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let state = state.clone();
                async move {
                    state.got.lock().unwrap().push((req.headers().clone(), body.to_vec()));
                    if state.failing.load(Ordering::SeqCst) {
                        HttpResponse::InternalServerError().finish()
                    } else {
                        HttpResponse::NoContent().finish()
                    }
                }
            }))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let port = server.addrs()[0].port();
        tokio::spawn(server.run());
        receiver.port = port;
        (receiver, format!("http://127.0.0.1:{port}/hook"))
    }

    /// The requests received so far.
    pub fn count(&self) -> usize {
        self.got.lock().unwrap().len()
    }
}

/// Waits up to 15 seconds for `f` to hold.
pub async fn wait_until(what: &str, f: impl Fn() -> bool) {
    for _ in 0..300 {
        if f() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}
