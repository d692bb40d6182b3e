//! Errors while rendering a report to a file format.

use crate::lang::{Lang, Localized};
use crate::store::StoreError;

/// What went wrong while building or rendering a report.
#[derive(Debug)]
pub enum ExportError {
    /// Reading the round file failed.
    Store(StoreError),
    /// The XLSX writer refused the workbook.
    Xlsx(rust_xlsxwriter::XlsxError),
    /// The case has no sheet yet, so there is nothing to report (its 案号).
    NotReviewed(String),
    /// The DOCX writer failed (its message).
    Docx(String),
    /// The CSV writer failed.
    Csv(::csv::Error),
}

impl Localized for ExportError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (ExportError::Store(e), _) => e.localized(lang),
            (ExportError::NotReviewed(case), Lang::Zh) => format!("案件 {case} 尚无评查表，无可导出的内容"),
            (ExportError::NotReviewed(case), Lang::En) => format!("case {case} has no sheet yet: nothing to export"),
            (ExportError::Xlsx(e), Lang::Zh) => format!("生成 Excel 文件失败：{e}"),
            (ExportError::Xlsx(e), Lang::En) => format!("cannot build the Excel file: {e}"),
            (ExportError::Docx(e), Lang::Zh) => format!("生成 Word 文件失败：{e}"),
            (ExportError::Docx(e), Lang::En) => format!("cannot build the Word file: {e}"),
            (ExportError::Csv(e), Lang::Zh) => format!("生成 CSV 文件失败：{e}"),
            (ExportError::Csv(e), Lang::En) => format!("cannot build the CSV file: {e}"),
        }
    }
}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> Self {
        ExportError::Store(e)
    }
}

impl From<rust_xlsxwriter::XlsxError> for ExportError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        ExportError::Xlsx(e)
    }
}

impl From<::csv::Error> for ExportError {
    fn from(e: ::csv::Error) -> Self {
        ExportError::Csv(e)
    }
}
