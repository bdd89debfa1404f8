//! Steering committees, reintegration models and outreach.

use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

fn member(body: &str, role: &str, name: &str, from: i64) -> Value {
    json!({"body": body, "role": role, "full_name": name, "title": "Chức vụ", "organisation": "commune_committee", "from_date": days_ago(from)})
}

async fn committee_life(app: TestApp) {
    let (_, police) = app.account("ca.bcd", &["police"], "00070").await;
    let (_, other) = app.account("ca.bcd2", &["police"], "00073").await;
    let est = |members: Vec<Value>| {
        json!({"unit": "00070", "name": "Ban Chỉ đạo THNCĐ phường Hoàn Kiếm", "working_group_name": "Tổ giúp việc",
               "decision_number": "01/QĐ-UBND", "decision_date": days_ago(100), "signer": "Chủ tịch UBND", "members": members})
    };
    // Without a standing deputy: refused.
    let r = app
        .post(
            "/api/v1/steering-committees",
            &police,
            &est(vec![member("committee", "head", "Ông Chủ Tịch", 100), member("committee", "member", "Bà A", 100)]),
        )
        .await;
    assert_problem(r, 409, "leadership_rule").await;
    // A working-group role in the committee: refused.
    let r = app
        .post(
            "/api/v1/steering-committees",
            &police,
            &est(vec![member("committee", "leader", "X", 100), member("committee", "standing_deputy", "Y", 100)]),
        )
        .await;
    assert_problem(r, 422, "validation_failed").await;
    let r = app
        .post(
            "/api/v1/steering-committees",
            &police,
            &est(vec![
                member("committee", "head", "Ông Chủ Tịch", 100),
                member("committee", "standing_deputy", "Trưởng Công An", 100),
                member("committee", "deputy", "Chủ tịch MTTQ", 100),
                member("working_group", "leader", "Phó Chủ Tịch", 100),
                member("working_group", "member", "Cán bộ CA", 100),
            ]),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let c = json(r).await;
    let id = c["id"].as_str().unwrap().to_string();
    assert_eq!(c["members"].as_array().unwrap().len(), 5);
    let head_id = c["members"].as_array().unwrap().iter().find(|m| m["role"] == "head").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let deputy_id = c["members"].as_array().unwrap().iter().find(|m| m["role"] == "standing_deputy").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // One active committee per commune; other communes cannot see it.
    let r = app
        .post(
            "/api/v1/steering-committees",
            &police,
            &est(vec![member("committee", "head", "A", 100), member("committee", "standing_deputy", "B", 100)]),
        )
        .await;
    assert_problem(r, 409, "committee_exists").await;
    assert_problem(app.get(&format!("/api/v1/steering-committees/{id}"), &other).await, 404, "not_found").await;

    // A second head is a 409; a replacement ends the first the same day.
    let r = app
        .post(
            &format!("/api/v1/steering-committees/{id}/members"),
            &police,
            &member("committee", "head", "Ông Mới", 50),
        )
        .await;
    assert_problem(r, 409, "leadership_rule").await;
    let mut new_head = member("committee", "head", "Ông Mới", 50);
    new_head["replaces"] = json!(head_id);
    assert_eq!(app.post(&format!("/api/v1/steering-committees/{id}/members"), &police, &new_head).await.status(), 201);
    let names_on = |v: &Value, role: &str| -> Vec<String> {
        v["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["role"] == role)
            .map(|m| m["full_name"].as_str().unwrap().to_string())
            .collect()
    };
    let before =
        json(app.get(&format!("/api/v1/steering-committees/{id}?as_of={}", days_ago(51)), &police).await).await;
    assert_eq!(names_on(&before, "head"), vec!["Ông Chủ Tịch"]);
    let on_day =
        json(app.get(&format!("/api/v1/steering-committees/{id}?as_of={}", days_ago(50)), &police).await).await;
    assert_eq!(names_on(&on_day, "head"), vec!["Ông Mới"]);

    // Consolidation: the standing deputy changes and a member joins, one decision, one event.
    let r = app
        .post(
            &format!("/api/v1/steering-committees/{id}/consolidations"),
            &police,
            &json!({"decision_number": "15/QĐ-UBND", "decision_date": days_ago(20), "note": "kiện toàn do thay đổi nhân sự",
                    "changes": [{"action": "end", "member_id": deputy_id, "reason": "chuyển công tác"},
                                {"action": "add", "member": member("committee", "standing_deputy", "Trưởng CA Mới", 20)},
                                {"action": "add", "member": member("committee", "member", "Trưởng thôn 3", 20)}]}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let after = json(r).await;
    assert_eq!(names_on(&after, "standing_deputy"), vec!["Trưởng CA Mới"]);
    assert_eq!(after["consolidations"].as_array().unwrap().len(), 1);
    let events =
        json(app.get("/api/v1/audit-events?action=steering_committee.consolidate", &app.admin_token).await).await;
    assert_eq!(events["total"], 1);
    // A consolidation that would leave no standing deputy is refused whole.
    let current = json(app.get(&format!("/api/v1/steering-committees/{id}"), &police).await).await;
    let sd = current["members"].as_array().unwrap().iter().find(|m| m["role"] == "standing_deputy").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(&format!("/api/v1/steering-committees/{id}/consolidations"), &police, &json!({"decision_number": "16/QĐ", "decision_date": days_ago(10), "changes": [{"action": "end", "member_id": sd}]}))
        .await;
    assert_problem(r, 409, "leadership_rule").await;
    assert_eq!(
        json(app.get(&format!("/api/v1/steering-committees/{id}"), &police).await).await["consolidations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // A member who supervises someone shows their open assignments when leaving.
    let thon = current["members"].as_array().unwrap().iter().find(|m| m["full_name"] == "Trưởng thôn 3").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let person = json(
        app.post("/api/v1/persons", &police, &json!({"full_name": "Lý Văn Giám", "gender": "male", "unit": "00070"}))
            .await,
    )
    .await;
    let pid = person["id"].as_str().unwrap();
    let r = app
        .post(&format!("/api/v1/persons/{pid}/assignments"), &police, &json!({"supervisor_kind": "committee_member", "supervisor_name": "Trưởng thôn 3", "committee_member_id": thon, "from_date": days_ago(5)}))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let left = json(
        app.post(
            &format!("/api/v1/steering-committees/{id}/members/{thon}/end"),
            &police,
            &json!({"to_date": days_ago(1), "reason": "nghỉ hưu"}),
        )
        .await,
    )
    .await;
    assert_eq!(left["open_assignments"].as_array().unwrap().len(), 1);

    // Dissolution ends every membership; then a new committee may be established.
    let r = app
        .post(
            &format!("/api/v1/steering-committees/{id}/dissolve"),
            &police,
            &json!({"decision_number": "30/QĐ-UBND", "dissolved_on": days_ago(0)}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let d = json(app.get(&format!("/api/v1/steering-committees/{id}?as_of={}", days_ago(0)), &police).await).await;
    assert_eq!(d["status"], "dissolved");
    assert_eq!(d["members"].as_array().unwrap().len(), 0);
    let r = app
        .post(&format!("/api/v1/steering-committees/{id}/members"), &police, &member("committee", "member", "X", 0))
        .await;
    assert_problem(r, 409, "committee_dissolved").await;
    let r = app
        .post(
            "/api/v1/steering-committees",
            &police,
            &est(vec![member("committee", "head", "A", 0), member("committee", "standing_deputy", "B", 0)]),
        )
        .await;
    assert_problem(r, 409, "leadership_rule").await; // no head between the decision and the members' start
    let mut fresh = est(vec![member("committee", "head", "A", 0), member("committee", "standing_deputy", "B", 0)]);
    fresh["decision_date"] = json!(days_ago(0));
    assert_eq!(app.post("/api/v1/steering-committees", &police, &fresh).await.status(), 201);
    let list = json(app.get("/api/v1/steering-committees?unit=00070", &police).await).await;
    assert_eq!(list["total"], 2);
}

async fn model_steps_participants_and_outreach(app: TestApp) {
    let (_, police) = app.account("ca.mh", &["police"], "00070").await;
    let (_, other) = app.account("ca.mh2", &["police"], "24829").await;
    let (_, province) = app.account("ca.hn", &["police"], "01").await;
    let m = json(
        app.post(
            "/api/v1/models",
            &police,
            &json!({"name": "Tổ tự quản hỗ trợ tái hòa nhập cộng đồng", "model_type": "self_management_group", "unit": "00070",
                    "sponsor_organisation": "fatherland_front", "founding_decision_number": "05/QĐ", "founding_decision_date": days_ago(90)}),
        )
        .await,
    )
    .await;
    let id = m["id"].as_str().unwrap().to_string();
    assert_eq!(m["status"], "planned");
    let step = |s: &str, d: i64| {
        let req = app
            .request(reqwest::Method::POST, &format!("/api/v1/models/{id}/milestones"), &police)
            .json(&json!({"step": s, "achieved_on": days_ago(d)}));
        async move { req.send().await.unwrap() }
    };
    assert_eq!(step("committee_formed", 80).await.status(), 201);
    // A launch before regulations is a 409.
    let body = assert_problem(step("launched", 70).await, 409, "step_out_of_order").await;
    assert!(body["detail"].as_str().unwrap().contains("regulations_issued"));
    assert_problem(step("regulations_issued", 85).await, 409, "step_out_of_order").await; // dated before step 1
    assert_eq!(step("regulations_issued", 75).await.status(), 201);
    assert_eq!(step("first_activities", 70).await.status(), 201);
    let launched = json(step("launched", 60).await).await;
    assert_eq!(launched["status"], "active");
    assert_eq!(launched["milestones"].as_array().unwrap().len(), 4);
    assert_problem(step("launched", 50).await, 409, "step_out_of_order").await;

    // Participants join and leave.
    let mut pids = Vec::new();
    for name in ["Người Một", "Người Hai", "Người Ba"] {
        let p = json(
            app.post("/api/v1/persons", &police, &json!({"full_name": name, "gender": "male", "unit": "00070"})).await,
        )
        .await;
        let pid = p["id"].as_str().unwrap().to_string();
        let r = app
            .post(
                &format!("/api/v1/models/{id}/participants"),
                &police,
                &json!({"role": "participant", "person_id": pid, "joined_on": days_ago(55)}),
            )
            .await;
        assert_eq!(r.status(), 201);
        pids.push(json(r).await["id"].as_str().unwrap().to_string());
    }
    let dup = app.post(&format!("/api/v1/models/{id}/participants"), &police, &json!({"role": "participant", "person_id": json(app.get("/api/v1/persons?q=nguoi%20mot", &police).await).await["items"][0]["id"], "joined_on": days_ago(5)})).await;
    assert_problem(dup, 409, "already_participating").await;
    assert_eq!(
        app.post(
            &format!("/api/v1/models/{id}/participants/{}/leave", pids[0]),
            &police,
            &json!({"left_on": days_ago(3)})
        )
        .await
        .status(),
        200
    );
    let r = app
        .post(
            &format!("/api/v1/models/{id}/participants"),
            &police,
            &json!({"role": "helper", "helper_name": "Chị Hội trưởng Phụ nữ", "joined_on": days_ago(55)}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let model = json(app.get(&format!("/api/v1/models/{id}"), &police).await).await;
    assert_eq!(model["active_participants"], 2);
    let r = app
        .post(&format!("/api/v1/models/{id}/reviews"), &police, &json!({"kind": "interim", "period_from": days_ago(60), "period_to": days_ago(1), "reviewed_on": days_ago(1), "rating": "effective", "findings": "duy trì tốt", "commendation": "Giấy khen UBND xã"}))
        .await;
    assert_eq!(r.status(), 201);
    assert_problem(app.get(&format!("/api/v1/models/{id}"), &other).await, 404, "not_found").await;

    // Coverage: one commune with managed persons runs a model; another does not.
    let managed_in = |unit: &'static str, name: &'static str, token: String| {
        let app = &app;
        async move {
            let p = json(
                app.post("/api/v1/persons", &token, &json!({"full_name": name, "gender": "male", "unit": unit})).await,
            )
            .await;
            let pid = p["id"].as_str().unwrap().to_string();
            receive(app, &token, &pid, &days_ago(0)).await;
            start_management(app, &token, &pid, &days_ago(0), "HS").await;
        }
    };
    managed_in("00070", "Quản Lý Một", police.clone()).await;
    managed_in("00073", "Quản Lý Hai", province.clone()).await;
    let summary = json(app.get("/api/v1/models-summary?unit=01", &province).await).await;
    assert_eq!(summary["communes_with_managed_persons"], 2);
    assert_eq!(summary["communes_with_active_model"], 1);
    assert_eq!(summary["coverage_percent"], 50.0);
    let smg =
        summary["by_type"].as_array().unwrap().iter().find(|t| t["model_type"] == "self_management_group").unwrap();
    assert_eq!(
        (smg["models"].as_i64(), smg["active"].as_i64(), smg["participants"].as_i64()),
        (Some(1), Some(1), Some(2))
    );
    assert_problem(app.get("/api/v1/models-summary?unit=68", &province).await, 422, "validation_failed").await;

    // Outreach totals by kind.
    for (kind, audience, quantity, unit, token) in [
        ("meeting", 120, 0, "00070", &police),
        ("meeting", 80, 0, "00073", &province),
        ("leaflet_distribution", 0, 500, "00070", &police),
        ("broadcast_news", 0, 3, "00070", &police),
    ] {
        let r = app.post("/api/v1/outreach-events", token, &json!({"unit": unit, "held_on": days_ago(10), "kind": kind, "topic": "Phổ biến Quyết định 22/2023", "audience_count": audience, "quantity": quantity})).await;
        assert_eq!(r.status(), 201);
    }
    let old = app.post("/api/v1/outreach-events", &police, &json!({"unit": "00070", "held_on": days_ago(400), "kind": "meeting", "topic": "cũ", "audience_count": 999})).await;
    assert_eq!(old.status(), 201);
    app.post("/api/v1/propagandists", &police, &json!({"unit": "00070", "full_name": "Tuyên Truyền Viên", "organisation": "youth_union", "from_date": days_ago(100)})).await;
    let s =
        json(app.get(&format!("/api/v1/outreach-summary?from={}&to={}", days_ago(30), days_ago(0)), &province).await)
            .await;
    let kind = |k: &str| s["by_kind"].as_array().unwrap().iter().find(|t| t["kind"] == k).unwrap().clone();
    assert_eq!(kind("meeting")["events"], 2);
    assert_eq!(kind("meeting")["audience"], 200);
    assert_eq!(kind("leaflet_distribution")["quantity"], 500);
    assert_eq!(s["events"], 4);
    assert_eq!(s["communes_holding_outreach"], 2);
    assert_eq!(s["communes_with_propagandists"], 1);
    let commune = json(app.get(&format!("/api/v1/outreach-summary?from={}", days_ago(30)), &police).await).await;
    assert_eq!(commune["events"], 3);
    // Writes audited.
    let audit = json(app.get("/api/v1/audit-events?entity_type=model&page_size=200", &app.admin_token).await).await;
    assert!(audit["total"].as_i64().unwrap() >= 10);
}

dual!(committee_life, model_steps_participants_and_outreach);
