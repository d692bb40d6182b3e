//! The problem list as CSV, with a UTF-8 byte-order mark so Excel and WPS read the Chinese
//! text correctly when the file is double-clicked.

use super::ExportError;
use crate::lang::Lang;
use crate::report::CaseReport;

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A stored text as a cell Excel and WPS show as text and never run as a formula: one
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single quote, as
/// OWASP's CSV-injection guidance says (`=HYPERLINK(…)` in a note stays a note).
pub fn as_text(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The problem list of one case, one row per problem (not bonuses, vetoes or grade caps) in
/// category order, with the case number, score and grade repeated on each row so several cases'
/// files can be concatenated; a case without problems still has one row, so its score and grade
/// are not lost.
pub fn problem_list(report: &CaseReport) -> Result<Vec<u8>, ExportError> {
    let mut out = ::csv::Writer::from_writer(BOM.to_vec());
    out.write_record([
        "案号",
        "序号",
        "类别",
        "项目",
        "问题编码",
        "问题",
        "具体情况",
        "卷",
        "页",
        "处数",
        "扣分",
        "从重",
        "得分",
        "等次",
    ])?;
    let total = report.score.total.to_string();
    for (n, f) in (1..).zip(report.findings.iter().filter(|f| f.is_problem)) {
        let number = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
        // Numbers pingcha formats itself are written as they are; every stored text is guarded.
        out.write_record([
            &*as_text(&report.case.case_no),
            &n.to_string(),
            &as_text(&f.category),
            &as_text(&f.item),
            &as_text(f.problem_code.as_deref().unwrap_or("")),
            &as_text(&f.problem),
            &as_text(&f.note),
            &number(f.volume),
            &number(f.page),
            &f.occurrences.to_string(),
            &f.deduction.to_string(),
            &as_text(&f.repeat.mark(Lang::Zh)),
            &total,
            &as_text(report.grade()),
        ])?;
    }
    if report.findings.is_empty() {
        let mut row = vec![report.case.case_no.as_str(); 1];
        row.extend(["", "", "", "", "", "本案未记录问题", "", "", "", "", ""]);
        row.extend([total.as_str(), report.grade()]);
        out.write_record(row)?;
    }
    out.into_inner().map_err(|e| ExportError::Csv(e.into_error().into()))
}
