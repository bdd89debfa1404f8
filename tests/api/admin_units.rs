use crate::dual;
use crate::helpers::*;

async fn units_are_seeded_and_browsable(app: TestApp) {
    let t = &app.admin_token;
    let provinces = json(app.get("/api/v1/admin-units?parent=VN&page_size=200", t).await).await;
    assert_eq!(provinces["total"], 34);
    let communes = json(app.get("/api/v1/admin-units?level=commune&page_size=1", t).await).await;
    assert_eq!(communes["total"], 3321);

    let hanoi = json(app.get("/api/v1/admin-units/01", t).await).await;
    assert_eq!(hanoi["name"], "Thành phố Hà Nội");
    assert_eq!(hanoi["level"], "province");
    assert_eq!(hanoi["parent_code"], "VN");

    let children = json(app.get("/api/v1/admin-units?parent=01&page_size=5", t).await).await;
    assert!(children["total"].as_i64().unwrap() > 100);
    assert_eq!(children["items"].as_array().unwrap().len(), 5);
    assert_eq!(children["page_size"], 5);
    // Stable order by code, and pages do not overlap.
    let page2 = json(app.get("/api/v1/admin-units?parent=01&page_size=5&page=2", t).await).await;
    assert!(children["items"][4]["code"].as_str().unwrap() < page2["items"][0]["code"].as_str().unwrap());

    let unknown = app.get("/api/v1/admin-units?parent=77", t).await;
    assert_eq!(assert_problem(unknown, 422, "validation_failed").await["invalid_params"][0]["name"], "parent");
    assert_problem(app.get("/api/v1/admin-units/99999", t).await, 404, "not_found").await;
}

async fn name_search_ignores_accents(app: TestApp) {
    let t = &app.admin_token;
    let found = json(app.get("/api/v1/admin-units?q=ngoc%20lien", t).await).await;
    let names: Vec<&str> = found["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Xã Ngọc Liên"), "{names:?}");
    // Accented and upper-case queries find the same; đ folds to d.
    let accented = json(app.get("/api/v1/admin-units?q=NG%E1%BB%8CC%20LI%C3%8AN", t).await).await;
    assert_eq!(accented["total"], found["total"]);
    let d = json(app.get("/api/v1/admin-units?q=dien%20bien&parent=VN", t).await).await;
    assert_eq!(d["items"][0]["name"], "Điện Biên");
    // LIKE wildcards in the query are literal.
    let wildcard = json(app.get("/api/v1/admin-units?q=%25", t).await).await;
    assert_eq!(wildcard["total"], 0);
}

dual!(units_are_seeded_and_browsable, name_search_ignores_accents);
