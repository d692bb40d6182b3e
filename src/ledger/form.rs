//! The fill-in sheet for the handling units: a title block (round, unit, exported on, return
//! by) and a how-to-fill note above one row per entry. What the review found is in shaded,
//! locked columns; the unit fills in measures, evidence and the state it asks for (a drop-down
//! of the allowed values). Closed entries are locked whole. The entry id and the entry as
//! written sit last in hidden columns. The sheet prints on A4 landscape fit to the page width
//! with the header row on every page, and its protection still lets the unit resize rows and
//! columns and filter. [`super::import`] reads it back, and older sheets (header in row 1, id
//! first) too, by finding the header row and each column by its name.

use super::{Entry, LedgerError};
use crate::vocab::{Date, State};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, ProtectionOptions, Workbook, Worksheet,
};
use unicode_width::UnicodeWidthStr;

/// Sheet name.
pub const SHEET: &str = "整改台账";

/// Marks a locked column's header.
const LOCKED: &str = "（锁定）";

/// How a locked column reads its value from an entry.
pub(super) type Read = fn(&Entry) -> String;

/// The entry id's column name (marked locked), hidden after the fill-in columns.
pub(super) const ID_COLUMN: &str = "编号";

/// The visible locked columns, in order, with how to read each from an entry and its width.
pub(super) const LOCKED_COLUMNS: &[(&str, Read, f64)] = &[
    ("案号", |e| e.case_no.clone(), 22.0),
    ("承办单位", |e| e.row.unit.clone(), 16.0),
    ("承办人", |e| e.row.handler.clone(), 10.0),
    ("问题代码", |e| e.row.problem_code.clone().unwrap_or_default(), 10.0),
    ("问题", |e| e.row.problem.clone(), 28.0),
    ("具体情况", |e| e.row.note.clone(), 28.0),
    (
        "整改期限",
        |e| e.row.deadline.map(|d| d.to_string()).unwrap_or_default(),
        12.0,
    ),
    ("当前状态", |e| e.row.state.name().to_owned(), 11.0),
];

/// The fill-in columns, in order after the locked ones, with their widths.
pub(super) const FILL_COLUMNS: [(&str, f64); 3] = [
    ("整改措施", 30.0),
    ("佐证材料", 22.0),
    ("申请状态（整改中/已整改待核）", 16.0),
];

/// The states a unit can ask for: the drop-down of the 申请状态 column.
pub const REQUESTS: [&str; 2] = [State::InProgress.name(), State::AwaitingCheck.name()];

/// The last, hidden columns: the entry as the sheet was written (its clock stamp, measures and
/// evidence), so an import can tell what the unit changed from what the ledger changed since
/// (see [`super::import`]).
pub(super) const BASE_COLUMNS: [&str; 3] = ["台账版本（勿改）", "导出时整改措施（勿改）", "导出时佐证材料（勿改）"];

/// How to fill the sheet in, printed above the table.
const HOW_TO: &str = "填表说明：1. 灰色列是评查发现的问题，已锁定，请勿改动。2. 请在“整改措施”“佐证材料”两列填写整改情况。\
3. “申请状态”从下拉列表中选择：已开始整改的选“整改中”，整改完成、申请核查的选“已整改待核”；不申请变更的留空。\
4. 已销号的问题整行锁定，无需填写。5. 可调整行高、列宽和筛选，请勿增删行列或改动隐藏列。6. 请于报送期限前交回本表。";

/// The title block's rows; the header row follows.
const HEADER_ROW: u32 = 4;

/// A locked column's header as written.
pub(super) fn locked(name: &str) -> String {
    format!("{name}{LOCKED}")
}

/// Every header as written: locked ones marked, the id and the hidden base columns last.
pub(super) fn headers() -> Vec<String> {
    LOCKED_COLUMNS
        .iter()
        .map(|(name, _, _)| locked(name))
        .chain(FILL_COLUMNS.iter().map(|(s, _)| (*s).to_owned()))
        .chain([locked(ID_COLUMN)])
        .chain(BASE_COLUMNS.iter().map(|s| (*s).to_owned()))
        .collect()
}

/// What the title block says.
#[derive(Debug, Clone, Copy)]
pub struct FormInfo<'a> {
    /// The round's name.
    pub round: &'a str,
    /// The unit the sheet is for; None for every unit.
    pub unit: Option<&'a str>,
    /// The day the sheet is written.
    pub exported_on: Date,
    /// The day the sheet is to be returned by, when set.
    pub return_by: Option<Date>,
    /// Who sends the sheet out, for the file's author property ([`DocumentWords::author`]).
    ///
    /// [`DocumentWords::author`]: crate::rubric::DocumentWords::author
    pub author: &'a str,
}

/// Lines a text of this display width takes in a column this wide (in characters).
fn lines(text: &str, width: f64) -> usize {
    let room = (width as usize).saturating_sub(2).max(2);
    text.split('\n').map(|l| l.width().div_ceil(room).max(1)).sum()
}

/// The fill-in sheet for these entries, as XLSX bytes.
pub fn export(entries: &[Entry], info: &FormInfo<'_>) -> Result<Vec<u8>, LedgerError> {
    let mut wb = Workbook::new();
    let title = format!("{} 整改台账填报表", info.round);
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_author(info.author)
            .set_title(title),
    );
    let xlsx = |e: rust_xlsxwriter::XlsxError| LedgerError::Xlsx(e.to_string());
    let base = Format::new().set_font_name("宋体").set_font_size(11);
    wb.set_default_format(&base, 20, 72).map_err(xlsx)?;
    write(wb.add_worksheet(), entries, info, &base).map_err(xlsx)?;
    wb.save_to_buffer().map_err(xlsx)
}

fn write(
    ws: &mut Worksheet,
    entries: &[Entry],
    info: &FormInfo<'_>,
    base: &Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let header = cell
        .clone()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color("#D9E1F2");
    let shaded = cell.clone().set_background_color("#EDEDED");
    let open = cell.set_unlocked();
    let title = base.clone().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    let line = base.clone().set_align(FormatAlign::Left);
    let note = base
        .clone()
        .set_font_size(10)
        .set_text_wrap()
        .set_align(FormatAlign::Top);

    ws.set_name(SHEET)?;
    let fill_from = LOCKED_COLUMNS.len() as u16;
    let id_col = fill_from + FILL_COLUMNS.len() as u16;
    let last_visible = id_col - 1;
    let widths: Vec<f64> = LOCKED_COLUMNS
        .iter()
        .map(|(_, _, w)| *w)
        .chain(FILL_COLUMNS.iter().map(|(_, w)| *w))
        .collect();
    for (col, w) in (0..).zip(&widths) {
        ws.set_column_width(col, *w)?;
    }
    let total_width: f64 = widths.iter().sum();

    ws.merge_range(0, 0, 0, last_visible, "整改台账填报表", &title)?;
    ws.set_row_height(0, 26)?;
    let unit = info.unit.unwrap_or("全部承办单位");
    let return_by = info.return_by.map_or_else(|| "未定".to_owned(), |d| d.to_string());
    let block = [
        format!("评查轮次：{}　　承办单位：{unit}", info.round),
        format!("导出日期：{}　　报送期限：{return_by}", info.exported_on),
    ];
    for (row, text) in (1..).zip(&block) {
        ws.merge_range(row, 0, row, last_visible, text, &line)?;
    }
    ws.merge_range(3, 0, 3, last_visible, HOW_TO, &note)?;
    ws.set_row_height(3, 14.0 * lines(HOW_TO, total_width * 1.1) as f64 + 4.0)?;

    for (col, title) in (0..).zip(headers()) {
        ws.write_string_with_format(HEADER_ROW, col, &title, &header)?;
    }
    ws.set_row_height(HEADER_ROW, 30)?;

    let first = HEADER_ROW + 1;
    for (row, e) in (first..).zip(entries) {
        let fill = if e.row.state.is_open() { &open } else { &shaded };
        let mut tallest = 1;
        for (col, (_, read, width)) in (0..).zip(LOCKED_COLUMNS) {
            let text = read(e);
            tallest = tallest.max(lines(&text, *width));
            ws.write_string_with_format(row, col, text, &shaded)?;
        }
        let filled = [e.row.measures.as_str(), e.row.evidence.as_str(), ""];
        for ((col, text), (_, width)) in (fill_from..).zip(filled).zip(FILL_COLUMNS) {
            tallest = tallest.max(lines(text, width));
            ws.write_string_with_format(row, col, text, fill)?;
        }
        ws.write_string_with_format(row, id_col, e.row.id.as_str(), &shaded)?;
        let written = [e.row.hlc.to_string(), e.row.measures.clone(), e.row.evidence.clone()];
        for (col, value) in (id_col + 1..).zip(written) {
            ws.write_string_with_format(row, col, value, &shaded)?;
        }
        ws.set_row_height(row, 15.0 * tallest as f64 + 3.0)?;
    }
    for col in (id_col..).take(1 + BASE_COLUMNS.len()) {
        ws.set_column_hidden(col)?;
    }

    let last = (first + entries.len() as u32).saturating_sub(1).max(first);
    let request_col = fill_from + 2;
    let choices = DataValidation::new()
        .allow_list_strings(&REQUESTS)?
        .set_input_title("申请状态")?
        .set_input_message("从下拉列表选择；不申请变更的留空")?
        .set_error_title("申请状态")?
        .set_error_message("只能选“整改中”或“已整改待核”，或留空")?
        .set_error_style(DataValidationErrorStyle::Stop);
    ws.add_data_validation(first, request_col, last, request_col, &choices)?;

    ws.set_freeze_panes(first, 0)?;
    ws.autofilter(HEADER_ROW, 0, last, last_visible)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    ws.set_print_area(0, 0, last, last_visible)?;
    ws.set_header(format!("&C&\"宋体,Bold\"整改台账填报表（{}）", unit.replace('&', "&&")));
    ws.set_footer("&C&\"宋体\"第 &P 页 / 共 &N 页");
    let allow = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        use_autofilter: true,
        ..ProtectionOptions::default()
    };
    ws.protect_with_options(&allow);
    Ok(())
}
