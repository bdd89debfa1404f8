//! The authorization matrix, black-box: every operation of the served OpenAPI document is
//! called with every role, inside and outside the token's unit, and the answer is checked
//! against the permission table. Denied calls must not tell whether a record exists, and a
//! bank token must never receive a criminal-record field anywhere.

use std::collections::BTreeMap;

use calamine::{Reader, Xlsx};
use reqwest::Method;
use serde_json::{json, Value};

use thncd::auth::permissions::{Op, PUBLIC_OPERATIONS};
use thncd::auth::roles::Role;

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

const UNIT: &str = "00070";
/// Another commune of the same province, and a commune of another province.
const NEIGHBOUR: &str = "00073";
const FAR: &str = "24829";

/// Records that exist in `UNIT`, by the path prefix that names them.
struct World {
    ids: BTreeMap<&'static str, String>,
    person: String,
}

async fn created(resp: reqwest::Response, what: &str) -> Value {
    let status = resp.status();
    let body = resp.text().await.unwrap();
    assert_eq!(status, 201, "creating {what}: {body}");
    serde_json::from_str(&body).unwrap()
}

async fn build_world(app: &TestApp, police: &str) -> World {
    let mut ids = BTreeMap::new();
    let notice = created(
        app.post(
            "/api/v1/release-notices",
            police,
            &json!({"person": {"full_name": "Trần Văn Ma Trận", "gender": "male", "date_of_birth": "1988-01-02", "unit": UNIT},
                    "facility": "Trại giam Nam Hà", "notice_date": days_ago(400), "expected_release_date": days_ago(340)}),
        )
        .await,
        "release notice",
    )
    .await;
    let person = notice["person_id"].as_str().unwrap().to_string();
    ids.insert("release-notices", notice["id"].as_str().unwrap().to_string());
    ids.insert("persons", person.clone());
    let conviction = json!({"judgment_number": "45/2019/HS-ST", "court": "TAND huyện Gia Lâm", "judgment_date": days_ago(800),
        "offence_articles": ["173"], "offence_group": "theft", "chapter": 16, "principal": {"kind": "imprisonment", "months": 12},
        "release_date": days_ago(340), "release_type": "completed_sentence"});
    created(app.post(&format!("/api/v1/persons/{person}/convictions"), police, &conviction).await, "conviction").await;
    let member = |role: &str, name: &str| json!({"body": "committee", "role": role, "full_name": name, "title": "Chức vụ", "organisation": "commune_committee", "from_date": days_ago(100)});
    let committee = created(
        app.post(
            "/api/v1/steering-committees",
            police,
            &json!({"unit": UNIT, "name": "Ban Chỉ đạo", "working_group_name": "Tổ giúp việc", "decision_number": "01/QĐ-UBND",
                    "decision_date": days_ago(100), "signer": "Chủ tịch UBND",
                    "members": [member("head", "Ông A"), member("standing_deputy", "Bà B")]}),
        )
        .await,
        "committee",
    )
    .await;
    ids.insert("steering-committees", committee["id"].as_str().unwrap().to_string());
    let model = created(
        app.post(
            "/api/v1/models",
            police,
            &json!({"name": "Tổ tự quản", "model_type": "self_management_group", "unit": UNIT,
                    "sponsor_organisation": "fatherland_front", "founding_decision_number": "05/QĐ", "founding_decision_date": days_ago(90)}),
        )
        .await,
        "model",
    )
    .await;
    ids.insert("models", model["id"].as_str().unwrap().to_string());
    let hook = created(
        app.post(
            "/api/v1/webhooks",
            police,
            &json!({"url": "http://127.0.0.1:9/hook", "event_types": ["person.expected"]}),
        )
        .await,
        "webhook",
    )
    .await;
    ids.insert("webhooks", hook["id"].as_str().unwrap().to_string());
    let year = thncd::time::today_vn().format("%Y").to_string();
    let last_year = year.parse::<i32>().unwrap() - 1;
    let report = created(
        app.post(
            "/api/v1/reports",
            police,
            &json!({"period_kind": "annual", "period_from": format!("{last_year}-01-01"), "period_to": format!("{last_year}-12-31")}),
        )
        .await,
        "report",
    )
    .await;
    ids.insert("reports", report["id"].as_str().unwrap().to_string());
    let target = created(
        app.post(
            "/api/v1/targets",
            police,
            &json!({"unit": UNIT, "year": year.parse::<i32>().unwrap(), "indicator": "rates.reoffending_of_managed", "measure": "rate", "max": 1.0}),
        )
        .await,
        "target",
    )
    .await;
    ids.insert("targets", target["id"].as_str().unwrap().to_string());
    let activity = created(
        app.post(
            "/api/v1/facility-activities",
            police,
            &json!({"kind": "intake", "occurred_on": days_ago(100), "persons": 3, "facility": "Nhà tạm giữ Công an phường"}),
        )
        .await,
        "facility activity",
    )
    .await;
    ids.insert("facility-activities", activity["id"].as_str().unwrap().to_string());
    World { ids, person }
}

/// A path with its parameters filled: with existing records, or with ids that exist nowhere.
fn fill(path: &str, world: &World, existing: bool) -> String {
    let nowhere = "0190a5f6-0000-7000-8000-000000000000";
    let collection = path.trim_start_matches("/api/v1/").split('/').next().unwrap();
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').unwrap() + open;
        out.push_str(&rest[..open]);
        let value = match &rest[open + 1..close] {
            "code" => UNIT.to_string(),
            "area" => "employment".to_string(),
            "id" if existing => world.ids.get(collection).cloned().unwrap_or_else(|| nowhere.to_string()),
            _ => nowhere.to_string(),
        };
        out.push_str(&value);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// What a problem says, without the parts that name the request.
fn gist(status: u16, body: &Value) -> Value {
    json!({"status": status, "code": body["code"], "title": body["title"], "detail": body["detail"]})
}

async fn call(app: &TestApp, method: &Method, path: &str, token: &str) -> (u16, Value) {
    let mut req = app.request(method.clone(), path, token);
    if *method != Method::GET && *method != Method::DELETE {
        req = req.json(&json!({}));
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn operations() -> Vec<(Method, String, Op)> {
    let doc: Value = serde_json::from_str(&thncd::openapi::to_json(&thncd::openapi::document())).unwrap();
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            if PUBLIC_OPERATIONS.contains(&id) {
                continue;
            }
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            ops.push((method, path.clone(), Op::from_operation_id(id).unwrap()));
        }
    }
    ops
}

async fn every_operation_with_every_role(app: TestApp) {
    let mut tokens = Vec::new();
    for role in Role::ALL {
        let (_, token) = app.account(&format!("m.{}", role.as_str()), &[role.as_str()], UNIT).await;
        tokens.push((role, token));
    }
    let police = &tokens.iter().find(|(r, _)| *r == Role::Police).unwrap().1;
    let world = build_world(&app, police).await;
    let ops = operations();
    assert!(ops.len() >= 120, "the document lists {} operations", ops.len());

    let mut checked = 0;
    let mut failures = Vec::new();
    for (method, path, op) in &ops {
        let reads = *method == Method::GET;
        for (role, token) in &tokens {
            if op.allows(&[*role]) {
                // Allowed: never 403, never 5xx. Writes aim at records that do not exist, so the
                // matrix changes nothing; reads aim at the real ones.
                let url = fill(path, &world, reads);
                let (status, body) = call(&app, method, &url, token).await;
                if status == 403 || status >= 500 {
                    failures.push(format!("{} {method} {url}: allowed, got {status} {body}", role.as_str()));
                }
            } else {
                // Denied: 403 problem, the same whether the record exists or not.
                let (status, body) = call(&app, method, &fill(path, &world, true), token).await;
                let (status2, body2) = call(&app, method, &fill(path, &world, false), token).await;
                if status != 403 || body["code"] != "forbidden" {
                    failures.push(format!("{} {method} {path}: denied, got {status} {body}", role.as_str()));
                } else if gist(status, &body) != gist(status2, &body2) {
                    failures.push(format!(
                        "{} {method} {path}: denial differs by existence: {body} / {body2}",
                        role.as_str()
                    ));
                }
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
    eprintln!(
        "authorization matrix ({:?}): {} operations x {} roles = {checked} checks",
        app.backend,
        ops.len(),
        tokens.len()
    );
    assert_eq!(checked, ops.len() * Role::ALL.len());

    // Outside the unit: every read of a record of UNIT answers exactly as for a record that
    // does not exist, and no list or export of another unit mentions it.
    let mut outside = 0;
    for unit in [NEIGHBOUR, FAR] {
        for role in Role::ALL {
            let username = format!("o{unit}.{}", role.as_str());
            let (_, token) = app.account(&username, &[role.as_str()], unit).await;
            for (method, path, _) in ops.iter().filter(|(m, _, op)| *m == Method::GET && op.allows(&[role])) {
                let (status, body) = call(&app, method, &fill(path, &world, true), &token).await;
                if path.contains("{id}")
                    && !path.starts_with("/api/v1/accounts")
                    && !path.starts_with("/api/v1/clients")
                {
                    let (status2, body2) = call(&app, method, &fill(path, &world, false), &token).await;
                    assert_eq!(
                        gist(status, &body),
                        gist(status2, &body2),
                        "{} in {unit}: {path} tells that a record of {UNIT} exists",
                        role.as_str()
                    );
                    // 404, or the same 4xx a record that exists nowhere gets (a missing query parameter).
                    assert!((400..500).contains(&status), "{} in {unit}: {path}: {status} {body}", role.as_str());
                } else {
                    let text = body.to_string();
                    assert!(status < 500, "{} in {unit}: {path}: {status} {text}", role.as_str());
                    for (what, id) in &world.ids {
                        assert!(
                            !text.contains(id.as_str()),
                            "{} in {unit}: {path} shows {what} {id} of {UNIT}",
                            role.as_str()
                        );
                    }
                }
                outside += 1;
            }
        }
    }
    eprintln!("outside the unit ({:?}): {outside} reads checked", app.backend);
    assert!(outside > 100);
    assert_eq!(world.person, world.ids["persons"]);
}

/// Keys that carry criminal-record data (offence, penalty, classification, expungement).
const CRIMINAL_KEYS: &[&str] = &[
    "offence_group",
    "offence_articles",
    "chapter",
    "principal",
    "additional_penalties",
    "penalty",
    "convictions",
    "classification",
    "needs_focus",
    "judgment_number",
    "judicial_record_number",
    "expungement_due_on",
    "expungement",
];

fn criminal_keys_in(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if CRIMINAL_KEYS.contains(&k.as_str()) {
                    found.push(format!("{path}.{k}"));
                }
                criminal_keys_in(v, &format!("{path}.{k}"), found);
            }
        }
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, v)| criminal_keys_in(v, &format!("{path}[{i}]"), found))
        }
        _ => {}
    }
}

async fn the_bank_never_sees_criminal_fields(app: TestApp) {
    let (_, police) = app.account("m.police", &["police"], UNIT).await;
    let world = build_world(&app, &police).await;
    // The person is received and managed, so it appears in every list the bank can read.
    let person = &world.person;
    for (what, body) in [
        ("reception", json!({"received_on": days_ago(330), "receiving_officer": "A", "commitment_signed": true})),
        ("start-management", json!({"started_on": days_ago(320), "management_file_number": "HS-01"})),
    ] {
        let r = app.post(&format!("/api/v1/persons/{person}/{what}"), &police, &body).await;
        assert!(r.status().is_success(), "{what}: {}", r.text().await.unwrap());
    }
    // On a loan list sent to the bank: the persons the bank reaches.
    let (_, committee) = app.account("m.committee", &["commune_committee"], UNIT).await;
    let month = thncd::services::loans::month_of(thncd::time::today_vn());
    let entries = json!([{"person_id": person, "purpose": "production_business", "amount_wished_vnd": 50_000_000}]);
    let list = json(
        app.post("/api/v1/loan-eligibility-lists", &police, &json!({"unit": UNIT, "month": month, "entries": entries}))
            .await,
    )
    .await;
    let list = list["id"].as_str().unwrap_or_else(|| panic!("list: {list}")).to_string();
    certify_and_send(&app, &list, &committee, &police).await;
    let mut bank_tokens = Vec::new();
    bank_tokens.push(app.account("m.bank.commune", &["bank"], UNIT).await.1);
    bank_tokens.push(app.account("m.bank.province", &["bank"], "01").await.1);
    let client = json(
        app.post("/api/v1/clients", &app.admin_token, &json!({"name": "VBSP Hà Nội", "roles": ["bank"], "unit": "01"}))
            .await,
    )
    .await;
    let client_id = client["client_id"].as_str().or(client["id"].as_str()).unwrap();
    let resp = app.client_grant(client_id, client["client_secret"].as_str().unwrap()).await;
    bank_tokens.push(json(resp).await["access_token"].as_str().unwrap().to_string());

    let mut reads = 0;
    for token in &bank_tokens {
        // The person is visible to the bank (so the checks below look at real data).
        let seen = json(app.get(&format!("/api/v1/persons/{person}"), token).await).await;
        assert_eq!(seen["full_name"], "Trần Văn Ma Trận", "{seen}");
        for (method, path, op) in operations() {
            if method != Method::GET || !op.allows(&[Role::Bank]) {
                continue;
            }
            for query in ["", "?unit=00070", "?list=loan_candidates", "?list=managed"] {
                let url = format!("{}{query}", fill(&path, &world, true));
                let resp = app.get(&url, token).await;
                let status = resp.status().as_u16();
                let ct =
                    resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
                let bytes = resp.bytes().await.unwrap();
                assert!(status < 500, "{url}: {status}");
                if ct.starts_with("application/json") {
                    let body: Value = serde_json::from_slice(&bytes).unwrap();
                    let mut found = Vec::new();
                    criminal_keys_in(&body, "$", &mut found);
                    assert!(found.is_empty(), "the bank receives {found:?} from {url}: {body}");
                } else if ct.starts_with("text/csv") {
                    let text = String::from_utf8(bytes.to_vec()).unwrap();
                    let header = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("");
                    for col in header.split(',') {
                        assert!(!CRIMINAL_KEYS.contains(&col), "the bank receives column {col} from {url}");
                    }
                    assert!(!text.contains("theft"), "the bank receives the offence group from {url}");
                }
                reads += 1;
            }
        }
        // Every printed list reveals status or expungement data: the bank prints none.
        for list in ["managed", "loan_candidates", "overdue_contacts", "expungement_due"] {
            for format in ["csv", "xlsx"] {
                let (status, body) =
                    call(&app, &Method::GET, &format!("/api/v1/exports/persons?list={list}&format={format}"), token)
                        .await;
                assert_eq!((status, &body["code"]), (403, &json!("forbidden")), "bank export {list} {format}: {body}");
            }
        }
    }
    // A role that prints the managed list without criminal fields (labour): the XLSX export
    // holds the same columns as the CSV one, and no offence in any cell.
    let (_, labour) = app.account("m.labour.lists", &["labour"], UNIT).await;
    {
        let token = &labour;
        let csv = app.get("/api/v1/exports/persons?list=managed", token).await.text().await.unwrap();
        assert!(csv.contains("Trần Văn Ma Trận"), "labour's managed list holds the person: {csv}");
        let header = csv.trim_start_matches('\u{feff}').lines().next().unwrap();
        for col in header.split(',') {
            assert!(!CRIMINAL_KEYS.contains(&col), "labour receives column {col}");
        }
        let csv_columns = header.split(',').count();
        let xlsx = app.get("/api/v1/exports/persons?list=managed&format=xlsx", token).await;
        assert_eq!(xlsx.status(), 200);
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.bytes().await.unwrap().to_vec())).unwrap();
        let mut cells = Vec::new();
        for sheet in book.sheet_names() {
            let range = book.worksheet_range(&sheet).unwrap();
            assert_eq!(range.width(), csv_columns, "sheet {sheet} has the CSV's columns");
            cells.extend(range.rows().flat_map(|row| row.iter().map(|c| c.to_string())));
        }
        assert!(cells.iter().any(|c| c == "Trần Văn Ma Trận"), "{cells:?}");
        assert!(!cells.iter().any(|c| c == "theft" || c == "173" || c.contains("HS-ST")), "{cells:?}");
    }
    eprintln!("bank field visibility ({:?}): {reads} reads checked", app.backend);
    assert!(reads > 30);
}

/// What each `GET /persons` filter, `sort` value, export list kind and export parameter
/// reveals, named by the field of the person view that carries the same fact. A role may use
/// one exactly when its own view of the person shows that field.
const PERSON_FILTERS: &[(&str, &str, &str)] = &[
    ("unit", UNIT, "full_name"),
    ("q", "Ma", "full_name"),
    ("status", "under_management", "status"),
    ("release_type", "completed_sentence", "release_type"),
    ("offence_group", "theft", "offence_group"),
    ("classification", "b", "classification"),
    ("needs_focus", "false", "needs_focus"),
    ("juvenile", "false", "juvenile"),
    ("received_from", "2000-01-01", "received_on"),
    ("received_to", "2100-01-01", "received_on"),
    ("expungement_due_before", "2100-01-01", "expungement_due_on"),
    ("contact_overdue", "true", "classification"),
];
const PERSON_SORTS: &[(&str, &str)] = &[
    ("full_name", "full_name"),
    ("-full_name", "full_name"),
    ("created_at", "created_at"),
    ("-created_at", "created_at"),
    ("received_on", "received_on"),
    ("-received_on", "received_on"),
    ("expungement_due_on", "expungement_due_on"),
];
const EXPORT_LISTS: &[(&str, &[&str])] = &[
    ("managed", &["status"]),
    ("overdue_contacts", &["status", "classification"]),
    ("loan_candidates", &["status", "release_type"]),
    ("expungement_due", &["expungement_due_on"]),
];

/// Every role × every filter and sort of `GET /persons` × every list kind, format and
/// parameter of `GET /exports/persons`: allowed exactly when the role's own view of the
/// person shows the field the parameter reveals; otherwise a 422 naming the parameter (or the
/// operation's 403 for roles that never reach it).
async fn every_filter_sort_and_list_with_every_role(app: TestApp) {
    let (_, police) = app.account("fw.police", &["police"], UNIT).await;
    let (_, committee) = app.account("fw.committee", &["commune_committee"], UNIT).await;
    let world = build_world(&app, &police).await;
    let person = &world.person;
    let step = |path: &str, body: Value| {
        let url = format!("/api/v1/persons/{person}/{path}");
        let app = &app;
        let police = police.clone();
        async move {
            let r = app.post(&url, &police, &body).await;
            let status = r.status();
            assert!(status.is_success(), "{url}: {}", r.text().await.unwrap());
        }
    };
    step("reception", json!({"received_on": days_ago(330), "receiving_officer": "A", "commitment_signed": true})).await;
    step("start-management", json!({"started_on": days_ago(320), "management_file_number": "HS-01"})).await;
    let etag =
        app.get(&format!("/api/v1/persons/{person}"), &police).await.headers()["etag"].to_str().unwrap().to_string();
    let r = app
        .request(Method::PATCH, &format!("/api/v1/persons/{person}"), &police)
        .header("if-match", etag)
        .json(&json!({"classification": "b", "change_reason": "đánh giá"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // Every role reaches the person: the bank through a list sent to it, the supervisor
    // through an assignment.
    let mut tokens = Vec::new();
    for role in Role::ALL {
        let (id, token) = app.account(&format!("f.{}", role.as_str()), &[role.as_str()], UNIT).await;
        if role == Role::Supervisor {
            step("assignments", json!({"supervisor_kind": "mass_organisation_member", "supervisor_name": "Chị A", "organisation": "womens_union",
                    "account_id": id, "decision_number": "12/QĐ-UBND", "decision_date": days_ago(300), "from_date": days_ago(300)})).await;
        }
        tokens.push((role, token));
    }
    let entries = json!([{"person_id": person, "purpose": "production_business", "amount_wished_vnd": 50_000_000}]);
    let month = thncd::services::loans::month_of(thncd::time::today_vn());
    let list = json(
        app.post("/api/v1/loan-eligibility-lists", &police, &json!({"unit": UNIT, "month": month, "entries": entries}))
            .await,
    )
    .await;
    let list = list["id"].as_str().unwrap_or_else(|| panic!("list: {list}"));
    certify_and_send(&app, list, &committee, &police).await;

    let mut checked = 0;
    let mut failures = Vec::new();
    let mut expect = |what: String, status: u16, body: &Value, want: Result<(), &str>| {
        let good = match want {
            Ok(()) => status == 200,
            Err("") => status == 403 && body["code"] == "forbidden",
            Err(param) => {
                status == 422 && body["invalid_params"].as_array().is_some_and(|p| p.iter().any(|i| i["name"] == param))
            }
        };
        if !good {
            failures.push(format!("{what}: want {want:?}, got {status} {body}"));
        }
        checked += 1;
    };
    for (role, token) in &tokens {
        let role = *role;
        // The role's own view of the person decides (admin and auditor have none).
        let view = if Op::GetPerson.allows(&[role]) {
            let v = json(app.get(&format!("/api/v1/persons/{person}"), token).await).await;
            assert_eq!(&v["id"], person, "{} reaches the person: {v}", role.as_str());
            v
        } else {
            json!({})
        };
        let shows = |field: &str| view.get(field).is_some_and(|v| !v.is_null());
        let persons_op = Op::ListPersons.allows(&[role]);
        for (name, value, field) in PERSON_FILTERS {
            let (status, body) = call(&app, &Method::GET, &format!("/api/v1/persons?{name}={value}"), token).await;
            let want = if !persons_op {
                Err("")
            } else if shows(field) {
                Ok(())
            } else {
                Err(*name)
            };
            expect(format!("{} /persons?{name}", role.as_str()), status, &body, want);
        }
        for (key, field) in PERSON_SORTS {
            let (status, body) = call(&app, &Method::GET, &format!("/api/v1/persons?sort={key}"), token).await;
            let want = if !persons_op {
                Err("")
            } else if shows(field) {
                Ok(())
            } else {
                Err("sort")
            };
            expect(format!("{} /persons?sort={key}", role.as_str()), status, &body, want);
        }
        let export_op = Op::ExportPersons.allows(&[role]);
        let mut usable = 0;
        for (list, fields) in EXPORT_LISTS {
            let allowed = fields.iter().all(|f| shows(f));
            usable += usize::from(allowed);
            for extra in ["", "&format=xlsx", &format!("&unit={UNIT}")] {
                let (status, body) =
                    call(&app, &Method::GET, &format!("/api/v1/exports/persons?list={list}{extra}"), token).await;
                let want = if !export_op {
                    Err("")
                } else if allowed {
                    Ok(())
                } else {
                    Err("list")
                };
                expect(format!("{} /exports/persons?list={list}{extra}", role.as_str()), status, &body, want);
            }
        }
        // `due_before` reveals the forecast date, whatever the list.
        let (status, body) =
            call(&app, &Method::GET, "/api/v1/exports/persons?list=managed&due_before=2100-01-01", token).await;
        let want = if !export_op {
            Err("")
        } else if !shows("expungement_due_on") {
            Err("due_before")
        } else if shows("status") {
            Ok(())
        } else {
            Err("list")
        };
        expect(format!("{} /exports/persons?due_before", role.as_str()), status, &body, want);
        // The export operation is granted to a role that may print some list (supervisors
        // keep their caseload in the application).
        if role != Role::Supervisor {
            assert_eq!(export_op, usable > 0, "{}: export granted {export_op}, usable lists {usable}", role.as_str());
        }
    }
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
    let per_role = PERSON_FILTERS.len() + PERSON_SORTS.len() + EXPORT_LISTS.len() * 3 + 1;
    assert_eq!(checked, Role::ALL.len() * per_role);
    eprintln!("filter/sort/list matrix ({:?}): {checked} checks", app.backend);
}

dual!(every_operation_with_every_role, the_bank_never_sees_criminal_fields, every_filter_sort_and_list_with_every_role);
