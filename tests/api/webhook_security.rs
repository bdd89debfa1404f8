//! Webhook security: the address policy (at creation and at each delivery, with a service
//! that does not allow private networks), delivery logs in generic terms, and subscriptions
//! paused when their owner loses the rights they were made with.

use std::time::Duration;

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::{wait_until, Receiver};
use crate::helpers::*;

/// Declares tests run on both databases by a service whose settings `$adjust` changes.
macro_rules! dual_with {
    ($adjust:path; $($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::helpers::TestApp::spawn_with($crate::helpers::Backend::Sqlite, $adjust)
                        .await
                        .unwrap();
                    super::$name(app).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) =
                        $crate::helpers::TestApp::spawn_with($crate::helpers::Backend::Postgres, $adjust).await
                    {
                        super::$name(app).await;
                    }
                }
            }
        )+
    };
}

/// A service that refuses private destinations, as in production (the other tests' services
/// allow them, to reach their local receivers).
fn public_only(s: &mut thncd::config::Settings) {
    s.worker.allow_private_urls = false;
}

/// Retries spaced widely enough for a test to act between two attempts.
fn slow_retries(s: &mut thncd::config::Settings) {
    s.worker.backoff_base_ms = 2500;
}

async fn subscribe(app: &TestApp, token: &str, url: &str) -> reqwest::Response {
    app.post("/api/v1/webhooks", token, &json!({"url": url, "event_types": ["person.expected"]})).await
}

async fn hook_id(app: &TestApp, token: &str, url: &str) -> String {
    let r = subscribe(app, token, url).await;
    assert_eq!(r.status(), 201, "subscribe {url}: {}", r.text().await.unwrap());
    json(r).await["id"].as_str().unwrap().to_string()
}

async fn create_person(app: &TestApp, token: &str, name: &str) {
    let body = json!({"full_name": name, "gender": "male", "date_of_birth": "1990-01-02", "unit": "00070"});
    let r = app.post("/api/v1/persons", token, &body).await;
    assert_eq!(r.status(), 201, "create person: {}", r.text().await.unwrap());
}

async fn deliveries(app: &TestApp, token: &str, hook: &str) -> Vec<Value> {
    let page = json(app.get(&format!("/api/v1/webhooks/{hook}/deliveries"), token).await).await;
    page["items"].as_array().unwrap_or_else(|| panic!("deliveries: {page}")).clone()
}

async fn wait_for_delivery(app: &TestApp, token: &str, hook: &str, ok: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..300 {
        if let Some(d) = deliveries(app, token, hook).await.into_iter().find(&ok) {
            return d;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no such delivery: {:?}", deliveries(app, token, hook).await);
}

fn set_url(app: &TestApp, hook: &str, url: &str) {
    use thncd::db::schema::webhook_subscriptions as ws;
    let mut conn = app.conn();
    let n = diesel::update(ws::table.filter(ws::id.eq(hook))).set(ws::url.eq(url)).execute(&mut *conn).unwrap();
    assert_eq!(n, 1);
}

async fn urls_that_reach_this_machine_are_refused_at_creation(app: TestApp) {
    let (_, police) = app.account("ca.ssrf", &["police"], "00070").await;
    let (hits, _) = Receiver::start(false).await;
    let port = hits.port;
    let refused = [
        format!("http://[::ffff:127.0.0.1]:{port}/hook"),
        format!("http://[::ffff:7f00:1]:{port}/hook"),
        "http://[::ffff:7f00:1]/".to_string(),
        format!("http://[::127.0.0.1]:{port}/hook"),
        format!("http://[64:ff9b::7f00:1]:{port}/hook"),
        format!("http://localhost:{port}/hook"),
        format!("http://2130706433:{port}/hook"),
        format!("http://0x7f.1:{port}/hook"),
        format!("http://0.0.0.0:{port}/hook"),
        format!("http://[::]:{port}/hook"),
        "http://[::ffff:169.254.169.254]/latest/meta-data/".to_string(),
        "http://[::ffff:a9fe:a9fe]/".to_string(),
        "http://169.254.169.254/".to_string(),
        "http://[fe80::1]/".to_string(),
        "http://[febf:ffff::1]/".to_string(),
        "http://100.64.0.1/".to_string(),
        "http://[::ffff:100.100.100.100]/".to_string(),
        "http://198.18.0.1/".to_string(),
        "http://[::ffff:198.19.255.1]/".to_string(),
        "http://[64:ff9b::a9fe:a9fe]/".to_string(),
        "http://[64:ff9b::a00:1]/".to_string(),
        "http://[64:ff9b:1::c0a8:101]/".to_string(),
        "http://10.1.2.3/".to_string(),
        "http://172.16.0.1/".to_string(),
        "http://192.168.1.1/".to_string(),
        "http://[fd00::1]/".to_string(),
        "http://192.0.2.1/".to_string(),
        "http://198.51.100.1/".to_string(),
        "http://203.0.113.1/".to_string(),
        "http://[2001:db8::1]/".to_string(),
        "http://224.0.0.1/".to_string(),
        "http://[ff02::1]/".to_string(),
        "http://255.255.255.255/".to_string(),
        "http://240.0.0.1/".to_string(),
    ];
    for url in &refused {
        let p = assert_problem(subscribe(&app, &police, url).await, 422, "validation_failed").await;
        assert_eq!(p["invalid_params"][0]["name"], "url", "{url}: {p}");
        // The answer says nothing of what the name or address leads to.
        assert_eq!(p["invalid_params"][0]["reason"], "must resolve to public internet addresses only", "{url}");
    }
    assert!(json(app.get("/api/v1/webhooks", &police).await).await.as_array().unwrap().is_empty());
    // A public address is accepted (the check refuses the special ranges, not everything).
    hook_id(&app, &police, "https://8.8.8.8/hook").await;
    hook_id(&app, &police, "https://[2001:4860:4860::8888]/hook").await;
    assert_eq!(hits.count(), 0, "nothing was sent to this machine");
}

async fn a_destination_turned_internal_is_dead_lettered_with_a_generic_reason(app: TestApp) {
    let (_, police) = app.account("ca.rebind", &["police"], "00070").await;
    let (hits, _) = Receiver::start(false).await;
    let port = hits.port;
    // Both accepted as public, then (as a DNS answer that changes would) pointed at this
    // machine before the first delivery: by address, and by a name resolving to loopback.
    let literal = hook_id(&app, &police, "https://8.8.8.8/hook").await;
    let named = hook_id(&app, &police, "https://8.8.4.4/hook").await;
    set_url(&app, &literal, &format!("http://127.0.0.1:{port}/hook"));
    set_url(&app, &named, &format!("http://localhost:{port}/hook"));
    create_person(&app, &police, "Rebind Test").await;
    for hook in [&literal, &named] {
        let dead = wait_for_delivery(&app, &police, hook, |d| d["status"] == "dead").await;
        assert_eq!(dead["attempts"], 1, "refused at once, not retried: {dead}");
        assert_eq!(dead["last_error"], "destination refused by address policy");
        assert_eq!(dead["last_status_code"], Value::Null);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(hits.count(), 0, "the receiver on this machine got nothing");
}

/// With private networks allowed (the harness default), the delivery log still says only
/// whether the receiver answered: a closed port and a port that never answers read alike.
async fn delivery_failures_are_logged_in_generic_terms(app: TestApp) {
    let (_, police) = app.account("ca.log", &["police"], "00070").await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    // Bound and listening, never accepting: the connection is made, no answer ever comes.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    let (_failing, failing_url) = Receiver::start(true).await;
    let to_closed = hook_id(&app, &police, &format!("http://127.0.0.1:{closed}/hook")).await;
    let to_silent = hook_id(&app, &police, &format!("http://127.0.0.1:{silent_port}/hook")).await;
    let to_failing = hook_id(&app, &police, &failing_url).await;
    create_person(&app, &police, "Log Test").await;
    let attempted = |d: &Value| d["attempts"].as_i64().unwrap_or(0) >= 1;
    let a = wait_for_delivery(&app, &police, &to_closed, attempted).await;
    let b = wait_for_delivery(&app, &police, &to_silent, attempted).await;
    let c = wait_for_delivery(&app, &police, &to_failing, attempted).await;
    assert_eq!(a["last_error"], "no answer from the destination", "{a}");
    assert_eq!(b["last_error"], a["last_error"], "a timeout reads as a refused connection: {b}");
    assert_eq!(a["last_status_code"], Value::Null);
    assert_eq!(b["last_status_code"], Value::Null);
    assert_eq!(c["last_error"], "the destination answered with an error status", "{c}");
    assert_eq!(c["last_status_code"], 500);
    drop(silent);
}

async fn audit_pauses(app: &TestApp, hook: &str) -> Vec<Value> {
    let page =
        json(app.get(&format!("/api/v1/audit-events?action=webhook.pause&entity_id={hook}"), &app.admin_token).await)
            .await;
    page["items"].as_array().unwrap_or_else(|| panic!("audit: {page}")).clone()
}

async fn client_token(app: &TestApp, client_id: &str, secret: &str) -> String {
    let r = app.client_grant(client_id, secret).await;
    assert_eq!(r.status(), 200);
    json(r).await["access_token"].as_str().unwrap().to_string()
}

async fn a_disabled_clients_subscriptions_are_paused(app: TestApp) {
    let created = json(
        app.post(
            "/api/v1/clients",
            &app.admin_token,
            &json!({"name": "CA Hoàn Kiếm system", "roles": ["police"], "unit": "00070"}),
        )
        .await,
    )
    .await;
    let (id, client_id) = (created["id"].as_str().unwrap(), created["client_id"].as_str().unwrap());
    let secret = created["client_secret"].as_str().unwrap();
    let client = client_token(&app, client_id, secret).await;
    let (_, police) = app.account("ca.control", &["police"], "00070").await;
    let (client_hits, client_url) = Receiver::start(false).await;
    let (control_hits, control_url) = Receiver::start(false).await;
    let hook = hook_id(&app, &client, &client_url).await;
    let control = hook_id(&app, &police, &control_url).await;
    // Delivered while the client holds its rights.
    create_person(&app, &police, "Trước Khi Khoá").await;
    wait_until("both first deliveries", || client_hits.count() == 1 && control_hits.count() == 1).await;

    let r = app.request(Method::POST, &format!("/api/v1/clients/{id}/disable"), &app.admin_token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    create_person(&app, &police, "Sau Khi Khoá").await;
    wait_until("the control subscription's second delivery", || control_hits.count() == 2).await;
    wait_for_delivery(&app, &police, &control, |d| d["status"] == "delivered" && d["attempts"] == 1).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(client_hits.count(), 1, "a disabled client gets nothing more");
    let pauses = audit_pauses(&app, &hook).await;
    assert_eq!(pauses.len(), 1, "{pauses:?}");
    assert_eq!(pauses[0]["actor_kind"], "system");

    // Enabled again, the client sees its subscription paused, and why; it stays paused.
    let r = app.request(Method::POST, &format!("/api/v1/clients/{id}/enable"), &app.admin_token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let client = client_token(&app, client_id, secret).await;
    let view = json(app.get(&format!("/api/v1/webhooks/{hook}"), &client).await).await;
    assert_eq!(view["state"], "paused", "{view}");
    assert_eq!(view["paused_reason"], "owner_disabled");
    assert_eq!(view["active"], false);
    assert!(view["paused_at"].is_string());
    assert_eq!(deliveries(&app, &client, &hook).await.len(), 1, "no delivery was made for the second event");
    create_person(&app, &police, "Sau Khi Mở Lại").await;
    wait_until("the control subscription's third delivery", || control_hits.count() == 3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(client_hits.count(), 1);
    assert_eq!(audit_pauses(&app, &hook).await.len(), 1, "paused once");
}

async fn patch_account(app: &TestApp, id: &str, body: Value) {
    let path = format!("/api/v1/accounts/{id}");
    let etag = app.get(&path, &app.admin_token).await.headers()["etag"].to_str().unwrap().to_string();
    let r =
        app.request(Method::PATCH, &path, &app.admin_token).header("if-match", etag).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

async fn an_account_moved_or_given_other_roles_gets_nothing_more(app: TestApp) {
    let (moved_id, moved) = app.account("ca.moved", &["police"], "00070").await;
    let (regraded_id, regraded) = app.account("ca.regraded", &["police"], "00070").await;
    let (_, police) = app.account("ca.stays", &["police"], "00070").await;
    let (moved_hits, moved_url) = Receiver::start(false).await;
    let (regraded_hits, regraded_url) = Receiver::start(false).await;
    let (control_hits, control_url) = Receiver::start(false).await;
    let moved_hook = hook_id(&app, &moved, &moved_url).await;
    let regraded_hook = hook_id(&app, &regraded, &regraded_url).await;
    hook_id(&app, &police, &control_url).await;

    patch_account(&app, &moved_id, json!({"unit": "00073"})).await;
    patch_account(&app, &regraded_id, json!({"roles": ["labour"]})).await;
    create_person(&app, &police, "Sau Khi Chuyển").await;
    wait_until("the control delivery", || control_hits.count() == 1).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(moved_hits.count(), 0, "an account moved to another unit gets nothing more");
    assert_eq!(regraded_hits.count(), 0, "an account given other roles gets nothing more");

    let moved = app.login("ca.moved", PASSWORD).await;
    let view = json(app.get(&format!("/api/v1/webhooks/{moved_hook}"), &moved).await).await;
    assert_eq!((view["state"].as_str(), view["paused_reason"].as_str()), (Some("paused"), Some("owner_unit_changed")));
    let regraded = app.login("ca.regraded", PASSWORD).await;
    let listed = json(app.get("/api/v1/webhooks", &regraded).await).await;
    assert_eq!(listed[0]["id"], regraded_hook.as_str());
    assert_eq!(listed[0]["state"], "paused", "{listed}");
    assert_eq!(listed[0]["paused_reason"], "owner_roles_changed");
    for hook in [&moved_hook, &regraded_hook] {
        assert_eq!(audit_pauses(&app, hook).await.len(), 1, "one audit event per pause");
    }
    assert!(deliveries(&app, &moved, &moved_hook).await.is_empty());
    assert!(deliveries(&app, &regraded, &regraded_hook).await.is_empty());
}

async fn a_queued_delivery_is_not_sent_once_its_owner_is_disabled(app: TestApp) {
    let (owner_id, owner) = app.account("ca.queued", &["police"], "00070").await;
    let (_, police) = app.account("ca.maker", &["police"], "00070").await;
    let (hits, url) = Receiver::start(true).await;
    let hook = hook_id(&app, &owner, &url).await;
    create_person(&app, &police, "Hàng Đợi").await;
    // The first attempt fails; the next is due 2.5 s later.
    let queued = wait_for_delivery(&app, &owner, &hook, |d| d["status"] == "retrying").await;
    assert_eq!(hits.count(), 1);
    let r = app
        .request(Method::POST, &format!("/api/v1/accounts/{owner_id}/disable"), &app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    tokio::time::sleep(Duration::from_millis(4000)).await;
    assert_eq!(hits.count(), 1, "the queued retry was not sent");
    assert_eq!(audit_pauses(&app, &hook).await.len(), 1);
    let r = app.request(Method::POST, &format!("/api/v1/accounts/{owner_id}/enable"), &app.admin_token).send().await;
    assert_eq!(r.unwrap().status(), 200);
    let owner = app.login("ca.queued", PASSWORD).await;
    let after = deliveries(&app, &owner, &hook).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0]["id"], queued["id"]);
    assert_eq!(after[0]["status"], "cancelled", "{after:?}");
    assert_eq!(after[0]["attempts"], 1);
}

dual_with!(super::public_only;
    urls_that_reach_this_machine_are_refused_at_creation,
    a_destination_turned_internal_is_dead_lettered_with_a_generic_reason,
);

dual_with!(super::slow_retries; a_queued_delivery_is_not_sent_once_its_owner_is_disabled);

dual!(
    delivery_failures_are_logged_in_generic_terms,
    a_disabled_clients_subscriptions_are_paused,
    an_account_moved_or_given_other_roles_gets_nothing_more,
);
