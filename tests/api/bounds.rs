//! What a request may cost and carry: import files within their bounds (rows, columns,
//! cells, the declared sheet range, XLSX parts and their compression), a capped problem
//! list, dates no earlier than 1900 and single-line text fields.

use std::io::Write;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn import(app: &TestApp, token: &str, content_type: &str, body: Vec<u8>, query: &str) -> reqwest::Response {
    app.request(Method::POST, &format!("/api/v1/imports{query}"), token)
        .header("content-type", content_type)
        .timeout(Duration::from_secs(120))
        .body(body)
        .send()
        .await
        .unwrap()
}

/// A valid workbook of one person, then, when `last_cell`, a value in the sheet's last cell
/// (`XFD1048576`): the sheet then declares the whole range `A1:XFD1048576`.
fn workbook(last_cell: bool) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["full_name", "gender", "unit"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["Lê Văn Ô", "male", "00070"].iter().enumerate() {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    if last_cell {
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// `book` with one more part: `size` zero bytes, deflated to about a thousandth.
fn with_bomb_part(book: &[u8], size: usize) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        out.raw_copy_file(src.by_index_raw(i).unwrap()).unwrap();
    }
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    out.start_file("xl/media/image1.bin", options).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..size >> 20 {
        out.write_all(&zeros).unwrap();
    }
    out.finish().unwrap().into_inner()
}

async fn still_serves(app: &TestApp, token: &str) {
    let r = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 200, "the service still answers");
    let r = import(app, token, XLSX, workbook(false), "?dry_run=true").await;
    assert_eq!(r.status(), 200, "a sound workbook still imports");
    let report = json(r).await;
    assert_eq!(report["valid_rows"], 1, "{report}");
}

async fn imports_within_bounds(app: TestApp) {
    let (_, police) = app.account("ca.bounds", &["police"], "00070").await;

    // The 1.4 KB workbook whose sheet declares A1:XFD1048576: refused before any range exists.
    let bomb = workbook(true);
    assert!(bomb.len() < 10_000, "a small file: {} bytes", bomb.len());
    let p = assert_problem(import(&app, &police, XLSX, bomb, "?dry_run=true").await, 413, "import_too_large").await;
    assert!(p["detail"].as_str().unwrap().contains("XFD1048576"), "{p}");
    still_serves(&app, &police).await;

    // A part inflating a thousandfold (8 MiB of zeros in about 8 KB) is refused.
    let zipped = with_bomb_part(&workbook(false), 8 << 20);
    assert!(zipped.len() < 100_000, "{} bytes", zipped.len());
    let p = assert_problem(import(&app, &police, XLSX, zipped, "?dry_run=true").await, 413, "import_too_large").await;
    assert!(p["detail"].as_str().unwrap().contains("xl/media/image1.bin"), "{p}");
    still_serves(&app, &police).await;

    // A CSV with a million columns: refused at once, with a short answer.
    let mut wide = String::from("full_name,gender");
    wide.push_str(&",x".repeat(1_000_000));
    wide.push_str("\nA,Nam\n");
    let started = Instant::now();
    let r = import(&app, &police, "text/csv", wide.into_bytes(), "?dry_run=true").await;
    let elapsed = started.elapsed();
    let text_len = r.content_length();
    let p = assert_problem(r, 413, "import_too_large").await;
    assert!(p["detail"].as_str().unwrap().contains("64 columns"), "{p}");
    assert!(text_len.unwrap_or(0) < 2_000, "a short answer: {text_len:?}");
    assert!(elapsed < Duration::from_secs(20), "refused quickly: {elapsed:?}");

    // More data rows than allowed, or an overlong cell: refused whole.
    let mut tall = String::from("full_name,gender\n");
    for i in 0..50_001 {
        tall.push_str(&format!("P{i},Nam\n"));
    }
    let p = assert_problem(
        import(&app, &police, "text/csv", tall.into_bytes(), "?dry_run=true").await,
        413,
        "import_too_large",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("50000 data rows"), "{p}");
    let long = format!("full_name,gender\n{},Nam\n", "A".repeat(2_001));
    let p = assert_problem(
        import(&app, &police, "text/csv", long.into_bytes(), "?dry_run=true").await,
        413,
        "import_too_large",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("A2"), "{p}");

    // Many bad rows: the first 1,000 problems by row, and the count of all of them.
    let mut bad = String::from("full_name,gender\n");
    for i in 0..3_000 {
        bad.push_str(&format!("Người {i},X\n"));
    }
    let r = import(&app, &police, "text/csv", bad.clone().into_bytes(), "?dry_run=true").await;
    assert_eq!(r.status(), 200);
    let report = json(r).await;
    assert_eq!(report["rows"], 3_000);
    assert_eq!(report["problems_total"], 3_000, "{}", report["problems_total"]);
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1_000);
    let rows: Vec<u64> = problems.iter().map(|p| p["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, (2..=1_001).collect::<Vec<u64>>(), "the first rows, in order");
    assert!(problems.iter().all(|p| p["column"] == "gender"));
    let p =
        assert_problem(import(&app, &police, "text/csv", bad.into_bytes(), "").await, 422, "validation_failed").await;
    assert_eq!(p["invalid_params"].as_array().unwrap().len(), 1_000);
    assert_eq!(p["invalid_params_total"], 3_000);
    assert_eq!(p["invalid_params"][0]["name"], "rows[2].gender");
    assert!(p["detail"].as_str().unwrap().contains("3000 problems"), "{p}");
    let listed = json(app.get("/api/v1/persons?unit=00070", &police).await).await;
    assert_eq!(listed["total"], 0, "nothing written");
}

dual!(imports_within_bounds);

/// The field names of a 422 problem.
fn invalid_names(p: &Value) -> Vec<String> {
    p["invalid_params"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap().to_string()).collect()
}

async fn dates_from_1900_and_after_registration(app: TestApp) {
    let (_, police) = app.account("ca.dates", &["police"], "00070").await;
    // Registered by a release notice dated 90 days ago.
    let person = json!({"full_name": "Đỗ Văn Ngày", "gender": "male", "unit": "00070"});
    let id = notify(&app, &police, &notice_body(person, 90, 80)).await;
    let activities = format!("/api/v1/persons/{id}/activities");

    // Year 1: refused on the field, in a body and in a query.
    let p = assert_problem(
        app.post(&activities, &police, &json!({"kind": "home_visit", "occurred_on": "0001-01-01"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(invalid_names(&p), ["occurred_on"]);
    assert_eq!(p["invalid_params"][0]["reason"], "must not be before 1900-01-01");
    let reception = format!("/api/v1/persons/{id}/reception");
    let p = assert_problem(
        app.post(
            &reception,
            &police,
            &json!({"received_on": "1899-12-31", "receiving_officer": "A", "commitment_signed": true}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(invalid_names(&p), ["received_on"]);
    let p =
        assert_problem(app.get("/api/v1/persons?received_from=0001-01-01", &police).await, 422, "validation_failed")
            .await;
    assert_eq!(invalid_names(&p), ["received_from"]);
    assert_eq!(app.get("/api/v1/persons?received_from=1900-01-01", &police).await.status(), 200);

    // Before the registration: refused; after it: recorded.
    let reason = refused_visit(&app, &police, &activities, days_ago(100)).await;
    assert!(reason.contains("registration"), "{reason}");
    let r = app.post(&activities, &police, &json!({"kind": "home_visit", "occurred_on": days_ago(30)})).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let activity = json(r).await;

    // A correction is held to the same rule.
    let path = format!("{activities}/{}", activity[0]["id"].as_str().unwrap());
    let r = app
        .request(Method::PATCH, &path, &police)
        .header("if-match", "\"v1\"")
        .json(&json!({"occurred_on": days_ago(91), "reason": "sai ngày"}))
        .send()
        .await
        .unwrap();
    let p = assert_problem(r, 422, "validation_failed").await;
    assert_eq!(invalid_names(&p), ["occurred_on"]);
}

/// The registration an activity may not precede is the first date of the status history,
/// not the current status's date (on PostgreSQL the write reads it in its locking statement).
async fn activities_from_the_first_registration(app: TestApp) {
    let (_, police) = app.account("ca.dangky", &["police"], "00070").await;
    // Registered 60 days ago and received 59 days ago: the status now dates from the reception.
    let mut body = person("Vũ Thị Đăng", "00070");
    body["registered_on"] = json!(days_ago(60));
    let p = post_ok(&app, "/api/v1/persons", &police, &body).await;
    let id = p["id"].as_str().unwrap();
    let received = receive(&app, &police, id, days_ago(59)).await;
    assert_eq!(received["status_since"], days_ago(59), "{received}");
    let activities = format!("/api/v1/persons/{id}/activities");

    // On the registration day, before the current status: recorded.
    let r = app.post(&activities, &police, &json!({"kind": "home_visit", "occurred_on": days_ago(60)})).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    // The day before: refused, naming the registration.
    assert_eq!(
        refused_visit(&app, &police, &activities, days_ago(61)).await,
        format!("must not be before the person's registration ({})", days_ago(60))
    );
}

/// A home visit dated `day`, refused on its date alone; returns the reason given.
async fn refused_visit(app: &TestApp, police: &str, activities: &str, day: String) -> String {
    let visit = json!({"kind": "home_visit", "occurred_on": day});
    let p = assert_problem(app.post(activities, police, &visit).await, 422, "validation_failed").await;
    assert_eq!(invalid_names(&p), ["occurred_on"]);
    p["invalid_params"][0]["reason"].as_str().unwrap().to_string()
}

async fn single_line_fields(app: TestApp) {
    let (_, police) = app.account("ca.lines", &["police"], "00070").await;
    for (field, value) in [
        ("full_name", "Nguyễn Văn\nAn"),
        ("full_name", "Nguyễn\tAn"),
        ("village", "Thôn 1\r"),
        ("address_line", "Số 5\nngõ 3"),
    ] {
        let mut body = json!({"full_name": "Nguyễn Văn An", "gender": "male", "unit": "00070"});
        body[field] = json!(value);
        let p = assert_problem(app.post("/api/v1/persons", &police, &body).await, 422, "validation_failed").await;
        assert_eq!(invalid_names(&p), [field], "{value:?}");
        assert_eq!(p["invalid_params"][0]["reason"], "must be a single line: no line break or tab", "{p}");
    }
    let p = assert_problem(
        app.post(
            "/api/v1/accounts",
            &app.admin_token,
            &json!({"username": "ca.line", "password": "Staff-password-1", "full_name": "Cán bộ\nMột", "roles": ["police"], "unit": "00070"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(invalid_names(&p), ["full_name"]);

    // Free text keeps its lines.
    let r = app
        .post("/api/v1/persons", &police, &json!({"full_name": "Nguyễn Văn An", "gender": "male", "unit": "00070", "family_situation": "Bố mẹ già.\nCó hai con."}))
        .await;
    assert_eq!(r.status(), 201);
    let id = json(r).await["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            &format!("/api/v1/persons/{id}/activities"),
            &police,
            &json!({"kind": "home_visit", "occurred_on": days_ago(0), "notes": "Dòng một.\nDòng hai.\tTab.", "place": "Nhà riêng"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let p = assert_problem(
        app.post(
            &format!("/api/v1/persons/{id}/activities"),
            &police,
            &json!({"kind": "home_visit", "occurred_on": days_ago(0), "place": "Nhà\nriêng"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(invalid_names(&p), ["place"]);
}

dual!(dates_from_1900_and_after_registration, activities_from_the_first_registration, single_line_fields);
