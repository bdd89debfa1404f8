//! Hostile input: invalid UTF-8, out-of-range numbers, impossible dates, huge arrays,
//! look-alike and invisible characters, decomposed names, formula cells and path tricks.
//! Each answers a 4xx problem naming the field (or is stored safely), never a 500.

use calamine::{Reader, Xlsx};
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::post_csv;
use crate::helpers::*;

fn notice(overrides: Value) -> Value {
    let mut body = json!({"person": {"full_name": "Lê Văn Thử", "gender": "male", "unit": "00070"},
        "facility": "Trại giam Nam Hà", "notice_date": "2025-01-10", "expected_release_date": "2025-02-10",
        "counselling_sessions": 2, "travel_allowance_vnd": 350000});
    for (k, v) in overrides.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn invalid_param(resp: reqwest::Response, status: u16, field: &str) -> Value {
    let code = if status == 400 { "malformed_json" } else { "validation_failed" };
    let body = assert_problem(resp, status, code).await;
    if status == 422 {
        let names: Vec<&str> =
            body["invalid_params"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert!(names.iter().any(|n| n.ends_with(field)), "expected {field} among {names:?}: {body}");
    }
    body
}

async fn hostile_bodies_are_refused_by_field(app: TestApp) {
    let (_, police) = app.account("ca.hostile", &["police"], "00070").await;

    // Invalid UTF-8 inside a JSON string.
    let mut bytes = br#"{"full_name": "Nguy"#.to_vec();
    bytes.extend_from_slice(&[0xC3, 0x28, 0xFF]);
    bytes.extend_from_slice(br#"n", "gender": "male", "unit": "00070"}"#);
    let resp = app
        .request(Method::POST, "/api/v1/persons", &police)
        .header("content-type", "application/json")
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_problem(resp, 400, "malformed_json").await;

    // Numbers out of range: negative, beyond i64, fractional, exponent.
    for (field, value) in [
        ("travel_allowance_vnd", json!(-1)),
        ("travel_allowance_vnd", json!(1e30)),
        ("travel_allowance_vnd", json!(12.5)),
        ("travel_allowance_vnd", serde_json::from_str::<Value>("18446744073709551616").unwrap()),
        ("counselling_sessions", json!(-3)),
        ("counselling_sessions", json!(4_294_967_296_i64)),
    ] {
        let resp = app.post("/api/v1/release-notices", &police, &notice(json!({ field: value }))).await;
        invalid_param(resp, 422, field).await;
    }

    // Impossible and foreign-format dates; and a birth date in the future or before any
    // living person is not a date of birth.
    let impossible = ["0000-00-00", "2025-02-31", "31/02/2025", "2025-13-01", "20250101", "", "9999999-01-01"];
    for bad in impossible.into_iter().chain(["2999-01-01", "1800-01-01"]) {
        let resp = app
            .post(
                "/api/v1/persons",
                &police,
                &json!({"full_name": "A", "gender": "male", "unit": "00070", "date_of_birth": bad}),
            )
            .await;
        invalid_param(resp, 422, "date_of_birth").await;
    }

    // Huge strings and arrays under the body limit: refused by field, not by a crash.
    let resp = app
        .post("/api/v1/persons", &police, &json!({"full_name": "x".repeat(50_000), "gender": "male", "unit": "00070"}))
        .await;
    invalid_param(resp, 422, "full_name").await;
    let many: Vec<String> = (0..5_000).map(|i| i.to_string()).collect();
    let resp = app
        .post(
            "/api/v1/accounts",
            &app.admin_token,
            &json!({"username": "many", "password": PASSWORD, "full_name": "M", "roles": many, "unit": "VN"}),
        )
        .await;
    assert!(resp.status() == 422 || resp.status() == 400, "{}", resp.status());
    assert_eq!(resp.headers()["content-type"], "application/problem+json");

    // Invisible characters and look-alike letters in names.
    for name in ["Nguyễn\u{200B}Văn An", "An\u{202E}nịuq", "Nguy\u{0435}n Văn An", "\u{FEFF}Lê Thị"] {
        let resp =
            app.post("/api/v1/persons", &police, &json!({"full_name": name, "gender": "male", "unit": "00070"})).await;
        invalid_param(resp, 422, "full_name").await;
    }

    // A decomposed name (combining marks) is stored in NFC and found by either spelling.
    let decomposed = "Nguye\u{0302}\u{0303}n Thi\u{0323} Ha\u{0300}";
    let resp = app
        .post("/api/v1/persons", &police, &json!({"full_name": decomposed, "gender": "female", "unit": "00070"}))
        .await;
    assert_eq!(resp.status(), 201);
    let stored = json(resp).await;
    assert_eq!(stored["full_name"], "Nguyễn Thị Hà");
    assert_eq!(stored["full_name"].as_str().unwrap().chars().count(), 13);
    for q in ["Nguy%E1%BB%85n%20Th%E1%BB%8B%20H%C3%A0", "Nguye%CC%82%CC%83n%20Thi%CC%A3", "nguyen%20thi%20ha"] {
        let found = json(app.get(&format!("/api/v1/persons?q={q}"), &police).await).await;
        assert_eq!(found["total"], 1, "q={q}: {found}");
    }

    // NUL and other control characters in query strings are refused, not passed to SQL.
    let resp = app.get("/api/v1/persons?q=abc%00def", &police).await;
    assert!(resp.status() == 400 || resp.status() == 422, "{}", resp.status());
    assert_eq!(resp.headers()["content-type"], "application/problem+json");
}

const HEADER_VI: &str = "Họ và tên,Giới tính,Ngày sinh,Số CCCD,Mã xã,Số bản án,Tòa án,Ngày tuyên án,Điều luật,Nhóm tội,Chương,Hình phạt chính,Số tháng tù,Ngày ra trại,Hình thức,Số GCN,Ngày tiếp nhận,Ngày lập hồ sơ,Số hồ sơ,Phân loại";

fn import_row(i: usize, name: &str) -> String {
    format!(
        "\"{}\",Nam,0{}/03/1988,0010880{:05},00070,{i}/2019/HS-ST,TAND huyện,12/05/2019,173,theft,16,Tù có thời hạn,30,12/11/2021,Chấp hành xong,GCN-{i},20/11/2021,01/12/2021,HS-{i},B",
        name.replace('"', "\"\""),
        1 + i % 9,
        i
    )
}

async fn exports_neutralise_formulas_and_imports_strip_paths(app: TestApp) {
    let (_, police) = app.account("ca.formula", &["police"], "00070").await;
    let formulas = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "=HYPERLINK(\"http://x\")", "=cmd|' /C calc'!A0"];
    let mut file = format!("{HEADER_VI}\n");
    for (i, f) in formulas.iter().enumerate() {
        file.push_str(&import_row(i + 1, f));
        file.push('\n');
    }
    // Path tricks in the file name: only the last component is kept.
    let r = post_csv(&app, "/api/v1/imports?file_name=..%2F..%2Fetc%2Fpasswd.csv", &police, file).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    {
        #[derive(diesel::QueryableByName)]
        struct Name {
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
            file_name: Option<String>,
        }
        use diesel::RunQueryDsl;
        let names: Vec<Name> = diesel::sql_query("SELECT file_name FROM imports").load(&mut *app.conn()).unwrap();
        assert_eq!(names.len(), 1);
        assert_eq!(names[0].file_name.as_deref(), Some("passwd.csv"));
    }
    // A NUL in the name is refused before anything is read.
    let r = post_csv(&app, "/api/v1/imports?file_name=evil%00.csv", &police, format!("{HEADER_VI}\n")).await;
    let p = assert_problem(r, 400, "invalid_query").await;
    assert_eq!(p["invalid_params"][0]["name"], "file_name");
    // The API keeps what was typed.
    let listed = json(app.get("/api/v1/persons?page_size=100", &police).await).await;
    let stored: Vec<&str> =
        listed["items"].as_array().unwrap().iter().map(|p| p["full_name"].as_str().unwrap()).collect();
    for f in formulas {
        assert!(stored.contains(&f), "{f} stored as typed: {stored:?}");
    }

    // CSV: no cell starts with a formula character.
    let csv = app.get("/api/v1/exports/persons?list=managed", &police).await.text().await.unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        for cell in record.iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "formula cell in CSV: {cell}");
        }
        rows += 1;
    }
    assert_eq!(rows, formulas.len());
    // XLSX: every cell is text, never a formula, and formula starts carry Excel's quote prefix.
    let xlsx = app.get("/api/v1/exports/persons?list=managed&format=xlsx", &police).await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let mut texts = Vec::new();
    for sheet in book.sheet_names() {
        let formulas_in_sheet = book.worksheet_formula(&sheet).unwrap();
        assert!(formulas_in_sheet.used_cells().all(|(_, _, f)| f.is_empty()), "no formulas in {sheet}");
        for row in book.worksheet_range(&sheet).unwrap().rows() {
            texts.extend(row.iter().map(|c| c.to_string()));
        }
    }
    for f in formulas {
        assert!(texts.iter().any(|t| t == f), "{f} kept as text in the workbook");
    }
}

dual!(hostile_bodies_are_refused_by_field, exports_neutralise_formulas_and_imports_strip_paths);
