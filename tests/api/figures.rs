//! Issue 22, figures that never move and figures for any area: receptions counted by their
//! own cycle, indicators over a set of units and named areas.

use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

fn conviction(judgment: &str, release: &str, release_type: &str, new_offence: bool) -> Value {
    json!({"judgment_number": format!("{}/HS-ST", &judgment[..4]), "court": "TAND", "judgment_date": judgment,
           "offence_articles": ["173"], "offence_group": "theft", "chapter": 16,
           "principal": {"kind": "imprisonment", "months": 12}, "new_offence": new_offence,
           "release_date": release, "release_type": release_type,
           "certificate_number": "12/GCN", "certificate_date": release})
}

async fn receptions_by_their_own_cycle(app: TestApp) {
    let (_, police) = app.account("ca.chu-ky", &["police"], "00070").await;
    let identity = json!({"full_name": "Đỗ Văn Hai Lần", "gender": "male", "date_of_birth": "1980-05-05",
                          "id_number": "001080012345", "unit": "00070"});
    let mut body = identity.clone();
    body["registered_on"] = json!("2020-01-02");
    let id = post_ok(&app, "/api/v1/persons", &police, &body).await["id"].as_str().unwrap().to_string();
    let person = |tail: &str| format!("/api/v1/persons/{id}/{tail}");
    // 2020: released after completing the sentence, received, managed.
    post_ok(
        &app,
        &person("convictions"),
        &police,
        &conviction("2018-06-01", "2020-03-01", "completed_sentence", false),
    )
    .await;
    post_ok(
        &app,
        &person("reception"),
        &police,
        &json!({"received_on": "2020-03-03", "receiving_officer": "Đại úy Lê Văn Bình", "commitment_signed": true}),
    )
    .await;
    post_ok(
        &app,
        &person("start-management"),
        &police,
        &json!({"started_on": "2020-03-05", "management_file_number": "HS-2020-1"}),
    )
    .await;
    let y2020 = "/api/v1/reports/indicators?unit=00070&from=2020-01-01&to=2020-12-31";
    let before = get_ok(&app, y2020, &police).await;
    assert_eq!(before["received"]["total"], 1, "{before}");
    assert_eq!(before["received"]["completed_sentence"], 1, "{before}");

    // Reoffends in 2022, released by special amnesty in 2023 and received again.
    post_ok(&app, &person("convictions"), &police, &conviction("2022-01-10", "2023-02-01", "special_amnesty", true))
        .await;
    post_ok(
        &app,
        "/api/v1/release-notices",
        &police,
        &json!({"person": identity, "facility": "Trại giam Nam Hà", "notice_date": "2023-01-05", "expected_release_date": "2023-02-01"}),
    )
    .await;
    post_ok(
        &app,
        &person("reception"),
        &police,
        &json!({"received_on": "2023-02-03", "receiving_officer": "Đại úy Lê Văn Bình", "commitment_signed": true}),
    )
    .await;

    // The 2020 figures are those of the 2020 cycle, as before the later facts.
    let after = get_ok(&app, y2020, &police).await;
    assert_eq!(after["received"]["completed_sentence"], 1, "{after}");
    assert_eq!(after["received"]["special_amnesty"], 0, "{after}");
    assert_eq!(figures_of(&after), figures_of(&before));
    // The 2023 reception is counted under its own cycle.
    let y2023 = get_ok(&app, "/api/v1/reports/indicators?unit=00070&from=2023-01-01&to=2023-12-31", &police).await;
    assert_eq!(y2023["received"]["total"], 1, "{y2023}");
    assert_eq!(y2023["received"]["special_amnesty"], 1, "{y2023}");
    assert_eq!(y2023["received"]["completed_sentence"], 0, "{y2023}");
}

const A: &str = "00070"; // Phường Hoàn Kiếm, Hà Nội (01)
const B: &str = "00073"; // Phường Cửa Nam, Hà Nội (01)
const X: &str = "24829"; // Phường B'Lao, Lâm Đồng (68)

/// A person registered and received in `unit` `ago` days ago; returns the id.
async fn received_in(app: &TestApp, police: &str, name: &str, unit: &str, ago: i64) -> String {
    let body = json!({"full_name": name, "gender": "male", "date_of_birth": "1985-03-02", "unit": unit,
                      "registered_on": days_ago(ago + 1)});
    let id = post_ok(app, "/api/v1/persons", police, &body).await["id"].as_str().unwrap().to_string();
    receive(app, police, &id, &days_ago(ago)).await;
    id
}

fn period(units: &str) -> String {
    format!("/api/v1/reports/indicators?unit={units}&from={}&to={}", days_ago(100), days_ago(1))
}

async fn indicators_over_a_set_of_units(app: TestApp) {
    let (_, vn) = app.account("ca.vn-set", &["police"], "VN").await;
    let (_, hanoi) = app.account("ca.hn-set", &["police"], "01").await;
    // One moves from A to B inside the period, one is received in B, one in X.
    let mover = received_in(&app, &vn, "Một", A, 90).await;
    post_ok(&app, &format!("/api/v1/persons/{mover}/transfer"), &vn, &json!({"to_unit": B, "moved_on": days_ago(50)}))
        .await;
    received_in(&app, &vn, "Hai", B, 80).await;
    received_in(&app, &vn, "Ba", X, 70).await;

    let a = get_ok(&app, &period(A), &hanoi).await;
    let b = get_ok(&app, &period(B), &hanoi).await;
    // Unit by unit the move is an exit of A and a reception of B.
    assert_eq!(a["exits"]["moved_out"], 1, "{a}");
    assert_eq!(b["received"]["transferred_in"], 1, "{b}");
    let set = get_ok(&app, &period(&format!("{A},{B}")), &hanoi).await;
    assert_eq!(set["unit"], format!("{A},{B}"));
    // Across the set: two receptions, no exit, no transfer in, two persons managed.
    assert_eq!(set["received"]["total"], 2, "{set}");
    assert_eq!(set["received"]["transferred_in"], 0, "{set}");
    assert_eq!(set["exits"]["total"], 0, "{set}");
    assert_eq!(set["managed"]["during_period"], 2, "{set}");
    assert_eq!(set["managed"]["at_end"], 2, "{set}");
    assert_eq!(set["rates"]["reoffending_of_received"]["denominator"], 2, "{set}");
    // Not the sum of its units: the mover is one person, counted once.
    let sum = a["managed"]["during_period"].as_i64().unwrap() + b["managed"]["during_period"].as_i64().unwrap();
    assert_eq!(sum, 3);
    // A and B are all of Hà Nội's records here: the set's figures are the province's.
    let province = get_ok(&app, &period("01"), &hanoi).await;
    assert_eq!(figures_of(&set), figures_of(&province));
    // A set across provinces, by someone who has both.
    let wide = get_ok(&app, &period(&format!("{A},{B},{X}")), &vn).await;
    assert_eq!(wide["received"]["total"], 3, "{wide}");
    assert_eq!(wide["managed"]["at_end"], 3, "{wide}");
    assert_eq!(wide["organisation"]["communes_with_managed"], 3, "{wide}");
    let wide2 = get_ok(&app, &period(&format!("01,{X}")), &vn).await;
    assert_eq!(figures_of(&wide2), figures_of(&wide));

    // Overlapping units, an empty item, too many units, or a unit outside yours: 422 on `unit`.
    let fifty_one: Vec<String> = (0..51).map(|i| format!("{:05}", 70 + i)).collect();
    for units in [format!("01,{A}"), format!("{A},{A}"), format!("VN,{X}"), format!("{A},"), fifty_one.join(",")] {
        let problem = assert_problem(app.get(&period(&units), &vn).await, 422, "validation_failed").await;
        assert_eq!(problem["invalid_params"][0]["name"], "unit", "{units}: {problem}");
    }
    let problem = assert_problem(app.get(&period(&format!("{A},{X}")), &hanoi).await, 422, "validation_failed").await;
    assert_eq!(problem["invalid_params"][0]["name"], "unit", "{problem}");

    // CSV and XLSX for a set.
    let resp = app.get(&format!("{}&format=csv", period(&format!("{A},{B}"))), &hanoi).await;
    assert_eq!(resp.status(), 200);
    let csv = resp.text().await.unwrap();
    assert!(csv.contains(&format!("\"{A},{B}\"")) || csv.contains(&format!("{A},{B}")), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("received.total,") && l.ends_with(",2")), "{csv}");
    let resp = app.get(&format!("{}&format=xlsx", period(&format!("{A},{B}"))), &hanoi).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    assert!(resp.bytes().await.unwrap().starts_with(b"PK"));
}

async fn named_areas(app: TestApp) {
    let (_, vn) = app.account("ca.vn-area", &["police"], "VN").await;
    let (_, hanoi) = app.account("ca.hn-area", &["police"], "01").await;
    let (_, lamdong) = app.account("ca.ld-area", &["police"], "68").await;
    let (_, commune) = app.account("ca.hk-area", &["police"], A).await;
    let (_, committee) = app.account("ub.hn-area", &["commune_committee"], "01").await;
    let mover = received_in(&app, &vn, "Một", A, 90).await;
    post_ok(&app, &format!("/api/v1/persons/{mover}/transfer"), &vn, &json!({"to_unit": B, "moved_on": days_ago(50)}))
        .await;
    received_in(&app, &vn, "Hai", B, 80).await;
    received_in(&app, &vn, "Ba", X, 70).await;

    // The admin saves a district that no longer exists; the province's police a cluster.
    let district =
        post_ok(&app, "/api/v1/areas", &app.admin_token, &json!({"name": "Quận Hoàn Kiếm (cũ)", "units": [A, B]}))
            .await;
    let id = district["id"].as_str().unwrap().to_string();
    assert_eq!(district["unit"], format!("area:{id}"));
    assert_eq!(district["units"], json!([A, B]));
    assert_eq!(district["province_code"], "01");
    let cluster = post_ok(&app, "/api/v1/areas", &hanoi, &json!({"name": "Cụm phường trung tâm", "units": [B]})).await;
    assert_eq!(cluster["province_code"], "01");
    let wide = post_ok(&app, "/api/v1/areas", &vn, &json!({"name": "Hai tỉnh", "units": ["01", X]})).await;
    assert_eq!(wide["province_code"], "VN");

    // `unit=area:<id>` gives the set's figures, named after the area.
    let by_area = get_ok(&app, &period(&format!("area:{id}")), &hanoi).await;
    let by_set = get_ok(&app, &period(&format!("{A},{B}")), &hanoi).await;
    assert_eq!(by_area["unit"], format!("area:{id}"));
    assert_eq!(by_area["unit_name"], "Quận Hoàn Kiếm (cũ)");
    assert_eq!(figures_of(&by_area), figures_of(&by_set));
    assert_eq!(by_area["received"]["total"], 2, "{by_area}");
    let resp = app.get(&format!("{}&format=csv", period(&format!("area:{id}"))), &hanoi).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("Quận Hoàn Kiếm (cũ)"));
    let both = get_ok(&app, &period(&format!("area:{}", wide["id"].as_str().unwrap())), &vn).await;
    assert_eq!(both["received"]["total"], 3, "{both}");

    // Lists follow the jurisdiction: the province sees its own, another province none of them.
    let names = |v: &Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_string()).collect()
    };
    let mut seen = names(&get_ok(&app, "/api/v1/areas", &hanoi).await);
    seen.sort();
    assert_eq!(seen, vec!["Cụm phường trung tâm".to_string(), "Quận Hoàn Kiếm (cũ)".to_string()]);
    assert_eq!(names(&get_ok(&app, "/api/v1/areas", &vn).await).len(), 3);
    assert!(names(&get_ok(&app, "/api/v1/areas", &lamdong).await).is_empty());
    // Another province's area is not a unit of yours.
    let problem =
        assert_problem(app.get(&period(&format!("area:{id}")), &lamdong).await, 422, "validation_failed").await;
    assert_eq!(problem["invalid_params"][0]["name"], "unit", "{problem}");
    let problem = assert_problem(app.get(&period("area:nope"), &hanoi).await, 422, "validation_failed").await;
    assert_eq!(problem["invalid_params"][0]["name"], "unit", "{problem}");

    // Refused: units outside yours, overlapping units, no units, a commune account, another role.
    for (token, units) in [(&hanoi, json!([A, X])), (&vn, json!(["01", A])), (&vn, json!([]))] {
        let resp = app.post("/api/v1/areas", token, &json!({"name": "Sai", "units": units})).await;
        let problem = assert_problem(resp, 422, "validation_failed").await;
        assert_eq!(problem["invalid_params"][0]["name"], "units", "{problem}");
    }
    let resp = app.post("/api/v1/areas", &commune, &json!({"name": "Phường", "units": [A]})).await;
    assert_problem(resp, 403, "forbidden").await;
    let resp = app.post("/api/v1/areas", &committee, &json!({"name": "Ủy ban", "units": [A]})).await;
    assert_problem(resp, 403, "forbidden").await;

    // Each creation is audited.
    let audit = get_ok(&app, "/api/v1/audit-events?action=area.create", &app.admin_token).await;
    assert_eq!(audit["total"], 3, "{audit}");
}

async fn model_participants_only_while_managed(app: TestApp) {
    let (_, police) = app.account("ca.hk-model", &["police"], A).await;
    let (_, admin_hn) = app.account("kt.hn-model", &["auditor"], "01").await;
    let leaving = received_in(&app, &police, "Người Rời", A, 300).await;
    let staying = received_in(&app, &police, "Người Ở", A, 300).await;
    for id in [&leaving, &staying] {
        start_management(&app, &police, id, &days_ago(299), &format!("HS-{id}")).await;
    }
    let mid = launched_model(&app, &police, A).await;
    for id in [&leaving, &staying] {
        post_ok(
            &app,
            &format!("/api/v1/models/{mid}/participants"),
            &police,
            &json!({"role": "participant", "person_id": id, "joined_on": days_ago(55)}),
        )
        .await;
    }
    // One of them violates the law 20 days ago: management, and the model, end that day.
    post_ok(&app, &format!("/api/v1/persons/{leaving}/law-violation"), &police, &json!({"occurred_on": days_ago(20)}))
        .await;

    let figures = |to: i64| {
        let path = format!("/api/v1/reports/indicators?unit={A}&from={}&to={}", days_ago(100), days_ago(to));
        let app = &app;
        let police = police.clone();
        async move { get_ok(app, &path, &police).await }
    };
    let persons_in_groups = |v: &Value| {
        v["organisation"]["models_by_type"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kind"] == "self_management_group")
            .unwrap()["persons"]
            .clone()
    };
    let now = figures(1).await;
    assert_eq!(persons_in_groups(&now), 1, "{now}");
    assert_eq!(now["organisation"]["model_person_participants"], 1, "{now}");
    let before = figures(30).await;
    assert_eq!(persons_in_groups(&before), 2, "{before}");
    assert_eq!(before["organisation"]["model_person_participants"], 2, "{before}");

    // The participation ended on the exit day, and the history says so.
    let model = get_ok(&app, &format!("/api/v1/models/{mid}"), &police).await;
    let parts = model["participants"].as_array().unwrap_or_else(|| panic!("{model}"));
    let left: Vec<&Value> = parts.iter().filter(|p| p["person_id"] == leaving.as_str()).collect();
    assert_eq!(left.len(), 1, "{model}");
    assert_eq!(left[0]["left_on"], days_ago(20), "{model}");
    let stayed: Vec<&Value> = parts.iter().filter(|p| p["person_id"] == staying.as_str()).collect();
    assert_eq!(stayed[0]["left_on"], Value::Null, "{model}");
    let audit = get_ok(&app, "/api/v1/audit-events?action=model.participant_leave", &admin_hn).await;
    assert_eq!(audit["total"], 1, "{audit}");
    assert_eq!(audit["items"][0]["after"]["reason"], "law_violation", "{audit}");
}

const RELEASE_TYPES: [&str; 3] = ["completed_sentence", "special_amnesty", "conditional_early_release"];

/// A conviction released `ago` days ago (a parolee with a probation end).
fn released(judged_ago: i64, ago: i64, release_type: &str, new_offence: bool) -> Value {
    let mut c = conviction(&days_ago(judged_ago), &days_ago(ago), release_type, new_offence);
    if release_type == "conditional_early_release" {
        c["probation_end"] = json!(days_ago(ago - 200));
    }
    c
}

/// Property: for random histories (fixed seed), the indicators of a closed period do not
/// change when later facts are added: new cycles after a reoffence under another release
/// type, late receptions, transfers, exits, activities.
async fn closed_periods_do_not_move(app: TestApp) {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    let (_, vn) = app.account("ca.vn-prop", &["police"], "VN").await;
    let mut rng = StdRng::seed_from_u64(22);
    let mut ids: Vec<(String, Value, bool)> = Vec::new();
    // Closed period: 700 to 300 days ago.
    for i in 0..30 {
        let unit = if rng.gen_bool(0.5) { A } else { B };
        let identity = json!({"full_name": format!("Người Thứ {i}"), "gender": "male", "date_of_birth": "1980-05-05",
                              "id_number": format!("0010800{:05}", 100 + i), "unit": unit});
        let mut body = identity.clone();
        let release_ago: i64 = rng.gen_range(420..690);
        body["registered_on"] = json!(days_ago(release_ago + 5));
        let id = post_ok(&app, "/api/v1/persons", &vn, &body).await["id"].as_str().unwrap().to_string();
        let rt = RELEASE_TYPES[rng.gen_range(0..3)];
        let c = released(release_ago + 400, release_ago, rt, false);
        post_ok(&app, &format!("/api/v1/persons/{id}/convictions"), &vn, &c).await;
        let received_ago = release_ago - rng.gen_range(0..12);
        receive(&app, &vn, &id, &days_ago(received_ago)).await;
        start_management(&app, &vn, &id, &days_ago(received_ago - 2), &format!("HS-{i}")).await;
        if rng.gen_bool(0.5) {
            let on = days_ago(rng.gen_range(310..received_ago - 3));
            let visit = json!({"kind": "home_visit", "occurred_on": on});
            post_ok(&app, &format!("/api/v1/persons/{id}/activities"), &vn, &visit).await;
        }
        let mut managed = true;
        match rng.gen_range(0..6) {
            0 => {
                let on = days_ago(rng.gen_range(310..received_ago - 3));
                post_ok(&app, &format!("/api/v1/persons/{id}/law-violation"), &vn, &json!({"occurred_on": on})).await;
                managed = false;
            }
            1 => {
                let to = if unit == A { B } else { A };
                let on = days_ago(rng.gen_range(310..received_ago - 3));
                let body = json!({"to_unit": to, "moved_on": on});
                post_ok(&app, &format!("/api/v1/persons/{id}/transfer"), &vn, &body).await;
            }
            _ => {}
        }
        ids.push((id, identity, managed));
    }
    let scopes = [A.to_string(), B.to_string(), "01".to_string(), format!("{A},{B}")];
    let closed =
        |units: &str| format!("/api/v1/reports/indicators?unit={units}&from={}&to={}", days_ago(700), days_ago(300));
    let mut before = Vec::new();
    for s in &scopes {
        before.push(figures_of(&get_ok(&app, &closed(s), &vn).await));
    }

    // Later facts, all dated after the period.
    for (i, (id, identity, managed)) in ids.iter().enumerate() {
        if !managed {
            continue;
        }
        match rng.gen_range(0..6) {
            0 | 5 => {
                // Reoffends; released under another type; received again, maybe late.
                let rt = RELEASE_TYPES[rng.gen_range(0..3)];
                post_ok(&app, &format!("/api/v1/persons/{id}/convictions"), &vn, &released(250, 120, rt, true)).await;
                let notice = json!({"person": identity, "facility": "Trại giam Nam Hà",
                                    "notice_date": days_ago(150), "expected_release_date": days_ago(120)});
                post_ok(&app, "/api/v1/release-notices", &vn, &notice).await;
                let late: i64 = if rng.gen_bool(0.5) { 10 } else { 1 };
                receive(&app, &vn, id, &days_ago(120 - late)).await;
            }
            1 => {
                post_ok(&app, &format!("/api/v1/persons/{id}/decease"), &vn, &json!({"occurred_on": days_ago(100)}))
                    .await;
            }
            2 => {
                let visit = json!({"kind": "home_visit", "occurred_on": days_ago(200 - i as i64)});
                post_ok(&app, &format!("/api/v1/persons/{id}/activities"), &vn, &visit).await;
            }
            3 => {
                let current = get_ok(&app, &format!("/api/v1/persons/{id}"), &vn).await;
                let to = if current["unit"] == X { B } else { X };
                let body = json!({"to_unit": to, "moved_on": days_ago(90)});
                post_ok(&app, &format!("/api/v1/persons/{id}/transfer"), &vn, &body).await;
            }
            _ => {
                post_ok(&app, &format!("/api/v1/persons/{id}/abscond"), &vn, &json!({"occurred_on": days_ago(80)}))
                    .await;
            }
        }
    }
    for (s, was) in scopes.iter().zip(&before) {
        let now = figures_of(&get_ok(&app, &closed(s), &vn).await);
        assert_eq!(&now, was, "the closed period moved for {s}");
    }
}

dual!(
    receptions_by_their_own_cycle,
    closed_periods_do_not_move,
    indicators_over_a_set_of_units,
    named_areas,
    model_participants_only_while_managed
);
