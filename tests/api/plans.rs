//! Issue 27: plans as the documents write them. A province's Đề án 2025–2030, a district's
//! plan 2021–2025 (a named area) and a commune's model plan, over a small history built
//! through the API; every target's progress checked against values computed by hand,
//! including ranges, strict bounds, deadlines and a bound that changes in a later year.
//! Then who may set which target, validation, ETags and archiving.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

const A: &str = "00070"; // Phường Hoàn Kiếm, Hà Nội (01)
const B: &str = "00073"; // Phường Cửa Nam, Hà Nội (01)

fn conviction(judgment: &str, release: &str) -> Value {
    json!({"judgment_number": format!("{}/HS-ST", &judgment[..4]), "court": "TAND", "judgment_date": judgment,
           "offence_articles": ["173"], "offence_group": "theft", "chapter": 16,
           "principal": {"kind": "imprisonment", "months": 12}, "new_offence": false,
           "release_date": release, "release_type": "completed_sentence",
           "certificate_number": "12/GCN", "certificate_date": release})
}

/// A new offence judged on `judgment`: the person reoffends.
fn reoffence(judgment: &str) -> Value {
    json!({"judgment_number": "7/2025/HS-ST", "court": "TAND", "judgment_date": judgment, "offence_articles": ["173"],
           "offence_group": "theft", "chapter": 16, "principal": {"kind": "imprisonment", "months": 12},
           "new_offence": true, "crime_category": "serious", "culpability": "negligent"})
}

/// A person of `unit` released on `released` and received on `received`; returns the id.
async fn received(app: &TestApp, police: &str, name: &str, unit: &str, released: &str, received: &str) -> String {
    let body = json!({"full_name": name, "gender": "male", "date_of_birth": "1985-03-02", "unit": unit, "registered_on": "2020-01-02"});
    let id = post_ok(app, "/api/v1/persons", police, &body).await["id"].as_str().unwrap().to_string();
    post_ok(app, &format!("/api/v1/persons/{id}/convictions"), police, &conviction("2023-06-01", released)).await;
    receive(app, police, &id, received).await;
    id
}

/// A model of `unit` founded on `founded` and launched on `launched`.
async fn model_launched(app: &TestApp, police: &str, unit: &str, founded: &str, steps: [&str; 4]) {
    let body = json!({"name": "Tổ tự quản", "model_type": "self_management_group", "unit": unit,
                      "sponsor_organisation": "fatherland_front", "founding_decision_number": "05/QĐ", "founding_decision_date": founded});
    let mid = post_ok(app, "/api/v1/models", police, &body).await["id"].as_str().unwrap().to_string();
    for (step, on) in ["committee_formed", "regulations_issued", "first_activities", "launched"].into_iter().zip(steps)
    {
        post_ok(app, &format!("/api/v1/models/{mid}/milestones"), police, &json!({"step": step, "achieved_on": on}))
            .await;
    }
}

async fn send(app: &TestApp, method: Method, path: &str, token: &str, body: Option<&Value>) -> reqwest::Response {
    let mut req = app.request(method, path, token);
    if let Some(b) = body {
        req = req.json(b);
    }
    req.send().await.unwrap()
}

/// The progress of a plan in a year, by the target's sentence.
async fn progress(app: &TestApp, token: &str, plan: &str, year: i32) -> BTreeMap<String, Value> {
    let body = get_ok(app, &format!("/api/v1/plans/{plan}/progress?year={year}"), token).await;
    assert_eq!(body["year"], year);
    by_text(&body)
}

fn by_text(progress: &Value) -> BTreeMap<String, Value> {
    progress["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["text"].as_str().unwrap().to_string(), t.clone()))
        .collect()
}

/// Checks one target's measure: (numerator, denominator, value, outcome).
fn check(p: &BTreeMap<String, Value>, text: &str, want: (Value, Value, Value, &str)) {
    let t = p.get(text).unwrap_or_else(|| panic!("no target `{text}` in {p:?}"));
    let got = (t["numerator"].clone(), t["denominator"].clone(), t["value"].clone(), t["outcome"].as_str().unwrap());
    assert_eq!(got, want, "{text}: {t}");
}

const REOFFENDING: &str = "Tỷ lệ người chấp hành xong án phạt tù tái phạm tội dưới 1%; đến năm 2030 giảm xuống 0,5%";
const TRAINED: &str = "Phấn đấu từ 30% đến 50% người chấp hành xong án phạt tù được đào tạo nghề";
const RECEIVED: &str = "Năm 2025 tiếp nhận, quản lý ít nhất 3 người";
const AT_END: &str = "Số người phải quản lý cuối năm dưới 3 người";
const D_TRAINED: &str = "Từ 20% đến 30% người được quản lý được đào tạo nghề";
const D_REOFFENDING: &str = "Tỷ lệ tái phạm không quá 33,33%";
const LAUNCH: &str = "Ra mắt mô hình trước ngày 10/11/2025";
const EARLY: &str = "Hoàn thành các bước xây dựng mô hình trước ngày 30/9/2025";
const C_REOFFENDING: &str = "Tỷ lệ tái phạm dưới 50%";
const C_TRAINED: &str = "Từ 50% đến 60% được học nghề";

async fn plans_tracked_year_by_year(app: TestApp) {
    let (_, vn) = app.account("ca.vn.kh", &["police"], "VN").await;
    let (_, hanoi) = app.account("ca.hn.kh", &["police"], "01").await;
    let (_, auditor) = app.account("kt.hn.kh", &["auditor"], "01").await;
    let (_, ub_a) = app.account("ub.a.kh", &["commune_committee"], A).await;
    let (_, ca_a) = app.account("ca.a.kh", &["police"], A).await;
    let (_, ca_b) = app.account("ca.b.kh", &["police"], B).await;
    let (_, ld_a) = app.account("ld.a.kh", &["labour"], A).await;

    // The history. 2025: P1 and P2 received in A, P3 in B; P1 trained; P2 reoffends.
    // 2026: P4 received in A. A model of A is launched on 20/10/2025.
    let p1 = received(&app, &vn, "Nguyễn Văn Một", A, "2025-01-10", "2025-01-15").await;
    let p2 = received(&app, &vn, "Trần Văn Hai", A, "2025-02-05", "2025-02-10").await;
    received(&app, &vn, "Lê Văn Ba", B, "2025-03-01", "2025-03-05").await;
    received(&app, &vn, "Phạm Văn Bốn", A, "2026-02-05", "2026-02-10").await;
    let training = json!({"course": "Sửa chữa xe máy", "level": "under_3_months", "start_date": "2025-04-01", "end_date": "2025-06-30"});
    post_ok(&app, &format!("/api/v1/persons/{p1}/trainings"), &ld_a, &training).await;
    post_ok(&app, &format!("/api/v1/persons/{p2}/convictions"), &vn, &reoffence("2025-06-01")).await;
    model_launched(&app, &vn, A, "2025-09-01", ["2025-09-10", "2025-09-20", "2025-10-01", "2025-10-20"]).await;

    // The province's Đề án 2025–2030.
    let decision = |n: &str, d: &str, by: &str| json!({"number": n, "date": d, "issuer": by});
    let province_plan = json!({
    "name": "Đề án tái hòa nhập cộng đồng giai đoạn 2025–2030", "unit": "01", "from_year": 2025, "to_year": 2030,
    "decision": decision("1234/QĐ-UBND", "2025-01-20", "UBND thành phố Hà Nội"),
    "targets": [
        {"text": REOFFENDING, "indicator": "rates.reoffending_of_managed", "max": 1, "max_exclusive": true,
         "later_bounds": [{"from_year": 2030, "max": 0.5}]},
        {"text": TRAINED, "indicator": "rates.trained", "min": 30, "aim": 50},
        {"text": RECEIVED, "indicator": "received.total", "min": 3, "from_year": 2025, "to_year": 2025},
        {"text": AT_END, "indicator": "managed.at_end", "max": 3, "max_exclusive": true},
    ]});
    let resp = app.post("/api/v1/plans", &hanoi, &province_plan).await;
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.headers()["etag"], "\"v1\"");
    let pp = json(resp).await;
    let pp_id = pp["id"].as_str().unwrap().to_string();
    assert_eq!(pp["unit"], "01");
    assert_eq!(pp["decision"]["number"], "1234/QĐ-UBND");
    assert_eq!(pp["targets"][0]["measure"], "rate");
    assert_eq!(pp["targets"][0]["from_year"], 2025);
    assert_eq!(pp["targets"][0]["to_year"], 2030);
    assert_eq!(pp["targets"][0]["max"], 1.0);
    assert_eq!(pp["targets"][0]["max_exclusive"], true);
    assert_eq!(
        pp["targets"][0]["later_bounds"],
        json!([{"from_year": 2030, "min": null, "aim": null, "max": 0.5, "max_exclusive": false}])
    );
    assert_eq!(pp["targets"][2]["measure"], "count");

    // The district's plan 2021–2025 over the former district's wards (a named area).
    let area = post_ok(&app, "/api/v1/areas", &hanoi, &json!({"name": "Quận Hoàn Kiếm (cũ)", "units": [A, B]})).await;
    let area_unit = area["unit"].as_str().unwrap().to_string();
    let district_plan = json!({
    "name": "Kế hoạch thực hiện công tác tái hòa nhập cộng đồng giai đoạn 2021–2025", "unit": area_unit,
    "from_year": 2021, "to_year": 2025, "decision": decision("56/KH-UBND", "2021-03-15", "UBND quận Hoàn Kiếm"),
    "targets": [
        {"text": D_TRAINED, "indicator": "rates.trained", "min": 20, "aim": 30},
        {"text": D_REOFFENDING, "indicator": "rates.reoffending_of_managed", "max": 33.33},
    ]});
    let dp_id = post_ok(&app, "/api/v1/plans", &hanoi, &district_plan).await["id"].as_str().unwrap().to_string();

    // The commune's plan for its model, entered by the commune committee.
    let commune_plan = json!({
    "name": "Kế hoạch xây dựng mô hình Tổ tự quản năm 2025", "from_year": 2025, "to_year": 2025,
    "decision": decision("12/KH-UBND", "2025-08-15", "UBND phường Hoàn Kiếm"),
    "targets": [
        {"text": LAUNCH, "indicator": "organisation.models_active", "min": 1, "due_on": "2025-11-10"},
        {"text": EARLY, "indicator": "organisation.models_active", "min": 1, "due_on": "2025-09-30"},
        {"text": C_REOFFENDING, "indicator": "rates.reoffending_of_managed", "max": 50, "max_exclusive": true},
        {"text": C_TRAINED, "indicator": "rates.trained", "min": 50, "aim": 60},
    ]});
    let cp = post_ok(&app, "/api/v1/plans", &ub_a, &commune_plan).await;
    let cp_id = cp["id"].as_str().unwrap().to_string();
    assert_eq!(cp["unit"], A);
    assert_eq!(
        (cp["targets"][0]["from_year"].clone(), cp["targets"][0]["to_year"].clone()),
        (json!(2025), json!(2025))
    );

    // Province 2025: managed during the year P1, P2, P3 (3); P2 reoffended (1); P1 trained (1);
    // received 3; managed at 31/12 P1 and P3 (2).
    let p = progress(&app, &auditor, &pp_id, 2025).await;
    assert_eq!(p.len(), 4);
    check(&p, REOFFENDING, (json!(1), json!(3), json!(33.33), "not_met"));
    check(&p, TRAINED, (json!(1), json!(3), json!(33.33), "met"));
    check(&p, RECEIVED, (json!(3), Value::Null, json!(3.0), "met"));
    check(&p, AT_END, (json!(2), Value::Null, json!(2.0), "met"));
    assert_eq!((p[REOFFENDING]["max"].clone(), p[REOFFENDING]["max_exclusive"].clone()), (json!(1.0), json!(true)));
    assert_eq!(
        (p[REOFFENDING]["from"].clone(), p[REOFFENDING]["to"].clone()),
        (json!("2025-01-01"), json!("2025-12-31"))
    );
    // 2026: managed P1, P3, P4 (3), no reoffence, nobody trained; the 2025-only target is
    // gone; 3 at the end equals the strict maximum.
    let p = progress(&app, &hanoi, &pp_id, 2026).await;
    assert_eq!(p.len(), 3);
    check(&p, REOFFENDING, (json!(0), json!(3), json!(0.0), "met"));
    check(&p, TRAINED, (json!(0), json!(3), json!(0.0), "not_met"));
    check(&p, AT_END, (json!(3), Value::Null, json!(3.0), "not_met"));
    // 2029 keeps "dưới 1%"; from 2030 the bound is 0,5% (inclusive).
    let p = progress(&app, &hanoi, &pp_id, 2029).await;
    assert_eq!((p[REOFFENDING]["max"].clone(), p[REOFFENDING]["max_exclusive"].clone()), (json!(1.0), json!(true)));
    let p = progress(&app, &hanoi, &pp_id, 2030).await;
    assert_eq!((p[REOFFENDING]["max"].clone(), p[REOFFENDING]["max_exclusive"].clone()), (json!(0.5), json!(false)));
    check(&p, REOFFENDING, (json!(0), json!(3), json!(0.0), "met"));

    // District area 2025: the same three persons: 1 of 3 trained (33,33 % ≥ aim 30 %:
    // exceeded); 1 of 3 reoffended, exactly the inclusive maximum. 2021: no one managed.
    let p = progress(&app, &hanoi, &dp_id, 2025).await;
    check(&p, D_TRAINED, (json!(1), json!(3), json!(33.33), "exceeded"));
    check(&p, D_REOFFENDING, (json!(1), json!(3), json!(33.33), "met"));
    let p = progress(&app, &hanoi, &dp_id, 2021).await;
    check(&p, D_TRAINED, (json!(0), json!(0), Value::Null, "no_data"));

    // Commune A 2025: P1 and P2 managed, P2 reoffended (50 %, the strict maximum: not met),
    // P1 trained (50 %, the minimum: met). The model launched on 20/10: one active model on
    // 10/11 (met), none yet on 30/9 (not met); each measured from 1/1/2025 to its deadline.
    let p = progress(&app, &ub_a, &cp_id, 2025).await;
    check(&p, LAUNCH, (json!(1), Value::Null, json!(1.0), "met"));
    check(&p, EARLY, (json!(0), Value::Null, json!(0.0), "not_met"));
    check(&p, C_REOFFENDING, (json!(1), json!(2), json!(50.0), "not_met"));
    check(&p, C_TRAINED, (json!(1), json!(2), json!(50.0), "met"));
    assert_eq!((p[LAUNCH]["from"].clone(), p[LAUNCH]["to"].clone()), (json!("2025-01-01"), json!("2025-11-10")));
    assert_eq!(p[EARLY]["to"], "2025-09-30");

    // Reports carry the progress of the plans of their unit and period.
    let ind = get_ok(&app, &format!("/api/v1/reports/indicators?unit={A}&from=2025-01-01&to=2025-12-31"), &ub_a).await;
    let plans = ind["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 1, "{}", ind["plans"]);
    assert_eq!(plans[0]["plan_id"], cp_id);
    assert_eq!(by_text(&plans[0]), progress(&app, &ub_a, &cp_id, 2025).await);
    let ind =
        get_ok(&app, &format!("/api/v1/reports/indicators?unit={area_unit}&from=2025-01-01&to=2025-12-31"), &hanoi)
            .await;
    assert_eq!(ind["plans"].as_array().unwrap().len(), 1);
    check(&by_text(&ind["plans"][0]), D_TRAINED, (json!(1), json!(3), json!(33.33), "exceeded"));
    let ind = get_ok(&app, "/api/v1/reports/indicators?unit=01&from=2025-01-01&to=2025-06-30", &hanoi).await;
    let half = by_text(&ind["plans"][0]);
    // The first half: P1, P2, P3 managed, P2's reoffence on 1/6, P1 trained in April.
    check(&half, REOFFENDING, (json!(1), json!(3), json!(33.33), "not_met"));
    assert_eq!(half[RECEIVED]["to"], "2025-06-30");
    let ind = get_ok(&app, &format!("/api/v1/reports/indicators?unit={B}&from=2025-01-01&to=2025-12-31"), &ca_b).await;
    assert_eq!(ind["plans"], json!([]));
    // A report freezes them with the figures.
    let report = post_ok(
        &app,
        "/api/v1/reports",
        &ub_a,
        &json!({"period_kind": "annual", "period_from": "2025-01-01", "period_to": "2025-12-31"}),
    )
    .await;
    assert_eq!(by_text(&report["figures"]["plans"][0])[LAUNCH]["outcome"], "met");

    // Lists, jurisdiction and ETags.
    let list = get_ok(&app, "/api/v1/plans?year=2025", &hanoi).await;
    assert_eq!(list["total"], 3, "{list}");
    let list = get_ok(&app, "/api/v1/plans?year=2021", &hanoi).await;
    assert_eq!(list["items"][0]["id"], dp_id);
    assert_eq!(get_ok(&app, &format!("/api/v1/plans?unit={A}"), &ub_a).await["total"], 1);
    assert_eq!(get_ok(&app, "/api/v1/plans", &ca_b).await["total"], 0);
    assert_eq!(app.get(&format!("/api/v1/plans/{cp_id}"), &ca_b).await.status(), 404);
    assert_eq!(app.get(&format!("/api/v1/plans/{dp_id}"), &ub_a).await.status(), 404);
    assert_problem(
        app.get(&format!("/api/v1/plans/{pp_id}/progress?year=2031"), &hanoi).await,
        422,
        "validation_failed",
    )
    .await;
    let path = format!("/api/v1/plans/{pp_id}");
    let resp = app.get(&path, &auditor).await;
    assert_eq!(resp.headers()["etag"], "\"v1\"");
    let rename = json!({"name": "Đề án 2025–2030 (sửa đổi)"});
    assert_eq!(send(&app, Method::PATCH, &path, &hanoi, Some(&rename)).await.status(), 428);
    let stale =
        app.request(Method::PATCH, &path, &hanoi).header("if-match", "\"v7\"").json(&rename).send().await.unwrap();
    assert_eq!(stale.status(), 412);
    let resp =
        app.request(Method::PATCH, &path, &hanoi).header("if-match", "\"v1\"").json(&rename).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["etag"], "\"v2\"");
    let renamed = json(resp).await;
    assert_eq!(renamed["name"], "Đề án 2025–2030 (sửa đổi)");
    assert_eq!(renamed["targets"], pp["targets"], "a rename keeps the targets");
    // Shrinking the period under a target's years is refused.
    let shrink = app
        .request(Method::PATCH, &path, &hanoi)
        .header("if-match", "\"v2\"")
        .json(&json!({"to_year": 2029}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(shrink, 422, "validation_failed").await;
    assert_eq!(body["invalid_params"][0]["name"], "targets[0].to_year", "{body}");

    // Archiving: gone from lists and reports, still readable.
    assert_eq!(send(&app, Method::DELETE, &format!("/api/v1/plans/{cp_id}"), &ub_a, None).await.status(), 204);
    assert_eq!(get_ok(&app, &format!("/api/v1/plans?unit={A}"), &ub_a).await["total"], 0);
    assert_eq!(get_ok(&app, &format!("/api/v1/plans?unit={A}&archived=true"), &ub_a).await["total"], 1);
    assert!(get_ok(&app, &format!("/api/v1/plans/{cp_id}"), &ub_a).await["archived_at"].is_string());
    let ind = get_ok(&app, &format!("/api/v1/reports/indicators?unit={A}&from=2025-01-01&to=2025-12-31"), &ub_a).await;
    assert_eq!(ind["plans"], json!([]));
    let late = app
        .request(Method::PATCH, &format!("/api/v1/plans/{cp_id}"), &ub_a)
        .header("if-match", "\"v2\"")
        .json(&rename)
        .send()
        .await
        .unwrap();
    assert_problem(late, 409, "plan_archived").await;

    // Who sets which target: commune police set reception and management, not training.
    let labour_plan = |indicator: &str| {
        json!({"name": "Kế hoạch đào tạo nghề 2026", "from_year": 2026, "to_year": 2026,
               "decision": decision("3/KH-LĐTBXH", "2026-01-05", "Phòng Văn hóa - Xã hội"),
               "targets": [{"text": "Đào tạo nghề từ 40% đến 60%", "indicator": indicator, "min": 40, "aim": 60}]})
    };
    let resp = app.post("/api/v1/plans", &ca_a, &labour_plan("rates.trained")).await;
    let body = assert_problem(resp, 403, "forbidden").await;
    assert!(body["detail"].as_str().unwrap().contains("`rates.trained`"), "{body}");
    assert_eq!(app.post("/api/v1/plans", &ld_a, &labour_plan("rates.trained")).await.status(), 201);
    let resp = app.post("/api/v1/plans", &ld_a, &labour_plan("rates.reoffending_of_managed")).await;
    let body = assert_problem(resp, 403, "forbidden").await;
    assert!(body["detail"].as_str().unwrap().contains("`rates.reoffending_of_managed`"), "{body}");
}

async fn target_permissions_and_validation(app: TestApp) {
    let (_, ca_a) = app.account("ca.a.q", &["police"], A).await;
    let (_, hanoi) = app.account("ca.hn.q", &["police"], "01").await;
    let (_, tp_a) = app.account("tp.a.q", &["justice"], A).await;
    let (_, ld_a) = app.account("ld.a.q", &["labour"], A).await;
    let (_, nh_a) = app.account("nh.a.q", &["bank"], A).await;
    let (_, ub_a) = app.account("ub.a.q", &["commune_committee"], A).await;
    let target = |indicator: &str| json!({"year": 2026, "indicator": indicator, "measure": if indicator.starts_with("rates.") { "rate" } else { "count" }, "min": 1});
    // Targets outside a plan follow the same table.
    for (token, indicator, status) in [
        (&ca_a, "rates.reoffending_of_managed", 201),
        (&ca_a, "rates.trained", 403),
        (&ca_a, "rates.given_loans", 201),
        (&tp_a, "rates.given_legal_help", 201),
        (&tp_a, "exits.expunged", 201),
        (&tp_a, "received.total", 403),
        (&ld_a, "rates.trained", 201),
        (&ld_a, "support.hired_persons", 201),
        (&ld_a, "support.legal_help_persons", 403),
        (&nh_a, "loans.borrowers", 201),
        (&nh_a, "managed.at_end", 403),
        (&ub_a, "support.legal_help_persons", 201),
        (&hanoi, "rates.trained", 201),
    ] {
        let resp = app.post("/api/v1/targets", token, &target(indicator)).await;
        let got = resp.status().as_u16();
        let body = resp.text().await.unwrap();
        assert_eq!(got, status, "{indicator}: {body}");
        if status == 403 {
            assert!(body.contains(&format!("`{indicator}`")), "{body}");
        }
    }
    // Deleting another agency's target is refused the same way.
    let eff = get_ok(&app, &format!("/api/v1/targets?unit={A}&year=2026"), &ub_a).await;
    let trained = eff["items"].as_array().unwrap().iter().find(|t| t["indicator"] == "rates.trained").unwrap().clone();
    let resp =
        send(&app, Method::DELETE, &format!("/api/v1/targets/{}", trained["id"].as_str().unwrap()), &ca_a, None).await;
    assert_problem(resp, 403, "forbidden").await;

    // Bounds and years as documents phrase them; each mistake names its field.
    let plan = |target: Value| {
        json!({"name": "Kế hoạch", "from_year": 2025, "to_year": 2030,
               "decision": {"number": "1/KH", "date": "2025-01-02", "issuer": "UBND"}, "targets": [target]})
    };
    let t = |extra: Value| {
        let mut base = json!({"text": "Chỉ tiêu", "indicator": "rates.reoffending_of_managed"});
        base.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        base
    };
    for (target, field) in [
        (t(json!({})), "targets[0].min"),
        (t(json!({"aim": 50})), "targets[0].aim"),
        (t(json!({"min": 50, "aim": 40})), "targets[0].aim"),
        (t(json!({"min": 1, "max": 1, "max_exclusive": true})), "targets[0].min"),
        (t(json!({"max": 101})), "targets[0].max"),
        (t(json!({"min": -1})), "targets[0].min"),
        (t(json!({"min": 1, "max_exclusive": true})), "targets[0].max_exclusive"),
        (t(json!({"max": 1, "from_year": 2024})), "targets[0].from_year"),
        (t(json!({"max": 1, "to_year": 2031})), "targets[0].to_year"),
        (t(json!({"max": 1, "due_on": "2025-11-10", "to_year": 2026})), "targets[0].due_on"),
        (t(json!({"max": 1, "later_bounds": [{"from_year": 2031, "max": 0.5}]})), "targets[0].later_bounds"),
        (t(json!({"max": 1, "later_bounds": [{"from_year": 2030, "aim": 0.5}]})), "targets[0].later_bounds[0].aim"),
        (t(json!({"max": 1, "later_bounds": [{"from_year": 2030}]})), "targets[0].later_bounds[0].min"),
        (t(json!({"max": 1, "indicator": "rates.nonsense"})), "targets[0].indicator"),
    ] {
        let body =
            assert_problem(app.post("/api/v1/plans", &ub_a, &plan(target.clone())).await, 422, "validation_failed")
                .await;
        assert_eq!(body["invalid_params"][0]["name"], field, "{target}: {body}");
    }
    let mut bad = plan(t(json!({"max": 1})));
    bad["to_year"] = json!(2024);
    let body = assert_problem(app.post("/api/v1/plans", &ub_a, &bad).await, 422, "validation_failed").await;
    assert_eq!(body["invalid_params"][0]["name"], "to_year");
    bad["to_year"] = json!(2030);
    bad["unit"] = json!(B);
    let body = assert_problem(app.post("/api/v1/plans", &ub_a, &bad).await, 422, "validation_failed").await;
    assert_eq!(body["invalid_params"][0]["name"], "unit");
    bad["unit"] = json!(A);
    bad["surprise"] = json!(1);
    assert_eq!(app.post("/api/v1/plans", &ub_a, &bad).await.status(), 422);
    // The writes are audited.
    bad.as_object_mut().unwrap().remove("surprise");
    let id = post_ok(&app, "/api/v1/plans", &ub_a, &bad).await["id"].as_str().unwrap().to_string();
    let events = get_ok(&app, &format!("/api/v1/audit-events?entity_id={id}"), &app.admin_token).await;
    assert_eq!(events["items"][0]["action"], "plan.create", "{events}");
}

dual!(plans_tracked_year_by_year, target_permissions_and_validation);
