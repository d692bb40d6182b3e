//! The assignment table (分案表) as XLSX: one row per reviewer, then the overrides of avoidance.

use super::ExportError;
use crate::lang::Lang;
use crate::organise::{Load, Override};
use rust_xlsxwriter::{Format, Workbook};

/// Renders the assignment table: reviewer, group, unit, cases, volumes, case numbers; a second
/// sheet lists every assignment that breaks avoidance with its reason.
pub fn assignment_xlsx(loads: &[Load], overrides: &[Override], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(lang.pick("分案表", "assignment"))?;
    let headers = [
        lang.pick("评查人", "reviewer"),
        lang.pick("评查组", "group"),
        lang.pick("单位", "unit"),
        lang.pick("案件数", "cases"),
        lang.pick("卷册数", "volumes"),
        lang.pick("案号", "case numbers"),
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, l) in loads.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_string(row, 0, &l.reviewer)?;
        ws.write_string(row, 1, &l.group)?;
        ws.write_string(row, 2, &l.unit)?;
        ws.write_number(row, 3, l.cases.len() as f64)?;
        ws.write_number(row, 4, l.volumes as f64)?;
        ws.write_string(row, 5, l.cases.join("、"))?;
    }
    ws.set_column_width(5, 60)?;
    let ws = wb.add_worksheet();
    ws.set_name(lang.pick("不回避", "overrides"))?;
    for (c, h) in [
        lang.pick("案号", "case no."),
        lang.pick("评查人", "reviewer"),
        lang.pick("理由", "reason"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, o) in overrides.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_string(row, 0, &o.case_no)?;
        ws.write_string(row, 1, &o.reviewer)?;
        ws.write_string(row, 2, &o.reason)?;
    }
    Ok(wb.save_to_buffer()?)
}
