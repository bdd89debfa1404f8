//! Report exports: CSV, XLSX laid out as officials expect, and a printable HTML page.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::domain::enums::TargetOutcome;
use crate::dto::reports::{FigureValue, Indicators, ReportSections, SECTION_TITLES};
use crate::error::{ApiError, ApiResult};

/// Report metadata shown above the figures.
pub struct ReportHeader<'a> {
    pub title: &'a str,
    pub unit: &'a str,
    pub unit_name: &'a str,
    pub period_kind: &'a str,
    pub status: &'a str,
    pub version_no: i32,
}

/// A CSV cell: quoted when needed, and a leading `=`, `+`, `-`, `@`, tab or CR neutralised
/// with an apostrophe so spreadsheets do not run it as a formula.
pub fn csv_cell(text: &str) -> String {
    let neutral = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

fn csv_row(cells: &[&str]) -> String {
    let mut line = cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// A table as CSV: a header row, then the rows; UTF-8 with a BOM.
pub fn table_csv(columns: &[String], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&csv_row(&columns.iter().map(String::as_str).collect::<Vec<_>>()));
    for row in rows {
        out.push_str(&csv_row(&row.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    out
}

/// A table as a one-sheet workbook, every cell written as text, which spreadsheet programs
/// never evaluate.
pub fn table_xlsx(columns: &[String], rows: &[Vec<String>]) -> ApiResult<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    // Excel's own mark for "text, not a formula", kept when a clerk edits or re-saves the cell.
    let quoted = Format::new().set_quote_prefix();
    for (i, c) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, c, &bold).map_err(xlsx)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (i, v) in row.iter().enumerate() {
            if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                sheet.write_string_with_format((r + 1) as u32, i as u16, v, &quoted).map_err(xlsx)?;
            } else {
                sheet.write_string((r + 1) as u32, i as u16, v).map_err(xlsx)?;
            }
        }
    }
    book.save_to_buffer().map_err(xlsx)
}

/// `key,section,label,value` for every figure (rates in percent), preceded by the unit and
/// period; UTF-8 with a BOM so spreadsheet programs show Vietnamese correctly.
pub fn indicators_csv(ind: &Indicators, header: Option<&ReportHeader<'_>>) -> String {
    let mut out = String::from("\u{feff}");
    if let Some(h) = header {
        out.push_str(&csv_row(&["report", h.title]));
        out.push_str(&csv_row(&["status", h.status]));
        out.push_str(&csv_row(&["version", &h.version_no.to_string()]));
    }
    out.push_str(&csv_row(&["unit", &ind.unit, &ind.unit_name]));
    out.push_str(&csv_row(&["period", &ind.from.to_string(), &ind.to.to_string()]));
    out.push_str(&csv_row(&["key", "section", "label", "value"]));
    for f in ind.figures() {
        out.push_str(&csv_row(&[&f.key, f.section, &f.label, &f.value.display()]));
    }
    for t in &ind.targets {
        let fmt = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
        out.push_str(&csv_row(&[
            &format!("target.{}", t.indicator),
            "targets",
            &format!("min {} / max {} ({})", fmt(t.min), fmt(t.max), t.set_by),
            t.outcome.as_str(),
        ]));
    }
    for (key, label, _, outcome) in plan_lines(ind) {
        out.push_str(&csv_row(&[&key, "plans", &label, outcome.as_str()]));
    }
    out
}

/// The progress of the plans covering the report, one line per target: a key, the plan's
/// name with the document's sentence, the value measured (— without one) and the outcome.
fn plan_lines(ind: &Indicators) -> Vec<(String, String, String, TargetOutcome)> {
    let mut lines = Vec::new();
    for plan in &ind.plans {
        for t in &plan.targets {
            let value = t.value.map(|v| format!("{v}")).unwrap_or_else(|| "—".into());
            let key = format!("plan.{}.{}", plan.plan_id, t.target_id);
            lines.push((key, format!("{}: {}", plan.name, t.text), value, t.outcome));
        }
    }
    lines
}

/// A target's outcome in words, for the HTML and XLSX exports. The CSV writes the outcome's
/// code (`met`, `not_met`, `no_data`); both name the same outcome, and a rate without a
/// denominator is "no data yet", never "not met".
pub fn outcome_label(outcome: TargetOutcome) -> &'static str {
    match outcome {
        TargetOutcome::Met => "Đạt",
        TargetOutcome::NotMet => "Không đạt",
        TargetOutcome::Exceeded => "Vượt chỉ tiêu",
        TargetOutcome::NoData => "Chưa có số liệu",
    }
}

fn xlsx(e: XlsxError) -> ApiError {
    ApiError::internal(format!("xlsx: {e}"))
}

/// Excel sheet names: at most 31 characters, none of `[]:*?/\`, unique in the workbook.
fn sheet_name(base: &str, taken: &mut Vec<String>) -> String {
    let clean: String = base.chars().filter(|c| !"[]:*?/\\".contains(*c)).collect();
    let mut name: String = clean.chars().take(31).collect();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({n})");
        name = clean.chars().take(31 - suffix.chars().count()).collect::<String>() + &suffix;
        n += 1;
    }
    taken.push(name.clone());
    name
}

fn write_figures(sheet: &mut Worksheet, title: &str, ind: &Indicators) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let heading = Format::new().set_bold().set_font_size(14);
    let number = Format::new().set_num_format("#,##0");
    let percent = Format::new().set_num_format("0.00");
    let section_fmt = Format::new().set_bold().set_background_color("#DDEBF7");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.set_column_width(0, 6)?;
    sheet.set_column_width(1, 60)?;
    sheet.set_column_width(2, 18)?;
    sheet.set_column_width(3, 44)?;
    sheet.write_string_with_format(0, 0, title, &heading)?;
    sheet.write_string(1, 0, format!("Đơn vị: {} ({})", ind.unit_name, ind.unit))?;
    sheet.write_string(
        2,
        0,
        format!("Kỳ báo cáo: từ {} đến {}", ind.from.format("%d/%m/%Y"), ind.to.format("%d/%m/%Y")),
    )?;
    let mut row = 4;
    for (col, h) in ["STT", "Chỉ tiêu", "Số liệu", "Mã chỉ tiêu"].iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, *h, &bold)?;
    }
    sheet.set_freeze_panes(row + 1, 0)?;
    row += 1;
    let figures = ind.figures();
    for (n, (section, section_title)) in SECTION_TITLES.iter().enumerate() {
        sheet.write_string_with_format(row, 0, roman(n + 1), &section_fmt)?;
        sheet.write_string_with_format(row, 1, *section_title, &section_fmt)?;
        sheet.write_blank(row, 2, &section_fmt)?;
        sheet.write_blank(row, 3, &section_fmt)?;
        row += 1;
        for (i, f) in figures.iter().filter(|f| f.section == *section).enumerate() {
            sheet.write_number(row, 0, (i + 1) as f64)?;
            sheet.write_string_with_format(row, 1, &f.label, &wrap)?;
            match f.value {
                FigureValue::Count(v) | FigureValue::Vnd(v) => {
                    sheet.write_number_with_format(row, 2, v as f64, &number)?;
                }
                FigureValue::Rate(r) => match r.hundredths() {
                    Some(h) => {
                        sheet.write_number_with_format(row, 2, h as f64 / 100.0, &percent)?;
                    }
                    None => {
                        sheet.write_string(row, 2, "—")?;
                    }
                },
            }
            sheet.write_string(row, 3, &f.key)?;
            row += 1;
        }
    }
    if !ind.targets.is_empty() {
        row += 1;
        sheet.write_string_with_format(row, 1, "Chỉ tiêu kế hoạch", &section_fmt)?;
        row += 1;
        for t in &ind.targets {
            let fmt = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_else(|| "—".into());
            sheet.write_string(row, 1, format!("{}: tối thiểu {}, tối đa {}", t.indicator, fmt(t.min), fmt(t.max)))?;
            sheet.write_string(row, 2, fmt(t.actual))?;
            sheet.write_string(row, 3, outcome_label(t.outcome))?;
            row += 1;
        }
    }
    let plans = plan_lines(ind);
    if !plans.is_empty() {
        row += 1;
        sheet.write_string_with_format(row, 1, "Tiến độ kế hoạch, đề án", &section_fmt)?;
        row += 1;
        for (_, label, value, outcome) in plans {
            sheet.write_string(row, 1, label)?;
            sheet.write_string(row, 2, value)?;
            sheet.write_string(row, 3, outcome_label(outcome))?;
            row += 1;
        }
    }
    Ok(())
}

fn roman(n: usize) -> &'static str {
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"].get(n - 1).copied().unwrap_or("")
}

/// A workbook with the indicator sheet and, for a province, one sheet per commune's
/// submitted figures.
pub fn report_xlsx(title: &str, ind: &Indicators, communes: &[(String, Indicators)]) -> ApiResult<Vec<u8>> {
    let mut book = Workbook::new();
    let mut taken = Vec::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name("Chỉ tiêu", &mut taken)).map_err(xlsx)?;
    write_figures(sheet, title, ind).map_err(xlsx)?;
    for (name, figures) in communes {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&format!("{} {}", figures.unit, name), &mut taken)).map_err(xlsx)?;
        write_figures(sheet, &format!("{title} — {name}"), figures).map_err(xlsx)?;
    }
    book.save_to_buffer().map_err(xlsx)
}

pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn paragraph(text: Option<&str>) -> String {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t.split('\n').map(|p| format!("<p>{}</p>", html_escape(p))).collect(),
        None => "<p class=\"empty\">(chưa nhập)</p>".into(),
    }
}

fn vnd(v: i64) -> String {
    let digits = v.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A printable page following the usual report layout: situation, direction, results
/// (the figures, section by section), assessment, recommendations and next tasks.
pub fn report_html(h: &ReportHeader<'_>, ind: &Indicators, s: &ReportSections) -> String {
    let mut body = String::new();
    body.push_str(&format!(
        "<header><p class=\"unit\">{}</p><p class=\"motto\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</p></header>\
         <h1>{}</h1><p class=\"period\">Kỳ báo cáo ({}): từ ngày {} đến ngày {} — phiên bản {} ({})</p>",
        html_escape(h.unit_name),
        html_escape(h.title),
        html_escape(h.period_kind),
        ind.from.format("%d/%m/%Y"),
        ind.to.format("%d/%m/%Y"),
        h.version_no,
        html_escape(h.status),
    ));
    body.push_str("<h2>I. Tình hình chung</h2>");
    body.push_str(&paragraph(s.situation.as_deref()));
    body.push_str("<h2>II. Công tác chỉ đạo, ban hành văn bản</h2>");
    body.push_str(&paragraph(s.direction_and_documents.as_deref()));
    body.push_str("<h2>III. Kết quả thực hiện</h2>");
    let figures = ind.figures();
    for (n, (section, title)) in SECTION_TITLES.iter().enumerate() {
        body.push_str(&format!("<h3>{}. {}</h3><table><tbody>", n + 1, html_escape(title)));
        for f in figures.iter().filter(|f| f.section == *section) {
            let value = match f.value {
                FigureValue::Count(v) | FigureValue::Vnd(v) => vnd(v),
                FigureValue::Rate(r) => match r.hundredths() {
                    Some(h) => format!("{},{:02} % ({}/{})", h / 100, h % 100, vnd(r.numerator), vnd(r.denominator)),
                    None => "—".into(),
                },
            };
            body.push_str(&format!("<tr><td>{}</td><td class=\"num\">{}</td></tr>", html_escape(&f.label), value));
        }
        body.push_str("</tbody></table>");
    }
    if !ind.targets.is_empty() {
        body.push_str("<h3>Chỉ tiêu kế hoạch</h3><table><tbody>");
        for t in &ind.targets {
            let fmt = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_else(|| "—".into());
            body.push_str(&format!(
                "<tr><td>{}</td><td>{} – {}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                html_escape(&t.indicator),
                fmt(t.min),
                fmt(t.max),
                fmt(t.actual),
                outcome_label(t.outcome)
            ));
        }
        body.push_str("</tbody></table>");
    }
    let plans = plan_lines(ind);
    if !plans.is_empty() {
        body.push_str("<h3>Tiến độ kế hoạch, đề án</h3><table><tbody>");
        for (_, label, value, outcome) in plans {
            body.push_str(&format!(
                "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                html_escape(&label),
                value,
                outcome_label(outcome)
            ));
        }
        body.push_str("</tbody></table>");
    }
    body.push_str("<h2>IV. Đánh giá</h2><h3>1. Ưu điểm</h3>");
    body.push_str(&paragraph(s.strengths.as_deref()));
    body.push_str("<h3>2. Hạn chế, nguyên nhân</h3>");
    body.push_str(&paragraph(s.limits.as_deref()));
    body.push_str("<h2>V. Đề xuất, kiến nghị</h2>");
    body.push_str(&paragraph(s.recommendations.as_deref()));
    body.push_str("<h2>VI. Phương hướng, nhiệm vụ thời gian tới</h2>");
    body.push_str(&paragraph(s.next_tasks.as_deref()));
    format!(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         body{{font-family:'Times New Roman',serif;max-width:800px;margin:2em auto;line-height:1.4}}\
         header{{display:flex;justify-content:space-between;font-weight:bold;text-align:center}}\
         h1{{text-align:center;font-size:1.3em}} .period{{text-align:center;font-style:italic}}\
         table{{border-collapse:collapse;width:100%;margin:.5em 0}} td{{border:1px solid #999;padding:2px 6px}}\
         td.num{{text-align:right;white-space:nowrap}} .empty{{color:#888}}\
         @media print{{body{{margin:0}}}}</style></head><body>{}</body></html>",
        html_escape(h.title),
        body
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_neutralise_formulas_and_quote() {
        let cases = [
            ("plain", "plain"),
            ("=1+1", "'=1+1"),
            ("+84", "'+84"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""),
            ("Xã Đông Hưng", "Xã Đông Hưng"),
        ];
        for (input, want) in cases {
            assert_eq!(csv_cell(input), want, "{input}");
        }
    }

    #[test]
    fn sheet_names_are_short_clean_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(sheet_name("Chỉ tiêu", &mut taken), "Chỉ tiêu");
        assert_eq!(sheet_name("00070 Phường [Hoàn] Kiếm/Cũ", &mut taken), "00070 Phường Hoàn KiếmCũ");
        let long = "12345 Xã Có Một Cái Tên Rất Là Dài Dài Lắm";
        let first = sheet_name(long, &mut taken);
        let second = sheet_name(long, &mut taken);
        assert_eq!(first.chars().count(), 31);
        assert!(second.ends_with(" (2)") && second.chars().count() == 31);
        assert_ne!(first, second);
    }

    #[test]
    fn every_outcome_has_its_own_words() {
        let words: Vec<&str> = TargetOutcome::ALL.iter().map(|o| outcome_label(*o)).collect();
        assert_eq!(words, ["Đạt", "Không đạt", "Vượt chỉ tiêu", "Chưa có số liệu"]);
    }

    #[test]
    fn plan_progress_is_in_the_csv_and_the_html() {
        use crate::domain::enums::TargetMeasure;
        use crate::domain::plans::{PlanProgress, TargetProgress};
        let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let mut ind = Indicators::zero("79", d, d);
        ind.plans.push(PlanProgress {
            plan_id: "p1".into(),
            name: "Đề án 2025–2030".into(),
            unit: "79".into(),
            year: 2026,
            targets: vec![TargetProgress {
                target_id: "t1".into(),
                text: "Từ 70% đến 80% người chấp hành xong án phạt tù được tiếp nhận <đúng hạn>".into(),
                indicator: "rates.received_of_released".into(),
                measure: TargetMeasure::Rate,
                min: Some(70.0),
                aim: Some(80.0),
                max: None,
                max_exclusive: false,
                due_on: None,
                from: d,
                to: d,
                numerator: Some(9),
                denominator: Some(10),
                value: Some(90.0),
                outcome: TargetOutcome::Exceeded,
            }],
        });
        let csv = indicators_csv(&ind, None);
        assert!(csv.contains("plan.p1.t1,plans,Đề án 2025–2030: Từ 70% đến 80%"), "{csv}");
        assert!(csv.trim_end().ends_with(",exceeded"), "{csv}");
        let header = ReportHeader {
            title: "Báo cáo",
            unit: "79",
            unit_name: "TP. Hồ Chí Minh",
            period_kind: "năm",
            status: "nháp",
            version_no: 1,
        };
        let html = report_html(&header, &ind, &ReportSections::default());
        assert!(html.contains("Tiến độ kế hoạch, đề án"));
        assert!(
            html.contains("tiếp nhận &lt;đúng hạn&gt;</td><td class=\"num\">90</td><td>Vượt chỉ tiêu</td>"),
            "{html}"
        );
    }

    #[test]
    fn html_is_escaped_and_money_grouped() {
        assert_eq!(html_escape("<b>\"x\" & 'y'</b>"), "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;");
        assert_eq!(vnd(870_000_000), "870.000.000");
        assert_eq!(vnd(9_550_000), "9.550.000");
        assert_eq!(vnd(0), "0");
        assert_eq!(vnd(-1_000), "-1.000");
    }
}
