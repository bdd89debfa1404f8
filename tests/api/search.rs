//! Person search (issue 25): accent-insensitive words in any order, the last one a prefix,
//! ID-number prefixes; totals exact up to a threshold then estimated; keyset paging.

use serde_json::{json, Value};

use crate::fixtures::{days_ago, identity, notice_body, notify, person, post_ok, receive};
use crate::helpers::*;

async fn notice(app: &TestApp, token: &str, person: Value) -> String {
    notify(app, token, &notice_body(person, 40, 30)).await
}

/// Registers a person directly (`POST /persons`); returns the id.
async fn register(app: &TestApp, token: &str, name: &str, unit: &str) -> String {
    let mut body = person(name, unit);
    body["registered_on"] = json!(days_ago(10));
    post_ok(app, "/api/v1/persons", token, &body).await["id"].as_str().unwrap().to_string()
}

fn encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn names(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|p| p["full_name"].as_str().unwrap().to_string()).collect()
}

/// The names of `first` and of every page after it, following `next` from `url`.
async fn names_of_every_page(app: &TestApp, token: &str, url: &str, first: &Value) -> Vec<String> {
    let mut seen = names(first);
    let mut next = first["next"].as_str().map(String::from);
    for _ in 0..20 {
        let Some(after) = next else { return seen };
        let page = json(app.get(&format!("{url}&after={after}"), token).await).await;
        seen.extend(names(&page));
        next = page["next"].as_str().map(String::from);
    }
    panic!("more than 20 pages from {url}");
}

/// `names` in name order (or left in creation order), reversed when asked.
fn in_order(names: &[impl AsRef<str>], by_name: bool, reverse: bool) -> Vec<String> {
    let mut ordered: Vec<String> = names.iter().map(|n| n.as_ref().to_string()).collect();
    if by_name {
        ordered.sort();
    }
    if reverse {
        ordered.reverse();
    }
    ordered
}

/// Searches `q` (the words, then `&` and any other filters) and checks the names found, in
/// order; returns the page.
async fn expect_names(app: &TestApp, token: &str, q: &str, expected: &[&str]) -> Value {
    let (q, filter) = q.split_once('&').map_or((q, ""), |(q, f)| (q, f));
    let url = format!("/api/v1/persons?q={}&{filter}", encode(q));
    let resp = app.get(&url, token).await;
    assert_eq!(resp.status(), 200, "{url}");
    let page = json(resp).await;
    assert_eq!(names(&page), expected.to_vec(), "{url}");
    page
}

async fn every_diacritic_family_any_order_and_prefixes(app: TestApp) {
    let (_, police) = app.account("ca.search1", &["police"], "00070").await;
    // sắc, huyền, hỏi, ngã, nặng; circumflex (â ê ô), breve (ă), horn (ơ ư), đ.
    let people = [
        ("Nguyễn Văn Ánh", Some("001085012345")),
        ("Trần Thị Hằng", None),
        ("Phạm Quốc Bảo", Some("001085012399")),
        ("Đỗ Thị Ngọc Trưng", None),
        ("Lê Văn Lợi", Some("001085099999")),
        ("Hồ Xuân Hương", None),
    ];
    for (name, id_number) in people {
        notice(&app, &police, identity(name, id_number, "00070")).await;
    }
    let search = |q: String| {
        let police = police.clone();
        let app = &app;
        async move {
            let resp = app.get(&format!("/api/v1/persons?{q}"), &police).await;
            assert_eq!(resp.status(), 200, "{q}");
            json(resp).await
        }
    };
    let cases: [(&str, &[&str]); 17] = [
        ("nguyen van anh", &["Nguyễn Văn Ánh"]),
        ("anh van nguyen", &["Nguyễn Văn Ánh"]),
        ("NGUYỄN văn", &["Nguyễn Văn Ánh"]),
        ("nguyen van a", &["Nguyễn Văn Ánh"]),
        ("hang tran", &["Trần Thị Hằng"]),
        ("tran th", &["Trần Thị Hằng"]),
        ("bao pham quoc", &["Phạm Quốc Bảo"]),
        ("do trung", &["Đỗ Thị Ngọc Trưng"]),
        ("đỗ ngọc", &["Đỗ Thị Ngọc Trưng"]),
        ("ĐỖ THỊ", &["Đỗ Thị Ngọc Trưng"]),
        ("loi le", &["Lê Văn Lợi"]),
        ("huong xuan ho", &["Hồ Xuân Hương"]),
        ("ho xu", &["Hồ Xuân Hương"]),
        ("van", &["Lê Văn Lợi", "Nguyễn Văn Ánh"]),
        // ID numbers by their start, spaces ignored.
        ("0010850123", &["Nguyễn Văn Ánh", "Phạm Quốc Bảo"]),
        ("001 085 0999", &["Lê Văn Lợi"]),
        // Words, not substrings: the middle of a word finds nothing.
        ("guyen", &[]),
    ];
    for (q, expected) in cases {
        let found = search(format!("q={}", encode(q))).await;
        assert_eq!(names(&found), expected.to_vec(), "q={q}: {found}");
        assert_eq!(found["total"], expected.len(), "q={q}");
        assert_eq!(found["total_is_estimate"], false, "q={q}");
    }
    // With the unit and status filters, and with a province-scoped token.
    let found = search(format!("q={}&unit=00070&status=expected", encode("van"))).await;
    assert_eq!(names(&found), ["Lê Văn Lợi", "Nguyễn Văn Ánh"], "{found}");
    assert_eq!(names(&search("q=van&unit=00070&status=under_management".into()).await), Vec::<String>::new());
    let commune = json(app.get("/api/v1/admin-units/00070", &app.admin_token).await).await;
    let province = commune["parent_code"].as_str().unwrap().to_string();
    let (_, provincial) = app.account("ca.search1p", &["police"], &province).await;
    let resp = app.get(&format!("/api/v1/persons?q=nguyen%20a&unit={province}&status=expected"), &provincial).await;
    assert_eq!(names(&json(resp).await), ["Nguyễn Văn Ánh"]);
    // A search renamed with the person: the index follows the write.
    let id = json(app.get("/api/v1/persons?q=hang%20tran", &police).await).await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let current = app.get(&format!("/api/v1/persons/{id}"), &police).await;
    let etag = current.headers()["etag"].to_str().unwrap().to_string();
    let resp = app
        .request(reqwest::Method::PATCH, &format!("/api/v1/persons/{id}"), &police)
        .header("if-match", etag)
        .json(&json!({"full_name": "Trần Thị Hoà"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    assert_eq!(names(&search("q=hang%20tran".into()).await), Vec::<String>::new());
    assert_eq!(names(&search("q=hoa%20tran".into()).await), ["Trần Thị Hoà"]);
}

async fn totals_estimated_above_threshold_and_keyset_paging(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |s| s.exact_total_up_to = 3).await else { return };
    let (_, police) = app.account("ca.search2", &["police"], "00070").await;
    let mut all = Vec::new();
    for name in ["Nguyễn Văn Một", "Nguyễn Văn Hai", "Nguyễn Thị Ba", "Nguyễn Văn Bốn", "Nguyễn Thị Năm"]
    {
        notice(&app, &police, identity(name, None, "00070")).await;
        all.push(name.to_string());
    }
    let get = |q: &str| {
        let police = police.clone();
        let app = &app;
        let q = q.to_string();
        async move { app.get(&format!("/api/v1/persons?{q}"), &police).await }
    };
    // Above the threshold: an estimate, flagged, never below what was seen.
    let page = json(get("q=nguyen&page_size=2").await).await;
    assert_eq!(page["total_is_estimate"], true, "{page}");
    assert!(page["total"].as_i64().unwrap() >= 4, "{page}");
    // Exact on request.
    let page = json(get("q=nguyen&page_size=2&total=exact").await).await;
    assert_eq!((page["total"].as_i64(), page["total_is_estimate"].as_bool()), (Some(5), Some(false)), "{page}");
    // A first page that is not full holds every match: exact.
    let page = json(get("q=nguyen&page_size=10").await).await;
    assert_eq!((page["total"].as_i64(), page["total_is_estimate"].as_bool()), (Some(5), Some(false)), "{page}");
    assert!(page["next"].is_null(), "{page}");
    // Up to the threshold: exact.
    let page = json(get("q=nguyen%20thi&page_size=1").await).await;
    assert_eq!((page["total"].as_i64(), page["total_is_estimate"].as_bool()), (Some(2), Some(false)), "{page}");
    // The same totals for the whole country, where the count is a query of its own rather
    // than the page's walk through one unit.
    let (_, national) = app.account("ca.search2.vn", &["police"], "VN").await;
    let page = json(app.get("/api/v1/persons?q=nguyen%20thi&page_size=1", &national).await).await;
    assert_eq!((page["total"].as_i64(), page["total_is_estimate"].as_bool()), (Some(2), Some(false)), "{page}");
    let page = json(app.get("/api/v1/persons?q=nguyen&page_size=2", &national).await).await;
    assert_eq!(page["total_is_estimate"], true, "{page}");
    assert!(page["total"].as_i64().unwrap() >= 4, "{page}");
    let page = json(app.get("/api/v1/persons?q=nguyen&page_size=2&page=2", &police).await).await;
    assert_eq!(page["total_is_estimate"], true, "a later page counts on its own: {page}");

    // Keyset paging walks every match once, in order, and the last page has no `next`.
    for (sort, reverse) in [("full_name", false), ("-full_name", true), ("created_at", false), ("-created_at", true)] {
        let url = format!("/api/v1/persons?q=nguyen&page_size=2&sort={sort}");
        let first = json(app.get(&url, &police).await).await;
        let seen = names_of_every_page(&app, &police, &url, &first).await;
        assert_eq!(seen, in_order(&all, sort.ends_with("full_name"), reverse), "sort={sort}");
    }
    // Offset paging is kept.
    let second = json(get("q=nguyen&page_size=2&page=2").await).await;
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(names(&second), sorted[2..4].to_vec());
    // Sorts paged by offset give no `next`.
    assert!(json(get("q=nguyen&page_size=2&sort=received_on").await).await["next"].is_null());
    // A cursor of another sort, a garbled one, an unknown total mode: 422 naming the parameter.
    let next = json(get("q=nguyen&page_size=2").await).await["next"].as_str().unwrap().to_string();
    for (q, param) in [
        (format!("q=nguyen&sort=created_at&after={next}"), "after"),
        ("q=nguyen&after=not-a-cursor".to_string(), "after"),
        (format!("q=nguyen&after={next}&page=3"), "page"),
        ("q=nguyen&total=roughly".to_string(), "total"),
    ] {
        let resp = get(&q).await;
        assert_eq!(resp.status(), 422, "{q}");
        let body = json(resp).await;
        assert_eq!(body["invalid_params"][0]["name"], param, "{q}: {body}");
    }
}

const A: &str = "00070"; // Phường Hoàn Kiếm, Hà Nội (01)
const B: &str = "00073"; // Phường Cửa Nam, Hà Nội (01)
const X: &str = "26506"; // Phường Vũng Tàu, Thành phố Hồ Chí Minh (79)

/// Police tokens of the whole country, of Hà Nội, and of its communes A and B.
struct Police {
    vn: String,
    hanoi: String,
    in_a: String,
    in_b: String,
}

impl Police {
    async fn of(app: &TestApp) -> Police {
        let (_, vn) = app.account("ca.scoped-vn", &["police"], "VN").await;
        let (_, hanoi) = app.account("ca.scoped-01", &["police"], "01").await;
        let (_, in_a) = app.account("ca.scoped-a", &["police"], A).await;
        let (_, in_b) = app.account("ca.scoped-b", &["police"], B).await;
        Police { vn, hanoi, in_a, in_b }
    }
}

/// Searches inside a unit read that unit's own index terms (`p01nguyen`, `c00070nguyen`):
/// each token finds exactly its unit's persons, names with apostrophes and hyphens split like
/// the query, a transfer moves the terms, and a one-letter prefix never reaches them.
async fn scoped_searches_find_their_units_persons(app: TestApp) {
    let Police { vn, hanoi, in_a, in_b } = Police::of(&app).await;
    let mut ids = std::collections::HashMap::new();
    for (name, unit) in [
        ("Nguyễn Văn An", A),
        ("H'Hen Niê", A),
        ("Nguyễn Thị Bình", B),
        ("Y-Bih Ksor", B),
        ("Nguyễn Văn Cường", X),
        ("Phan Thị Chi", X),
    ] {
        ids.insert(name, register(&app, &vn, name, unit).await);
    }
    let search = |token: &str, q: &str| {
        let (app, url) = (&app, format!("/api/v1/persons?q={}", encode(q)));
        let token = token.to_string();
        async move {
            let resp = app.get(&url, &token).await;
            assert_eq!(resp.status(), 200, "{url}");
            names(&json(resp).await)
        }
    };
    let cases: [(&str, &str, &[&str]); 16] = [
        (&in_a, "nguyen", &["Nguyễn Văn An"]),
        (&in_b, "nguyen", &["Nguyễn Thị Bình"]),
        (&hanoi, "nguyen", &["Nguyễn Thị Bình", "Nguyễn Văn An"]),
        (&vn, "nguyen", &["Nguyễn Thị Bình", "Nguyễn Văn An", "Nguyễn Văn Cường"]),
        (&in_a, "ng", &["Nguyễn Văn An"]),
        (&hanoi, "nguyen van", &["Nguyễn Văn An"]),
        (&in_a, "hen nie", &["H'Hen Niê"]),
        (&in_a, "h hen", &["H'Hen Niê"]),
        (&hanoi, "bih ks", &["Y-Bih Ksor"]),
        (&in_a, "bih", &[]),
        (&vn, "y bih", &["Y-Bih Ksor"]),
        // One letter reaches words starting with it, never the unit terms (`p79…`, `c26506…`).
        (&vn, "p", &["Phan Thị Chi"]),
        (&vn, "c", &["Nguyễn Văn Cường", "Phan Thị Chi"]),
        (&hanoi, "c", &[]),
        // The same with a `unit` filter narrower than the token.
        (&vn, "nguyen&unit=01", &["Nguyễn Thị Bình", "Nguyễn Văn An"]),
        (&hanoi, "nguyen&unit=00073", &["Nguyễn Thị Bình"]),
    ];
    for (token, q, expected) in cases {
        expect_names(&app, token, q, expected).await;
    }
    // A transfer moves the person's terms to the new commune.
    let an = &ids["Nguyễn Văn An"];
    receive(&app, &vn, an, days_ago(9)).await;
    post_ok(&app, &format!("/api/v1/persons/{an}/transfer"), &vn, &json!({"to_unit": B, "moved_on": days_ago(5)}))
        .await;
    assert_eq!(search(&in_a, "nguyen van").await, Vec::<String>::new());
    assert_eq!(search(&in_b, "nguyen van").await, ["Nguyễn Văn An"]);
    assert_eq!(search(&hanoi, "an nguyen").await, ["Nguyễn Văn An"]);
    // The status filter reads the unit's own status terms (SQLite), moved with the person too.
    let in_b_page = json(app.get("/api/v1/persons?q=nguyen", &in_b).await).await;
    let in_b_all = in_b_page["items"].as_array().unwrap();
    let statuses: std::collections::BTreeSet<&str> = in_b_all.iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.len(), 2, "{in_b_page}");
    for status in statuses {
        let expected: Vec<&str> =
            in_b_all.iter().filter(|p| p["status"] == status).map(|p| p["full_name"].as_str().unwrap()).collect();
        assert_eq!(expected.len(), 1, "{in_b_page}");
        expect_names(&app, &in_b, &format!("nguyen&status={status}"), &expected).await;
        expect_names(&app, &hanoi, &format!("nguyen&status={status}&unit={B}"), &expected).await;
        expect_names(&app, &in_a, &format!("nguyen&status={status}"), &[]).await;
    }
}

/// An ID-number prefix inside a unit: SQLite reads the prefix's range of the ID-number btree
/// when few persons hold it, and the unit then only filters the range. The answer is the
/// unit's persons with the prefix, in name order, within the status asked for: never a
/// person of a neighbouring commune, another province or another status with the same digits.
async fn id_number_prefixes_inside_a_unit(app: TestApp) {
    let Police { vn, hanoi, in_a, .. } = Police::of(&app).await;
    let mut ids = std::collections::HashMap::new();
    for (name, id_number, unit) in [
        ("Vũ Văn Tư", "001085100004", A),
        ("Bùi Thị Ba", "001085100003", A),
        ("Lý Văn Một", "001085100001", B),
        ("Mai Thị Hai", "001085100002", X),
        ("Hà Văn Năm", "001085200005", A),
    ] {
        let mut body = identity(name, Some(id_number), unit);
        body["registered_on"] = json!(days_ago(10));
        ids.insert(name, post_ok(&app, "/api/v1/persons", &vn, &body).await["id"].as_str().unwrap().to_string());
    }
    // One of A's with the prefix in another status.
    let status = receive(&app, &vn, &ids["Vũ Văn Tư"], days_ago(9)).await["status"].as_str().unwrap().to_string();
    let cases: [(&str, &str, &[&str]); 9] = [
        (&in_a, "0010851", &["Bùi Thị Ba", "Vũ Văn Tư"]),
        (&in_a, "00108510000", &["Bùi Thị Ba", "Vũ Văn Tư"]),
        (&in_a, "001085100001", &[]),
        (&in_a, "0", &["Bùi Thị Ba", "Hà Văn Năm", "Vũ Văn Tư"]),
        (&hanoi, "0010851", &["Bùi Thị Ba", "Lý Văn Một", "Vũ Văn Tư"]),
        (&hanoi, "0010851&unit=00073", &["Lý Văn Một"]),
        (&vn, "0010851&unit=01", &["Bùi Thị Ba", "Lý Văn Một", "Vũ Văn Tư"]),
        (&vn, "0010851&unit=79", &["Mai Thị Hai"]),
        (&in_a, "0010851&sort=-full_name", &["Vũ Văn Tư", "Bùi Thị Ba"]),
    ];
    for (token, q, expected) in cases {
        let page = expect_names(&app, token, q, expected).await;
        assert_eq!(page["total"], expected.len(), "{q}: {page}");
    }
    let page = json(app.get(&format!("/api/v1/persons?q=0010851&status={status}"), &in_a).await).await;
    assert_eq!(names(&page), ["Vũ Văn Tư"], "{page}");
}

/// The `unit` filter names a current administrative unit: an unknown province or commune
/// code is a 422 on `unit`, with or without words, for a national and a provincial token.
async fn unknown_unit_filter_is_a_validation_problem(app: TestApp) {
    let Police { vn, hanoi, .. } = Police::of(&app).await;
    for (token, query) in [(&vn, "unit=99"), (&vn, "unit=99999&q=nguyen"), (&hanoi, "unit=00000&status=expected")] {
        let body =
            assert_problem(app.get(&format!("/api/v1/persons?{query}"), token).await, 422, "validation_failed").await;
        let params = body["invalid_params"].as_array().unwrap();
        assert!(params.iter().any(|p| p["name"] == "unit"), "{query}: {body}");
    }
    // A known one of the token's own province still answers.
    let page = json(app.get("/api/v1/persons?unit=00073", &hanoi).await).await;
    assert!(page["items"].is_array(), "{page}");
}

crate::dual!(unknown_unit_filter_is_a_validation_problem);

/// A unit's matches in every keyset sort, page by page. SQLite reads few of them by key and
/// sorts them (the default threshold); in name order, walks the unit's name-order index
/// checking each entry's own words, its total counted on the FTS index (threshold 8, and 3,
/// where it is above the threshold); in the other orders, lets the planner walk. All give
/// every match of the unit and status once, in order, and an exact total while the matches
/// stay under the threshold.
async fn a_units_matches_page_alike_read_by_key_or_walked(backend: Backend) {
    for threshold in [1000, 8, 3] {
        let Some(app) = TestApp::spawn_with(backend, |s| s.exact_total_up_to = threshold).await else { return };
        let Police { vn, hanoi, in_a, .. } = Police::of(&app).await;
        let mut registered = Vec::new();
        for (name, unit) in [
            ("Nguyễn Văn Một", A),
            ("Nguyễn Thị Hai", B),
            ("Nguyễn Văn Ba", A),
            ("Trần Văn Bốn", A),
            ("Nguyễn Thị Năm", X),
            ("Nguyễn Văn Sáu", A),
            ("Nguyễn Hữu Bảy", B),
            ("Nguyễn Thị Tám", A),
        ] {
            register(&app, &vn, name, unit).await;
            registered.push((name, unit));
        }
        // One more of the unit with another status: the status filter keeps it out.
        let received = register(&app, &vn, "Nguyễn Văn Chín", A).await;
        receive(&app, &vn, &received, days_ago(9)).await;
        let status = json(app.get("/api/v1/persons?q=nguyen%20van%20mot", &in_a).await).await["items"][0]["status"]
            .as_str()
            .unwrap()
            .to_string();

        for (token, units) in [(&in_a, &[A][..]), (&hanoi, &[A, B][..])] {
            let in_reach: Vec<&str> = registered
                .iter()
                .filter(|(name, unit)| name.starts_with("Nguyễn") && units.contains(unit))
                .map(|(name, _)| *name)
                .collect();
            for (sort, by_name, reverse) in [
                ("full_name", true, false),
                ("-full_name", true, true),
                ("created_at", false, false),
                ("-created_at", false, true),
            ] {
                let url = format!("/api/v1/persons?q=nguyen&status={status}&page_size=2&sort={sort}");
                let first = json(app.get(&url, token).await).await;
                if threshold > in_reach.len() as i64 {
                    assert_eq!(first["total"].as_i64(), Some(in_reach.len() as i64), "{url}: {first}");
                    assert_eq!(first["total_is_estimate"], false, "{url}: {first}");
                }
                let seen = names_of_every_page(&app, token, &url, &first).await;
                let expected = in_order(&in_reach, by_name, reverse);
                assert_eq!(seen, expected, "threshold {threshold}, {units:?}, sort={sort}");
            }
            // Offset paging reads the same order.
            let sorted = in_order(&in_reach, true, false);
            let second =
                json(app.get(&format!("/api/v1/persons?q=nguyen&status={status}&page_size=2&page=2"), token).await)
                    .await;
            assert_eq!(names(&second), sorted[2..4].to_vec(), "threshold {threshold}, {units:?}");
        }
    }
}

crate::dual_backend!(a_units_matches_page_alike_read_by_key_or_walked);

crate::dual!(every_diacritic_family_any_order_and_prefixes);

crate::dual!(id_number_prefixes_inside_a_unit);

crate::dual!(scoped_searches_find_their_units_persons);

crate::dual_backend!(totals_estimated_above_threshold_and_keyset_paging);

/// A common word across the whole country: above five times the exact-total threshold (here
/// 1, so above 5 matches) SQLite walks the name-order index instead of sorting the matches.
/// The answer is the same either way: every match once, in name order both ways, within the
/// status asked for, and never a person of another status or without the word.
async fn national_search_of_a_common_word_in_name_order(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |s| s.exact_total_up_to = 1).await else { return };
    let (_, vn) = app.account("ca.walk.vn", &["police"], "VN").await;
    let mut nguyen = Vec::new();
    for (name, unit) in [
        ("Nguyễn Văn Tám", "00070"),
        ("Nguyễn Thị Hai", "26506"),
        ("Nguyễn Văn Bảy", "00073"),
        ("Nguyễn Quốc Một", "26506"),
        ("Nguyễn Thị Sáu", "00070"),
        ("Nguyễn Văn Ba", "00073"),
        ("Nguyễn Hữu Năm", "26506"),
    ] {
        register(&app, &vn, name, unit).await;
        nguyen.push(name.to_string());
    }
    for (name, unit) in [("Trần Văn Hùng", "00070"), ("Lê Thị Bốn", "26506")] {
        register(&app, &vn, name, unit).await;
    }
    // One more Nguyễn with another status: the status filter must keep it out.
    let received = register(&app, &vn, "Nguyễn Văn Chín", "00070").await;
    let status = receive(&app, &vn, &received, days_ago(9)).await["status"].as_str().unwrap().to_string();
    let other = json(app.get("/api/v1/persons?q=tran%20van%20hung", &vn).await).await["items"][0]["status"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(status, other, "the received person's status differs from the others'");

    for (sort, reverse) in [("full_name", false), ("-full_name", true)] {
        let url = format!("/api/v1/persons?q=nguyen&status={other}&page_size=3&sort={sort}");
        let first = json(app.get(&url, &vn).await).await;
        // An estimate, never below what the page shows (3 and a next one): a planner's
        // estimate on a table this small was 2.
        assert_eq!(first["total_is_estimate"], true, "{first}");
        assert!(first["total"].as_i64().unwrap() >= 4, "{first}");
        let seen = names_of_every_page(&app, &vn, &url, &first).await;
        assert_eq!(seen, in_order(&nguyen, true, reverse), "sort={sort}");
    }
    // The other status, and a prefix of the last word, through the same path.
    let page = json(app.get(&format!("/api/v1/persons?q=nguy&status={status}"), &vn).await).await;
    assert_eq!(names(&page), ["Nguyễn Văn Chín"]);
    let page = json(app.get("/api/v1/persons?q=nguyen%20van&page_size=10", &vn).await).await;
    assert_eq!(names(&page), ["Nguyễn Văn Ba", "Nguyễn Văn Bảy", "Nguyễn Văn Chín", "Nguyễn Văn Tám"]);
}

crate::dual_backend!(national_search_of_a_common_word_in_name_order);

#[derive(diesel::QueryableByName)]
struct Options {
    #[diesel(sql_type = diesel::sql_types::Text)]
    options: String,
}

/// PostgreSQL answers a unit's search with index-only walks, which read the table itself for
/// every page not marked all-visible. A person's first activity of a day updates its row
/// (`last_contact_on`), so the daily work clears those marks; autovacuum, at its default of
/// 20 % dead rows, would restore them about once a month on the national table. `persons`
/// carries its own, lower threshold. PostgreSQL only: SQLite has no visibility map.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persons_are_vacuumed_often_enough_for_index_only_walks() {
    use diesel::RunQueryDsl;
    let Some(app) = TestApp::spawn(Backend::Postgres).await else { return };
    let mut conn = app.conn();
    let row: Options = diesel::sql_query(
        "SELECT COALESCE(array_to_string(reloptions, ','), '') AS options FROM pg_class \
         WHERE oid = 'persons'::regclass",
    )
    .get_result(&mut *conn)
    .unwrap();
    let options: Vec<&str> = row.options.split(',').collect();
    assert!(options.contains(&"autovacuum_vacuum_scale_factor=0.01"), "{options:?}");
    assert!(options.contains(&"autovacuum_vacuum_threshold=1000"), "{options:?}");
}
