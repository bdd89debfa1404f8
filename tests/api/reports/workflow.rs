//! Targets, the report workflow, consolidation and exports.

use super::*;

async fn targets_reports_and_exports(app: TestApp) {
    let (_, vn) = app.account("ca.vn2", &["police"], "VN").await;
    let (_, province) = app.account("ca.hn", &["police"], "01").await;
    let (_, ub_a) = app.account("ub.a2", &["commune_committee"], A).await;
    let (_, ca_b) = app.account("ca.b2", &["police"], B).await;
    let (_, auditor) = app.account("kt.hn", &["auditor"], "01").await;
    // A small history: two received in A, one reoffends; one in B.
    for (unit, name, reoffend) in [(A, "Một", true), (A, "Hai", false), (B, "Ba", false)] {
        let r = app
            .post("/api/v1/release-notices", &vn, &json!({"person": {"full_name": name, "gender": "male", "unit": unit}, "facility": "Trại", "notice_date": d(300), "expected_release_date": d(250)}))
            .await;
        let id = ok(r, "notice").await["person_id"].as_str().unwrap().to_string();
        receive(&app, &vn, &id, &d(240)).await;
        if reoffend {
            let c = json!({"judgment_number": "1/2026", "court": "TAND", "judgment_date": d(100), "offence_articles": ["173"], "offence_group": "theft", "chapter": 16,
                           "principal": {"kind": "imprisonment", "months": 12}, "new_offence": true,
                               "crime_category": "serious", "culpability": "negligent"});
            ok(app.post(&format!("/api/v1/persons/{id}/convictions"), &vn, &c).await, "reoffend").await;
        }
    }
    let year = chrono::Datelike::year(&d(1));
    let (from, to) = (d(260), d(1));

    // Targets: national "reoffending under 1 %", a province band for training, A's own stricter reoffending target.
    let target = |token: &str, body: Value| {
        let req = app.request(Method::POST, "/api/v1/targets", token).json(&body);
        async move { req.send().await.unwrap() }
    };
    let r = target(
        &vn,
        json!({"unit": "VN", "year": year, "indicator": "rates.reoffending_of_managed", "measure": "rate", "max": 1.0}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let r =
        target(&province, json!({"year": year, "indicator": "rates.trained", "measure": "rate", "min": 20, "max": 25}))
            .await;
    assert_eq!(r.status(), 201);
    let r =
        target(&province, json!({"year": year, "indicator": "rates.trained", "measure": "rate", "min": 20, "max": 30}))
            .await;
    assert_eq!(r.status(), 200, "a second POST replaces");
    let r =
        target(&ub_a, json!({"year": year, "indicator": "rates.reoffending_of_managed", "measure": "rate", "max": 60}))
            .await;
    assert_eq!(r.status(), 201);
    let r = target(&ub_a, json!({"year": year, "indicator": "received.total", "measure": "count", "min": 2})).await;
    assert_eq!(r.status(), 201);
    for (body, field) in [
        (json!({"year": year, "indicator": "rates.nonsense", "measure": "rate", "max": 1}), "indicator"),
        (json!({"year": year, "indicator": "received.total", "measure": "rate", "max": 1}), "measure"),
        (json!({"year": year, "indicator": "rates.trained", "measure": "rate", "min": 30, "max": 20}), "min"),
        (json!({"year": year, "indicator": "rates.trained", "measure": "rate"}), "min"),
        (json!({"year": year, "indicator": "rates.trained", "measure": "rate", "max": 101}), "max"),
        (json!({"unit": B, "year": year, "indicator": "rates.trained", "measure": "rate", "max": 1}), "unit"),
    ] {
        let body = assert_problem(target(&ub_a, body).await, 422, "validation_failed").await;
        assert_eq!(body["invalid_params"][0]["name"], field, "{body}");
    }
    let eff = ok(app.get(&format!("/api/v1/targets?unit={A}&year={year}"), &province).await, "targets").await;
    let by: BTreeMap<String, (String, bool)> = eff["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["indicator"].as_str().unwrap().to_string(),
                (t["unit"].as_str().unwrap().to_string(), t["own"].as_bool().unwrap()),
            )
        })
        .collect();
    assert_eq!(by["rates.reoffending_of_managed"], (A.to_string(), true));
    assert_eq!(by["rates.trained"], ("01".to_string(), false));
    assert_eq!(by["received.total"], (A.to_string(), true));
    let ind =
        ok(app.get(&format!("/api/v1/reports/indicators?unit={A}&from={from}&to={to}"), &ub_a).await, "ind").await;
    let checks: BTreeMap<String, Value> = ind["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["indicator"].as_str().unwrap().to_string(), t.clone()))
        .collect();
    assert_eq!(ind["rates"]["reoffending_of_managed"]["percent"], 50.0);
    assert_eq!(checks["rates.reoffending_of_managed"]["outcome"], "met"); // A's own 60 % ceiling
    assert_eq!(checks["rates.reoffending_of_managed"]["set_by"], A);
    assert_eq!(checks["rates.trained"]["outcome"], "not_met"); // 0 % against the province's 20–30 %
    assert_eq!(checks["received.total"]["actual"], 2.0);
    assert_eq!(checks["received.total"]["outcome"], "met");
    let ind_b =
        ok(app.get(&format!("/api/v1/reports/indicators?unit={B}&from={from}&to={to}"), &ca_b).await, "ind b").await;
    let b_reoff = ind_b["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["indicator"] == "rates.reoffending_of_managed")
        .unwrap()
        .clone();
    assert_eq!((b_reoff["set_by"].as_str(), b_reoff["outcome"].as_str()), (Some("VN"), Some("met"))); // 0 % < 1 %

    // A commune's report: draft → submitted → returned → revised → submitted → accepted.
    let new = json!({"period_kind": "semiannual", "period_from": from, "period_to": to, "sections": {"situation": "Tình hình ổn định."}});
    let r = app.post("/api/v1/reports", &ub_a, &new).await;
    assert_eq!(r.status(), 201);
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let rep = json(r).await;
    let id = rep["id"].as_str().unwrap().to_string();
    assert_eq!(rep["status"], "draft");
    assert_eq!(rep["figures"]["received"]["total"], 2);
    assert_eq!(rep["due_on"], format!("{year}-05-15"));
    assert_problem(app.post("/api/v1/reports", &ub_a, &new).await, 409, "report_exists").await;
    let edit = |etag: &str, body: Value| {
        let req = app
            .request(Method::PATCH, &format!("/api/v1/reports/{id}"), &ub_a)
            .header("if-match", etag.to_string())
            .json(&body);
        async move { req.send().await.unwrap() }
    };
    let r = edit(&etag, json!({"sections": {"situation": "Tình hình ổn định.", "strengths": "Phối hợp tốt", "next_tasks": "=cmd|' /C calc'!A0"}})).await;
    assert_eq!(r.status(), 200);
    assert_problem(edit(&etag, json!({"title": "x"})).await, 412, "version_mismatch").await;
    assert_problem(
        app.post(&format!("/api/v1/reports/{id}/accept"), &province, &json!({})).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert_problem(app.post(&format!("/api/v1/reports/{id}/submit"), &province, &json!({})).await, 403, "forbidden")
        .await;
    let sub = ok(app.post(&format!("/api/v1/reports/{id}/submit"), &ub_a, &json!({})).await, "submit").await;
    assert_eq!(sub["status"], "submitted");
    let etag = format!("\"v{}\"", sub["version"]);
    assert_problem(edit(&etag, json!({"title": "changed"})).await, 409, "transition_not_allowed").await;
    // The commune cannot accept its own report; the province returns it with a comment.
    assert_problem(app.post(&format!("/api/v1/reports/{id}/accept"), &ub_a, &json!({})).await, 403, "forbidden").await;
    let r = app.post(&format!("/api/v1/reports/{id}/return"), &province, &json!({})).await;
    assert_eq!(assert_problem(r, 422, "validation_failed").await["invalid_params"][0]["name"], "comment");
    let ret = ok(
        app.post(&format!("/api/v1/reports/{id}/return"), &province, &json!({"comment": "Bổ sung số liệu vay vốn"}))
            .await,
        "return",
    )
    .await;
    assert_eq!(ret["status"], "returned");
    let v2 = app.post(&format!("/api/v1/reports/{id}/revise"), &ub_a, &json!({})).await;
    assert_eq!(v2.status(), 201);
    let v2 = json(v2).await;
    let id2 = v2["id"].as_str().unwrap().to_string();
    assert_eq!((v2["version_no"].as_i64(), v2["supersedes_id"].as_str()), (Some(2), Some(id.as_str())));
    assert_eq!(v2["sections"]["strengths"], "Phối hợp tốt");
    assert_problem(
        app.post(&format!("/api/v1/reports/{id}/revise"), &ub_a, &json!({})).await,
        409,
        "not_latest_version",
    )
    .await;
    let old = ok(app.get(&format!("/api/v1/reports/{id}"), &ub_a).await, "old").await;
    assert_eq!(old["status"], "returned");
    assert_eq!(old["decision_comment"], "Bổ sung số liệu vay vốn");
    ok(app.post(&format!("/api/v1/reports/{id2}/submit"), &ub_a, &json!({})).await, "submit v2").await;
    let acc =
        ok(app.post(&format!("/api/v1/reports/{id2}/accept"), &province, &json!({"comment": "Đạt"})).await, "accept")
            .await;
    assert_eq!(acc["status"], "accepted");

    // B never reports: overdue once the due date passed (d(1) is in `year`; 15 May may or may not be past).
    let overdue =
        ok(app.get(&format!("/api/v1/reports/overdue?period_kind=semiannual&year={year}"), &province).await, "overdue")
            .await;
    let units: Vec<&str> = overdue["items"].as_array().unwrap().iter().map(|u| u["unit"].as_str().unwrap()).collect();
    assert!(units.contains(&B) && !units.contains(&A), "{units:?}");
    assert_eq!(overdue["items"].as_array().unwrap().len(), 125, "126 communes in Hà Nội, one reported");
    assert_eq!(overdue["past_due"], today() > NaiveDate::from_ymd_opt(year, 5, 15).unwrap());
    let r = app.get(&format!("/api/v1/reports/overdue?period_kind=semiannual&year={year}"), &ub_a).await;
    assert_problem(r, 422, "validation_failed").await;

    // A late change to A's history makes the live figures differ from what A submitted.
    let r = app
        .post("/api/v1/release-notices", &vn, &json!({"person": {"full_name": "Bốn", "gender": "female", "unit": A}, "facility": "Trại", "notice_date": d(300), "expected_release_date": d(250)}))
        .await;
    let late_id = ok(r, "late").await["person_id"].as_str().unwrap().to_string();
    receive(&app, &vn, &late_id, &d(200)).await;
    let prov = app
        .post("/api/v1/reports", &province, &json!({"period_kind": "semiannual", "period_from": from, "period_to": to}))
        .await;
    assert_eq!(prov.status(), 201);
    let prov_id = json(prov).await["id"].as_str().unwrap().to_string();
    let cons = ok(app.get(&format!("/api/v1/reports/{prov_id}/consolidated"), &province).await, "consolidated").await;
    assert_eq!(cons["communes"].as_array().unwrap().len(), 1);
    let a = &cons["communes"][0];
    assert_eq!((a["unit"].as_str(), a["report_id"].as_str()), (Some(A), Some(id2.as_str())));
    assert_eq!(a["submitted"]["received"]["total"], 2);
    assert_eq!(a["live"]["received"]["total"], 3);
    let diffs: BTreeMap<String, (Value, Value)> = a["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["key"].as_str().unwrap().to_string(), (d["submitted"].clone(), d["live"].clone())))
        .collect();
    assert_eq!(diffs["received.total"], (json!(2), json!(3)));
    assert_eq!(diffs["rates.reoffending_of_managed"], (json!(5000), json!(3333)));
    assert_eq!(cons["missing"], json!([B]));
    assert_problem(
        app.get(&format!("/api/v1/reports/{id2}/consolidated"), &province).await,
        422,
        "not_a_province_report",
    )
    .await;

    // Exports.
    let r = app.get(&format!("/api/v1/reports/{id2}/export?format=csv"), &auditor).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("received.total,received,Tổng số tiếp nhận trong kỳ,2\r\n"), "{csv}");
    assert!(
        csv.contains("rates.reoffending_of_managed,rates,\"Tỷ lệ tái phạm, VPPL trên số được quản lý (%)\",50.00\r\n")
    );
    let r = app.get(&format!("/api/v1/reports/{id2}/export?format=html"), &province).await;
    let html = r.text().await.unwrap();
    assert!(html.contains("<h2>I. Tình hình chung</h2><p>Tình hình ổn định.</p>"));
    assert!(html.contains("Tổng số tiếp nhận trong kỳ</td><td class=\"num\">2</td>"));
    assert!(html.contains("50,00 % (1/2)"));
    assert!(html.contains("=cmd|&#39; /C calc&#39;!A0"));
    let r = app.get(&format!("/api/v1/reports/{prov_id}/export?format=xlsx"), &province).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "an XLSX is a zip");
    // The workbook lists a sheet per commune that reported.
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("xl/worksheets/sheet2.xml") && !text.contains("xl/worksheets/sheet3.xml"));
    assert_problem(
        app.get(&format!("/api/v1/reports/{id2}/export?format=pdf"), &province).await,
        422,
        "validation_failed",
    )
    .await;
    // Visibility: B's police cannot see A's report; the list is scoped.
    assert_problem(app.get(&format!("/api/v1/reports/{id2}"), &ca_b).await, 404, "not_found").await;
    let mine = ok(app.get("/api/v1/reports", &ca_b).await, "list b").await;
    assert_eq!(mine["total"], 0);
    let all = ok(app.get("/api/v1/reports?period_kind=semiannual", &province).await, "list 01").await;
    assert_eq!(all["total"], 3);
    // Every step is in the audit trail.
    let audit = ok(app.get(&format!("/api/v1/audit-events?entity_id={id}"), &app.admin_token).await, "audit").await;
    let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for a in ["report.create", "report.update", "report.submit", "report.return"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
}

dual!(targets_reports_and_exports);
