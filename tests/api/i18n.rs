//! Vietnamese problems (`Accept-Language: vi`) and Vietnamese audit reasons sent by a
//! browser in the RFC 8187 form of `X-Audit-Reason`.

use reqwest::Method;
use serde_json::json;

use crate::dual;
use crate::helpers::*;

fn reason_of<'a>(problem: &'a serde_json::Value, name: &str) -> &'a str {
    let params = problem["invalid_params"].as_array().unwrap();
    params.iter().find(|p| p["name"] == name).and_then(|p| p["reason"].as_str()).unwrap_or_else(|| panic!("{problem}"))
}

async fn problems_are_in_vietnamese_when_asked(app: TestApp) {
    let t = &app.admin_token;
    let bad = json!({"username": "A", "password": PASSWORD, "full_name": "", "roles": [], "unit": "12"});
    let send = |lang: Option<&'static str>| {
        let mut req = app.request(Method::POST, "/api/v1/accounts", t).json(&bad);
        if let Some(lang) = lang {
            req = req.header("accept-language", lang);
        }
        req.send()
    };

    // 422 in Vietnamese: title and every reason; codes and field names unchanged.
    let resp = send(Some("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7")).await.unwrap();
    assert_eq!(resp.headers()["content-language"], "vi");
    let vi = assert_problem(resp, 422, "validation_failed").await;
    assert_eq!(vi["title"], "Yêu cầu có trường không hợp lệ");
    assert_eq!(vi["type"], "https://thncd.gov.vn/problems/validation_failed");
    assert_eq!(reason_of(&vi, "roles"), "phải có ít nhất một vai trò");
    assert_eq!(reason_of(&vi, "username"), "3–64 ký tự: chữ thường, chữ số, `.`, `_`, `-`");
    assert_eq!(reason_of(&vi, "full_name"), "có độ dài không hợp lệ");

    // English stays the default, and wins when preferred by q-value.
    for lang in [None, Some("en"), Some("vi;q=0.4, en;q=0.8"), Some("fr")] {
        let resp = send(lang).await.unwrap();
        assert_eq!(resp.headers()["content-language"], "en", "{lang:?}");
        let en = assert_problem(resp, 422, "validation_failed").await;
        assert_eq!(en["title"], "The request has invalid fields", "{lang:?}");
        assert_eq!(reason_of(&en, "roles"), "at least one role is required");
    }
    // A preference for Vietnamese over English by q-value.
    let resp = send(Some("en;q=0.3, vi;q=0.7")).await.unwrap();
    assert_eq!(assert_problem(resp, 422, "validation_failed").await["title"], "Yêu cầu có trường không hợp lệ");

    // A reason with a value (a unit that does not exist) keeps the value.
    let resp = app
        .request(Method::POST, "/api/v1/accounts", t)
        .header("accept-language", "vi")
        .json(
            &json!({"username": "ghost", "password": PASSWORD, "full_name": "G", "roles": ["police"], "unit": "99999"}),
        )
        .send()
        .await
        .unwrap();
    let vi = assert_problem(resp, 422, "validation_failed").await;
    assert!(reason_of(&vi, "unit").contains("99999"), "{vi}");
    assert!(!reason_of(&vi, "unit").contains(" is "), "{vi}");

    // 404: an out-of-reach record and an unknown route.
    let (_, police) = app.account("ca.ngoclien", &["police"], "00070").await;
    for path in ["/api/v1/persons/0190b8a4-7c2e-7000-8000-000000000000", "/api/v1/no-such-thing"] {
        let resp = app.request(Method::GET, path, &police).header("accept-language", "vi").send().await.unwrap();
        let vi = assert_problem(resp, 404, "not_found").await;
        assert_eq!(vi["title"], "Không tìm thấy", "{path}");
        assert_eq!(vi["instance"], path);
    }
    // 401 and 403 with their details.
    let resp = app.client.get(app.url("/api/v1/persons")).header("accept-language", "vi").send().await.unwrap();
    let vi = assert_problem(resp, 401, "unauthorized").await;
    assert_eq!(vi["detail"], "hãy gửi mã truy cập (bearer token) trong tiêu đề Authorization");
    let resp = app.request(Method::GET, "/api/v1/persons", t).header("accept-language", "vi").send().await.unwrap();
    let vi = assert_problem(resp, 403, "forbidden").await;
    assert!(vi["detail"].as_str().unwrap().starts_with("thao tác list_persons cần một trong các vai trò: "), "{vi}");
    // 400 on a query parameter.
    let resp = app
        .request(Method::GET, "/api/v1/admin-units?colour=red", t)
        .header("accept-language", "vi")
        .send()
        .await
        .unwrap();
    let vi = assert_problem(resp, 400, "invalid_query").await;
    assert_eq!(reason_of(&vi, "colour"), "không phải trường được hỗ trợ");
}

async fn audit_reason_in_rfc8187_form_is_decoded(app: TestApp) {
    let (id, _) = app.account("ly.do", &["police"], "00070").await;
    let path = format!("/api/v1/accounts/{id}");
    let patch = |version: &'static str, reason: &'static str, unit: &'static str| {
        app.request(Method::PATCH, &path, &app.admin_token)
            .header("if-match", version)
            .header("x-audit-reason", reason)
            .json(&json!({"unit": unit}))
            .send()
    };
    // How a browser's fetch sends "Chuyển công tác đến xã khác".
    let encoded = "UTF-8''Chuy%E1%BB%83n%20c%C3%B4ng%20t%C3%A1c%20%C4%91%E1%BA%BFn%20x%C3%A3%20kh%C3%A1c";
    assert_eq!(patch("\"v1\"", encoded, "00073").await.unwrap().status(), 200);
    // Plain ASCII is stored as sent.
    assert_eq!(patch("\"v2\"", "Annual review", "00070").await.unwrap().status(), 200);
    let trail =
        json(app.get(&format!("/api/v1/audit-events?entity_id={id}&action=account.update"), &app.admin_token).await)
            .await;
    let reasons: Vec<&str> = trail["items"].as_array().unwrap().iter().map(|e| e["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, vec!["Annual review", "Chuyển công tác đến xã khác"], "newest first");

    // A broken encoding is refused, naming the header, and nothing is written.
    for broken in ["UTF-8''%C4%9", "UTF-8''%C4", "UTF-8''two words", "ISO-8859-1''caf%E9"] {
        let resp = patch("\"v3\"", broken, "00073").await.unwrap();
        let problem = assert_problem(resp, 422, "validation_failed").await;
        assert_eq!(problem["invalid_params"][0]["name"], "X-Audit-Reason", "{broken}");
    }
    let account = json(app.get(&path, &app.admin_token).await).await;
    assert_eq!(account["unit"], "00070");
}

dual!(problems_are_in_vietnamese_when_asked, audit_reason_in_rfc8187_form_is_decoded);
