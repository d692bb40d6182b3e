//! The fill-in sheet for the handling units: one row per entry, the entry id first, locked
//! columns (what the review found) shaded and protected, fill-in columns (measures, evidence,
//! the state the unit asks for) open. [`super::import`] reads it back.

use super::{Entry, LedgerError};
use rust_xlsxwriter::{Format, FormatBorder, Workbook};

/// Sheet name.
pub const SHEET: &str = "整改台账";

/// Marks a locked column's header.
const LOCKED: &str = "（锁定）";

/// How a locked column reads its value from an entry.
pub(super) type Read = fn(&Entry) -> String;

/// The locked columns, in order, with how to read each from an entry.
pub(super) const LOCKED_COLUMNS: &[(&str, Read)] = &[
    ("编号", |e| e.row.id.clone()),
    ("案号", |e| e.case_no.clone()),
    ("承办单位", |e| e.row.unit.clone()),
    ("承办人", |e| e.row.handler.clone()),
    ("问题代码", |e| e.row.problem_code.clone().unwrap_or_default()),
    ("问题", |e| e.row.problem.clone()),
    ("具体情况", |e| e.row.note.clone()),
    ("整改期限", |e| e.row.deadline.clone().unwrap_or_default()),
    ("当前状态", |e| e.state.name().to_owned()),
];

/// The fill-in columns, in order after the locked ones.
pub(super) const FILL_COLUMNS: [&str; 3] = ["整改措施", "佐证材料", "申请状态（整改中/已整改待核）"];

/// The last, hidden columns: the entry as the sheet was written (its clock stamp, measures and
/// evidence), so an import can tell what the unit changed from what the ledger changed since
/// (see [`super::import`]).
pub(super) const BASE_COLUMNS: [&str; 3] = ["台账版本（勿改）", "导出时整改措施（勿改）", "导出时佐证材料（勿改）"];

/// Every header as written: locked ones marked, the hidden base columns last.
pub(super) fn headers() -> Vec<String> {
    LOCKED_COLUMNS
        .iter()
        .map(|(name, _)| format!("{name}{LOCKED}"))
        .chain(FILL_COLUMNS.iter().map(|s| (*s).to_owned()))
        .chain(BASE_COLUMNS.iter().map(|s| (*s).to_owned()))
        .collect()
}

/// The fill-in sheet for these entries, as XLSX bytes.
pub fn export(entries: &[Entry]) -> Result<Vec<u8>, LedgerError> {
    let xlsx = |e: rust_xlsxwriter::XlsxError| LedgerError::Xlsx(e.to_string());
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_size(11)
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    let header = base.clone().set_bold().set_background_color("#D9E1F2");
    let locked = base.clone().set_background_color("#EDEDED");
    let open = base.set_unlocked();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).map_err(xlsx)?;
    for (col, title) in (0..).zip(headers()) {
        ws.write_string_with_format(0, col, &title, &header).map_err(xlsx)?;
        ws.set_column_width(col, 18).map_err(xlsx)?;
    }
    ws.set_column_width(0, 38).map_err(xlsx)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    let fill_from = LOCKED_COLUMNS.len() as u16;
    for (row, e) in (1..).zip(entries) {
        for (col, (_, read)) in (0..).zip(LOCKED_COLUMNS) {
            ws.write_string_with_format(row, col, read(e), &locked).map_err(xlsx)?;
        }
        ws.write_string_with_format(row, fill_from, &e.row.measures, &open)
            .map_err(xlsx)?;
        ws.write_string_with_format(row, fill_from + 1, &e.row.evidence, &open)
            .map_err(xlsx)?;
        ws.write_string_with_format(row, fill_from + 2, "", &open)
            .map_err(xlsx)?;
        let base = [e.row.hlc.to_string(), e.row.measures.clone(), e.row.evidence.clone()];
        for (col, value) in (fill_from + 3..).zip(base) {
            ws.write_string_with_format(row, col, value, &locked).map_err(xlsx)?;
        }
    }
    for col in (fill_from + 3..).take(BASE_COLUMNS.len()) {
        ws.set_column_hidden(col).map_err(xlsx)?;
    }
    ws.protect();
    wb.save_to_buffer().map_err(xlsx)
}
