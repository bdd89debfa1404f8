//! A target's outcome as the exports print it: the CSV's code, the HTML's and the XLSX's
//! words. A rate without a denominator is "no data yet" (`no_data`, "Chưa có số liệu"),
//! never "not met".

use calamine::{Data, Reader, Xlsx};

use super::*;

/// The three outcomes, each on a target of commune A's: nobody is managed, so the training
/// rate is 0 of 0; nobody was received (0 ≥ 0 is met) and nobody left (0 < 1 is not met).
const CASES: [(&str, &str, &str); 3] = [
    ("rates.trained", "no_data", "Chưa có số liệu"),
    ("received.total", "met", "Đạt"),
    ("exits.total", "not_met", "Không đạt"),
];

async fn exports_print_each_outcome_as_the_csv_does(app: TestApp) {
    let (_, ub_a) = app.account("ub.outcomes", &["commune_committee"], A).await;
    let year = chrono::Datelike::year(&d(1));
    let (from, to) = (d(260), d(1));
    for body in [
        json!({"year": year, "indicator": "rates.trained", "measure": "rate", "min": 20}),
        json!({"year": year, "indicator": "received.total", "measure": "count", "min": 0}),
        json!({"year": year, "indicator": "exits.total", "measure": "count", "min": 1}),
    ] {
        let r = app.post("/api/v1/targets", &ub_a, &body).await;
        assert_eq!(r.status(), 201, "{body}");
    }
    let new = json!({"period_kind": "semiannual", "period_from": from, "period_to": to});
    let id = post_ok(&app, "/api/v1/reports", &ub_a, &new).await["id"].as_str().unwrap().to_string();
    let export = |format: &str| {
        let request = app.request(Method::GET, &format!("/api/v1/reports/{id}/export?format={format}"), &ub_a);
        async move { request.send().await.unwrap() }
    };

    let csv = export("csv").await.text().await.unwrap();
    let html = export("html").await.text().await.unwrap();
    let r = export("xlsx").await;
    assert_eq!(r.status(), 200);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(r.bytes().await.unwrap().to_vec())).unwrap();
    let sheet = book.worksheet_range("Chỉ tiêu").unwrap();
    for (indicator, code, words) in CASES {
        let line =
            csv.lines().find(|l| l.starts_with(&format!("target.{indicator},"))).unwrap_or_else(|| panic!("{csv}"));
        assert!(line.ends_with(&format!(",{code}")), "CSV: {line}");
        let start = html.find(&format!("<tr><td>{indicator}</td>")).unwrap_or_else(|| panic!("{indicator}: {html}"));
        let row = &html[start..start + html[start..].find("</tr>").unwrap()];
        assert!(row.ends_with(&format!("<td>{words}</td>")), "HTML: {row}");
        let cells = sheet
            .rows()
            .find(|cells| matches!(cells.get(1), Some(Data::String(s)) if s.starts_with(&format!("{indicator}:"))))
            .unwrap_or_else(|| panic!("{indicator} has no XLSX row"));
        assert_eq!(cells.get(3), Some(&Data::String(words.to_string())), "XLSX: {cells:?}");
    }
}

dual!(exports_print_each_outcome_as_the_csv_does);
