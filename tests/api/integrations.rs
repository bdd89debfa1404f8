//! Integrations: the outbox feed (with its change, never without it; resumable under
//! concurrent writes), signed webhook deliveries with retry, dead letter and replay against
//! receivers started here, all-or-nothing imports, and exports limited to the caller's view.

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Sha256;

use crate::dual;
use crate::fixtures::{post_csv, receive, wait_until, Receiver};
use crate::helpers::*;

fn person(name: &str, unit: &str) -> Value {
    json!({"full_name": name, "gender": "male", "date_of_birth": "1990-01-02", "unit": unit})
}

async fn create_person(app: &TestApp, token: &str, name: &str, unit: &str) -> String {
    let r = app.post("/api/v1/persons", token, &person(name, unit)).await;
    assert_eq!(r.status(), 201, "create person: {}", r.text().await.unwrap());
    json(r).await["id"].as_str().unwrap().to_string()
}

/// Reads the feed from `after` to its end, `limit` at a time; returns events and last cursor.
async fn drain(app: &TestApp, token: &str, types: &str, after: &str, limit: u32) -> (Vec<Value>, String) {
    let mut cursor = after.to_string();
    let mut out = Vec::new();
    loop {
        let page =
            json(app.get(&format!("/api/v1/events?after={cursor}&types={types}&limit={limit}"), token).await).await;
        let items = page["items"].as_array().unwrap_or_else(|| panic!("feed page: {page}")).clone();
        let next = page["next_cursor"].as_str().unwrap().to_string();
        if items.is_empty() {
            assert_eq!(next, cursor, "an empty page keeps the cursor");
            return (out, cursor);
        }
        assert_eq!(items.last().unwrap()["cursor"], next.as_str());
        out.extend(items);
        cursor = next;
    }
}

/// Reads the feed until it holds at least `n` events. On PostgreSQL the feed holds back
/// events behind any write transaction still running (tests share the server), so a
/// fresh event may take a moment to appear.
async fn feed_until(app: &TestApp, token: &str, types: &str, n: usize) -> Vec<Value> {
    for _ in 0..300 {
        let (events, _) = drain(app, token, types, "0-0", 1000).await;
        if events.len() >= n {
            return events;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the feed never reached {n} events of `{types}`");
}

async fn events_follow_their_changes(app: TestApp) {
    let (_, police) = app.account("ca.events", &["police"], "00070").await;
    let (_, other_commune) = app.account("ca.other", &["police"], "00073").await;
    let (_, justice) = app.account("tp.events", &["justice"], "01").await;
    let (_, bank) = app.account("nh.events", &["bank"], "01").await;

    let id = create_person(&app, &police, "Lê Văn Sự Kiện", "00070").await;
    let events = feed_until(&app, &police, "person.expected", 1).await;
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_eq!(e["type"], "person.expected");
    assert_eq!(e["entity_type"], "person");
    assert_eq!(e["entity_id"], id.as_str());
    assert_eq!(e["unit"], "00070");
    // Minimal payload: no personal data travels in an event.
    let keys: HashSet<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, HashSet::from(["cursor", "id", "type", "entity_type", "entity_id", "unit", "occurred_at"]));

    // A change that rolls back leaves no event (and no change) behind.
    let before = json(app.get(&format!("/api/v1/persons/{id}"), &police).await).await;
    let result: Result<(), thncd::error::ApiError> = {
        let mut conn = app.conn();
        thncd::db::write_tx(&mut conn, |c| {
            use diesel::prelude::*;
            use thncd::db::schema::persons as p;
            diesel::update(p::table.filter(p::id.eq(&id))).set(p::full_name.eq("Đổi tên")).execute(c)?;
            thncd::db::events::emit(c, "person.status_changed", "person", &id, "00070", "01")?;
            Err(thncd::error::ApiError::invalid("test", "roll back"))
        })
    };
    assert!(result.is_err());
    let after = json(app.get(&format!("/api/v1/persons/{id}"), &police).await).await;
    assert_eq!(after["full_name"], before["full_name"]);
    let (all, _) = drain(&app, &police, "", "0-0", 100).await;
    assert_eq!(all.len(), 1, "only the committed change has an event: {all:?}");

    // Transitions write their events with them.
    receive(&app, &police, &id, &thncd::time::today_vn().to_string()).await;
    let all = feed_until(&app, &police, "", 2).await;
    let types: Vec<&str> = all.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["person.expected", "person.received"]);

    // Jurisdiction and purpose: another commune hears nothing, the province's justice
    // office hears of persons, the bank hears of no person at all.
    assert!(drain(&app, &other_commune, "", "0-0", 100).await.0.is_empty());
    assert_eq!(drain(&app, &justice, "", "0-0", 100).await.0.len(), 2);
    assert!(drain(&app, &bank, "person.expected", "0-0", 100).await.0.is_empty());
    assert!(drain(&app, &bank, "", "0-0", 100).await.0.is_empty());

    // The expungement-due job: a person whose forecast date has arrived is announced once,
    // to those who follow criminal records; the justice office's webhook hears of it.
    let (heard, justice_url) = Receiver::start(false).await;
    let r =
        app.post("/api/v1/webhooks", &justice, &json!({"url": justice_url, "event_types": ["expungement.due"]})).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let r = post_csv(&app, "/api/v1/imports", &police, format!("{HEADER_VI}\n{}\n", clean_row(1, "00070"))).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let listed = json(app.get("/api/v1/persons?unit=00070&status=under_management", &police).await).await;
    let due_person = listed["items"][0]["id"].as_str().unwrap().to_string();
    let due = feed_until(&app, &justice, "expungement.due", 1).await;
    assert_eq!(due[0]["entity_id"], due_person.as_str());
    wait_until("the justice office's delivery", || heard.count() >= 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(drain(&app, &justice, "expungement.due", "0-0", 100).await.0.len(), 1, "announced once");
    assert_eq!(heard.count(), 1);
    assert!(drain(&app, &bank, "expungement.due", "0-0", 100).await.0.is_empty());

    // Bad cursors, types and limits are field errors; tokens are required.
    let p = assert_problem(app.get("/api/v1/events?after=x", &police).await, 422, "validation_failed").await;
    assert_eq!(p["invalid_params"][0]["name"], "after");
    let p = assert_problem(app.get("/api/v1/events?types=person.eaten", &police).await, 422, "validation_failed").await;
    assert_eq!(p["invalid_params"][0]["name"], "types");
    assert_problem(app.get("/api/v1/events?limit=0", &police).await, 422, "validation_failed").await;
    assert_eq!(app.client.get(app.url("/api/v1/events")).send().await.unwrap().status(), 401);
}

async fn feed_resumes_without_loss_or_repeats(app: TestApp) {
    let (_, police) = app.account("ca.feed", &["police"], "00070").await;
    let app = Arc::new(app);
    // Four writers create persons while a reader follows the feed five events at a time.
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (app, police) = (app.clone(), police.clone());
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for i in 0..15 {
                    ids.push(create_person(&app, &police, &format!("Người {w}-{i}"), "00070").await);
                }
                ids
            })
        })
        .collect();
    let mut seen: Vec<Value> = Vec::new();
    let mut cursor = "0-0".to_string();
    while !writers.iter().all(|w| w.is_finished()) {
        let page = json(app.get(&format!("/api/v1/events?after={cursor}&limit=5"), &police).await).await;
        seen.extend(page["items"].as_array().unwrap().iter().cloned());
        cursor = page["next_cursor"].as_str().unwrap().to_string();
    }
    let mut created = HashSet::new();
    for w in writers {
        created.extend(w.await.unwrap());
    }
    for _ in 0..300 {
        let (rest, next) = drain(&app, &police, "", &cursor, 5).await;
        seen.extend(rest);
        cursor = next;
        if seen.len() >= created.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(drain(&app, &police, "", &cursor, 5).await.0.is_empty(), "nothing after the last event");
    let ids: Vec<String> = seen.iter().map(|e| e["entity_id"].as_str().unwrap().to_string()).collect();
    let distinct: HashSet<String> = ids.iter().cloned().collect();
    assert_eq!(ids.len(), distinct.len(), "no event is repeated");
    assert_eq!(distinct, created, "every person created has its event");
    assert_eq!(created.len(), 60);

    // Resuming from any cursor gives exactly the rest, in the same order.
    let cut = seen[22]["cursor"].as_str().unwrap().to_string();
    let (resumed, _) = drain(&app, &police, "", &cut, 1000).await;
    let tail: Vec<&Value> = seen[23..].iter().collect();
    assert_eq!(resumed.iter().map(|e| &e["id"]).collect::<Vec<_>>(), tail.iter().map(|e| &e["id"]).collect::<Vec<_>>());
    // The types filter applies on the same positions.
    let (only, _) = drain(&app, &police, "person.received", "0-0", 100).await;
    assert!(only.is_empty());
}

async fn deliveries(app: &TestApp, token: &str, hook: &str) -> Vec<Value> {
    let page = json(app.get(&format!("/api/v1/webhooks/{hook}/deliveries"), token).await).await;
    page["items"].as_array().unwrap_or_else(|| panic!("deliveries: {page}")).clone()
}

async fn wait_for_status(app: &TestApp, token: &str, hook: &str, status: &str) -> Value {
    for _ in 0..300 {
        let items = deliveries(app, token, hook).await;
        if let Some(d) = items.iter().find(|d| d["status"] == status) {
            return d.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no delivery reached {status}: {:?}", deliveries(app, token, hook).await);
}

fn verify(secret: &str, header: &str, body: &[u8]) -> bool {
    let (t, v1) = match header.split_once(',') {
        Some((t, v)) => (t.strip_prefix("t=").unwrap_or(""), v.strip_prefix("v1=").unwrap_or("")),
        None => return false,
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    mac.verify_slice(&hex::decode(v1).unwrap_or_default()).is_ok()
}

async fn webhooks_are_signed_retried_dead_lettered_and_replayed(app: TestApp) {
    let (_, police) = app.account("ca.hooks", &["police"], "00070").await;
    let (_, bank) = app.account("nh.hooks", &["bank"], "01").await;
    let (good, good_url) = Receiver::start(false).await;
    let (bad, bad_url) = Receiver::start(true).await;

    let subscribe = |url: String, types: Value| json!({"url": url, "event_types": types, "description": "test"});
    let r = app.post("/api/v1/webhooks", &police, &subscribe(good_url.clone(), json!(["person.expected"]))).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let hook = json(r).await;
    let (hook_id, secret) = (hook["id"].as_str().unwrap().to_string(), hook["secret"].as_str().unwrap().to_string());
    assert!(secret.len() >= 64);
    let r = app.post("/api/v1/webhooks", &police, &subscribe(bad_url.clone(), json!(["person.expected"]))).await;
    let failing = json(r).await;
    let failing_id = failing["id"].as_str().unwrap().to_string();
    // The secret is shown once; other roles' types and unsafe URLs are refused.
    let listed = json(app.get(&format!("/api/v1/webhooks/{hook_id}"), &police).await).await;
    assert!(listed.get("secret").is_none(), "{listed}");
    let p = assert_problem(
        app.post("/api/v1/webhooks", &bank, &subscribe(good_url.clone(), json!(["person.expected"]))).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["invalid_params"][0]["name"], "event_types[0]");
    for url in ["ftp://x.example/a", "https://user:pw@x.example/", "not a url"] {
        assert_problem(
            app.post("/api/v1/webhooks", &police, &subscribe(url.into(), json!(["person.expected"]))).await,
            422,
            "validation_failed",
        )
        .await;
    }
    // Another account does not see these subscriptions.
    assert_problem(app.get(&format!("/api/v1/webhooks/{hook_id}"), &bank).await, 404, "not_found").await;

    let id = create_person(&app, &police, "Trần Thị Móc", "00070").await;
    wait_until("the signed delivery", || good.count() >= 1).await;
    {
        let got = good.got.lock().unwrap();
        let (headers, body) = &got[0];
        let sig = headers.get("x-thncd-signature").unwrap().to_str().unwrap();
        assert!(verify(&secret, sig, body), "signature {sig} does not verify");
        assert!(!verify("whsec_wrong", sig, body));
        assert_eq!(headers.get("x-thncd-event").unwrap(), "person.expected");
        let payload: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(payload["entity_id"], id.as_str());
        assert_eq!(payload["type"], "person.expected");
        assert_eq!(payload["unit"], "00070");
        assert!(payload.get("full_name").is_none());
    }
    let delivered = wait_for_status(&app, &police, &hook_id, "delivered").await;
    assert_eq!(delivered["attempts"], 1);
    assert_eq!(delivered["last_status_code"], 204);

    // The failing receiver is tried max_attempts (3) times, with backoff, then dead-lettered.
    let dead = wait_for_status(&app, &police, &failing_id, "dead").await;
    assert_eq!(dead["attempts"], 3);
    assert_eq!(dead["last_status_code"], 500);
    assert_eq!(bad.count(), 3);
    let ids: HashSet<String> = bad
        .got
        .lock()
        .unwrap()
        .iter()
        .map(|(h, _)| h.get("x-thncd-delivery").unwrap().to_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 1, "retries carry the same delivery id");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(bad.count(), 3, "a dead delivery is not retried");

    // Replay after the receiver recovers: delivered on the fourth request.
    bad.failing.store(false, Ordering::SeqCst);
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/webhooks/{failing_id}/deliveries/{}/replay", dead["id"].as_str().unwrap()),
            &police,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let replayed = wait_for_status(&app, &police, &failing_id, "delivered").await;
    assert_eq!(replayed["id"], dead["id"]);
    assert_eq!(bad.count(), 4);
    // Replaying a delivered one sends it again too.
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/webhooks/{hook_id}/deliveries/{}/replay", delivered["id"].as_str().unwrap()),
            &police,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    wait_until("the replayed delivery", || good.count() >= 2).await;
    let dead_list =
        json(app.get(&format!("/api/v1/webhooks/{failing_id}/deliveries?status=dead"), &police).await).await;
    assert_eq!(dead_list["total"], 0);

    // Removing a subscription stops deliveries.
    let r = app.request(Method::DELETE, &format!("/api/v1/webhooks/{hook_id}"), &police).send().await.unwrap();
    assert_eq!(r.status(), 204);
    create_person(&app, &police, "Sau Khi Xoá", "00070").await;
    wait_for_status(&app, &police, &failing_id, "delivered").await;
    wait_until("the other subscription's delivery", || bad.count() >= 5).await;
    assert_eq!(good.count(), 2, "a removed subscription receives nothing");
}

const HEADER_VI: &str = "Họ và tên,Giới tính,Ngày sinh,Số CCCD,Mã xã,Số bản án,Tòa án,Ngày tuyên án,Điều luật,Nhóm tội,Chương,Hình phạt chính,Số tháng tù,Ngày ra trại,Hình thức,Số GCN,Ngày tiếp nhận,Ngày lập hồ sơ,Số hồ sơ,Phân loại";

fn clean_row(i: usize, unit: &str) -> String {
    format!(
        "Nguyễn Văn {i},Nam,0{}/03/1988,0010880{:05},{unit},{i}/2019/HS-ST,TAND huyện,12/05/2019,173,theft,16,Tù có thời hạn,30,12/11/2021,Chấp hành xong,GCN-{i},20/11/2021,01/12/2021,HS-{i},B",
        1 + i % 9,
        i
    )
}

async fn imports_are_all_or_nothing(app: TestApp) {
    let (_, police) = app.account("ca.import", &["police"], "00070").await;
    let (_, labour) = app.account("ld.import", &["labour"], "00070").await;
    let mut with_errors = format!("\u{feff}{HEADER_VI}\r\n{}\r\n", clean_row(1, "00070"));
    with_errors.push_str(&format!("{}\r\n", clean_row(2, "00070").replace(",Nam,", ",,"))); // row 3: no gender
    with_errors.push_str(&format!("{}\r\n", clean_row(3, "00070").replace("12/05/2019", "31/02/2019"))); // row 4
    with_errors.push_str(&format!("{}\r\n", clean_row(4, "99999"))); // row 5: no such commune
    with_errors.push_str(&format!("{}\r\n", clean_row(5, "00070").replace("20/11/2021", "20/11/2099"))); // row 6
    with_errors.push_str(&format!("{}\r\n", clean_row(6, "00073").replace("TAND huyện", ""))); // row 7: no court
    with_errors.push_str(&format!("{}\r\n", clean_row(1, "00070"))); // row 8: same CCCD as row 2

    let post = |body: String, query: &str| {
        app.request(Method::POST, &format!("/api/v1/imports{query}"), &police)
            .header("content-type", "text/csv; charset=utf-8")
            .body(body)
            .send()
    };
    let r = post(with_errors.clone(), "?dry_run=true&file_name=C:\\ho-so\\xa.csv").await.unwrap();
    assert_eq!(r.status(), 200);
    let report = json(r).await;
    assert_eq!(report["rows"], 7);
    assert_eq!(report["valid_rows"], 1, "{report}");
    assert_eq!(report["imported"], 0);
    let problems: HashSet<(u64, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap_or("").to_string()))
        .collect();
    for expected in
        [(3, "gender"), (4, "judgment_date"), (5, "unit"), (6, "received_on"), (7, "court"), (8, "id_number")]
    {
        assert!(problems.contains(&(expected.0, expected.1.to_string())), "missing {expected:?} in {report}");
    }
    let rows_with_problems: HashSet<u64> = problems.iter().map(|(r, _)| *r).collect();
    assert_eq!(rows_with_problems, HashSet::from([3, 4, 5, 6, 7, 8]));

    // The real run writes nothing and names every problem.
    let p = assert_problem(post(with_errors, "").await.unwrap(), 422, "validation_failed").await;
    let names: Vec<&str> =
        p["invalid_params"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"rows[3].gender") && names.contains(&"rows[8].id_number"), "{names:?}");
    let listed = json(app.get("/api/v1/persons?unit=00070", &police).await).await;
    assert_eq!(listed["total"], 0);
    assert!(drain(&app, &police, "", "0-0", 100).await.0.is_empty(), "no events from a refused import");

    // The clean file imports wholly, with statuses, histories and one audited import.
    let mut clean = format!("\u{feff}{HEADER_VI}\r\n");
    for i in 1..=40 {
        clean.push_str(&clean_row(i, "00070"));
        clean.push_str("\r\n");
    }
    let r = post(clean, "?file_name=ho-so-xa.csv").await.unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let report = json(r).await;
    assert_eq!(report["imported"], 40);
    let import_id = report["import_id"].as_str().unwrap().to_string();
    let listed = json(app.get("/api/v1/persons?unit=00070&status=under_management&page_size=100", &police).await).await;
    assert_eq!(listed["total"], 40);
    let one = listed["items"].as_array().unwrap().iter().find(|p| p["full_name"] == "Nguyễn Văn 7").unwrap().clone();
    let full = json(app.get(&format!("/api/v1/persons/{}", one["id"].as_str().unwrap()), &police).await).await;
    assert_eq!(full["date_of_birth"], "1988-03-08");
    assert_eq!(full["received_on"], "2021-11-20");
    assert_eq!(full["management_started_on"], "2021-12-01");
    assert_eq!(full["classification"], "b");
    assert_eq!(full["release_type"], "completed_sentence");
    let convictions =
        json(app.get(&format!("/api/v1/persons/{}/convictions", one["id"].as_str().unwrap()), &police).await).await;
    assert_eq!(
        convictions.as_array().map(|a| a.len()).unwrap_or_else(|| convictions["items"].as_array().unwrap().len()),
        1
    );
    let trail = json(app.get(&format!("/api/v1/audit-events?entity_id={import_id}"), &app.admin_token).await).await;
    assert_eq!(trail["items"][0]["action"], "import.persons");
    let events = feed_until(&app, &police, "person.status_changed", 40).await;
    assert_eq!(events.len(), 40);
    // Importing the same file again is refused: the CCCD numbers exist.
    let mut again = format!("{HEADER_VI}\n");
    again.push_str(&clean_row(3, "00070"));
    let r = post(again, "?dry_run=true").await.unwrap();
    let report = json(r).await;
    assert_eq!(report["problems"][0]["row"], 2, "{report}");
    assert_eq!(report["problems"][0]["column"], "id_number");
    assert_eq!(report["valid_rows"], 0);

    // XLSX with English headers and ISO dates; labour may not import.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["full_name", "gender", "date_of_birth", "unit", "received_on"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "Phạm Thị Bảng").unwrap();
    sheet.write_string(1, 1, "female").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(1992, 4, 30).unwrap();
    sheet
        .write_datetime_with_format(1, 2, &date, &rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy"))
        .unwrap();
    sheet.write_string(1, 3, "00070").unwrap();
    sheet.write_string(1, 4, "2024-01-15").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let r = app
        .request(Method::POST, "/api/v1/imports", &police)
        .header("content-type", xlsx)
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let listed = json(app.get("/api/v1/persons?unit=00070&status=received", &police).await).await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["full_name"], "Phạm Thị Bảng");
    let r = app
        .request(Method::POST, "/api/v1/imports", &labour)
        .header("content-type", xlsx)
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_problem(r, 403, "forbidden").await;
    let r = app
        .request(Method::POST, "/api/v1/imports", &police)
        .header("content-type", "application/pdf")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let r = post_csv(&app, "/api/v1/imports", &police, vec![0xff, 0xfe, 0x00]).await;
    let p = assert_problem(r, 422, "validation_failed").await;
    assert_eq!(p["invalid_params"][0]["name"], "file");
}

async fn exports_carry_only_visible_fields(app: TestApp) {
    let (_, police) = app.account("ca.export", &["police"], "00070").await;
    let (_, bank) = app.account("nh.export", &["bank"], "01").await;
    let (_, labour) = app.account("ld.export", &["labour"], "01").await;
    let (_, far) = app.account("ca.far", &["police"], "24829").await;
    let mut clean = format!("{HEADER_VI}\n");
    for i in 1..=3 {
        clean.push_str(&clean_row(i, "00070"));
        clean.push('\n');
    }
    // A name that a spreadsheet would run as a formula.
    clean.push_str(&clean_row(4, "00070").replace("Nguyễn Văn 4", "=HYPERLINK(\"x\")"));
    clean.push('\n');
    let r = post_csv(&app, "/api/v1/imports", &police, clean).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());

    let text = |r: reqwest::Response| async move {
        assert_eq!(r.status(), 200);
        r.text().await.unwrap()
    };
    let police_csv = text(app.get("/api/v1/exports/persons?list=managed", &police).await).await;
    let header = police_csv.trim_start_matches('\u{feff}').lines().next().unwrap().to_string();
    for col in ["full_name", "offence_group", "classification", "management_file_number"] {
        assert!(header.split(',').any(|c| c == col), "police see {col}: {header}");
    }
    assert_eq!(police_csv.lines().count(), 5, "header and four persons");
    assert!(police_csv.contains("'=HYPERLINK"), "formula neutralised: {police_csv}");

    // Every list tells who is under management (or when the record is expunged), which the
    // bank does not see: it prints none. The labour office prints the managed list with
    // its own fields only.
    for list in ["managed", "loan_candidates", "overdue_contacts", "expungement_due"] {
        let r = app.get(&format!("/api/v1/exports/persons?list={list}&unit=00070"), &bank).await;
        assert_problem(r, 403, "forbidden").await;
    }
    let labour_csv = text(app.get("/api/v1/exports/persons?list=managed&unit=00070", &labour).await).await;
    let header = labour_csv.trim_start_matches('\u{feff}').lines().next().unwrap().to_string();
    assert!(header.split(',').any(|c| c == "full_name"), "{header}");
    for col in ["offence_group", "classification", "expungement_due_on", "judicial_record_number"] {
        assert!(!header.split(',').any(|c| c == col), "labour never sees {col}: {header}");
    }
    assert_eq!(labour_csv.lines().count(), 5);

    let r = app.get("/api/v1/exports/persons?list=managed&format=xlsx", &police).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK");

    // Lists outside one's unit are refused; unknown lists are field errors.
    let r = app.get("/api/v1/exports/persons?list=managed&unit=00070", &far).await;
    assert!(r.status() == 403 || r.status() == 422, "{}", r.status());
    let far_csv = text(app.get("/api/v1/exports/persons?list=managed", &far).await).await;
    assert!(far_csv.lines().count() <= 1, "another province's list is empty: {far_csv}");
    let p =
        assert_problem(app.get("/api/v1/exports/persons?list=everyone", &police).await, 422, "validation_failed").await;
    assert_eq!(p["invalid_params"][0]["name"], "list");
}

async fn two_instances_deliver_each_event_once(app: TestApp) {
    // A second instance on the same database (and signing key), with its own worker.
    let second = thncd::startup::Application::build(app.settings.clone()).expect("second instance builds");
    let second_address = format!("http://127.0.0.1:{}", second.port());
    tokio::spawn(second.run_until_stopped());
    let (_, police) = app.account("ca.twice", &["police"], "00070").await;
    let (receiver, url) = Receiver::start(false).await;
    let r = app
        .post("/api/v1/webhooks", &police, &json!({"url": url, "event_types": ["person.expected", "person.received"]}))
        .await;
    assert_eq!(r.status(), 201);
    let hook = json(r).await["id"].as_str().unwrap().to_string();

    // Both instances take writes at once.
    let app = Arc::new(app);
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let (app, police, second) = (app.clone(), police.clone(), second_address.clone());
            tokio::spawn(async move {
                let base = if i % 2 == 0 { app.address.clone() } else { second };
                let r = app
                    .client
                    .post(format!("{base}/api/v1/persons"))
                    .bearer_auth(&police)
                    .json(&person(&format!("Hai Máy {i}"), "00070"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201);
                json(r).await["id"].as_str().unwrap().to_string()
            })
        })
        .collect();
    let mut created = HashSet::new();
    for t in tasks {
        created.insert(t.await.unwrap());
    }
    wait_until("forty deliveries", || receiver.count() >= 40).await;
    // Both workers kept running; give a duplicate time to show up.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got = receiver.got.lock().unwrap().clone();
    let entities: HashSet<String> = got
        .iter()
        .map(|(_, body)| serde_json::from_slice::<Value>(body).unwrap()["entity_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got.len(), 40, "each event delivered once across two instances");
    assert_eq!(entities, created);
    let page =
        json(app.get(&format!("/api/v1/webhooks/{hook}/deliveries?status=delivered&page_size=100"), &police).await)
            .await;
    assert_eq!(page["total"], 40);
    for d in page["items"].as_array().unwrap() {
        assert_eq!(d["attempts"], 1, "{d}");
    }
    // The feed read from either instance is the same.
    let here = feed_until(&app, &police, "person.expected", 40).await;
    let there = json(
        app.client
            .get(format!("{second_address}/api/v1/events?types=person.expected&limit=1000"))
            .bearer_auth(&police)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(there["items"].as_array().unwrap().len(), here.len());
}

dual!(
    events_follow_their_changes,
    feed_resumes_without_loss_or_repeats,
    webhooks_are_signed_retried_dead_lettered_and_replayed,
    imports_are_all_or_nothing,
    exports_carry_only_visible_fields,
    two_instances_deliver_each_event_once,
);
