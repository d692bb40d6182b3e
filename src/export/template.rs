//! An empty case list (案件清单模板) with the columns a rubric expects: what the organiser fills
//! in before `round new`, so no header is guessed.

use super::ExportError;
use crate::lang::Lang;
use crate::rubric::{FieldKind, Rubric};
use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Workbook};

/// Rows the drop-downs and date cells cover.
const ROWS: u32 = 1000;

/// The template: one column per field (label as the header, required ones marked 「*」 and in
/// bold), choices as drop-downs, dates as date cells, 卷册数-like numbers as whole numbers; and a
/// sheet of instructions listing every field.
pub fn case_list_template(rubric: &Rubric, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name(lang.pick("案件清单", "cases"))?;
    for (c, field) in rubric.fields.iter().enumerate() {
        let col = c as u16;
        if field.required {
            ws.write_string_with_format(0, col, format!("{}*", field.label), &bold)?;
        } else {
            ws.write_string(0, col, &field.label)?;
        }
        ws.set_column_width(col, 16)?;
        match &field.kind {
            FieldKind::Choice(choices) => {
                let v = DataValidation::new().allow_list_strings(choices)?;
                ws.add_data_validation(1, col, ROWS, col, &v)?;
            }
            FieldKind::Date => {
                ws.set_column_format(col, &date)?;
            }
            FieldKind::Number => {
                let v = DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0));
                ws.add_data_validation(1, col, ROWS, col, &v)?;
            }
            FieldKind::Text => {}
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name(lang.pick("填写说明", "instructions"))?;
    let headers = [
        lang.pick("列名", "column"),
        lang.pick("必填", "required"),
        lang.pick("类型", "kind"),
        lang.pick("可选值", "choices"),
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, field) in rubric.fields.iter().enumerate() {
        let row = r as u32 + 1;
        let (kind, choices) = match &field.kind {
            FieldKind::Text => (lang.pick("文字", "text"), String::new()),
            FieldKind::Date => (lang.pick("日期，如 2026-03-05", "date, e.g. 2026-03-05"), String::new()),
            FieldKind::Number => (lang.pick("整数", "whole number"), String::new()),
            FieldKind::Choice(c) => (lang.pick("选项", "choice"), c.join("、")),
        };
        ws.write_string(row, 0, &field.label)?;
        ws.write_string(row, 1, if field.required { lang.pick("是", "yes") } else { "" })?;
        ws.write_string(row, 2, kind)?;
        ws.write_string(row, 3, choices)?;
    }
    ws.set_column_width(0, 16)?;
    ws.set_column_width(2, 24)?;
    Ok(wb.save_to_buffer()?)
}
