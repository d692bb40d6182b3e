//! Case-list errors, by row number and column label.

use crate::lang::{Lang, Localized};

/// One problem in a case list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseListError {
    /// Row number as the spreadsheet shows it (header = 1); 0 for the whole file.
    pub row: usize,
    /// The column label, when the problem is in one column.
    pub column: Option<String>,
    /// What is wrong.
    pub kind: CaseListErrorKind,
}

/// Two dates of a case in the wrong order (see [`CaseListErrorKind::OutOfOrder`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateOrder {
    /// The field that may not be earlier: its label and value.
    pub later: (String, String),
    /// The field it may not precede: its label and value.
    pub earlier: (String, String),
}

/// What is wrong in a case list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseListErrorKind {
    /// The file could not be read.
    Io(String),
    /// Not CSV/XLSX.
    UnsupportedFormat(String),
    /// The file is neither UTF-8 nor GBK/GB18030 text.
    UnknownEncoding,
    /// The parser could not read the file.
    Unreadable(String),
    /// No header or no rows.
    Empty,
    /// A sheet spanning beyond the bounds (see [`crate::spreadsheet`]).
    TooLarge(crate::spreadsheet::SheetError),
    /// A column header given twice.
    DuplicateColumn(String),
    /// A cell beyond [`crate::text::MAX_CHARS`] characters, with its length.
    TooLong(usize),
    /// A required field has no column.
    MissingColumn,
    /// No sheet of a workbook of several has a header row with the required columns (the
    /// case list sits below an instructions sheet, or on none of them).
    NoCaseSheet {
        /// The sheets looked at, in workbook order.
        sheets: Vec<String>,
        /// The labels of the required columns.
        columns: Vec<String>,
    },
    /// A required field is empty in this row.
    Required,
    /// Not a date.
    BadDate(String),
    /// Not a whole number.
    BadNumber(String),
    /// Not one of the field's choices.
    NotAChoice {
        /// The value.
        value: String,
        /// The allowed values.
        choices: String,
    },
    /// A date earlier than the date the rubric says it may not precede (审结日期 before
    /// 立案日期).
    OutOfOrder(Box<DateOrder>),
    /// No field of the rubric has this key or label.
    UnknownField(String),
    /// A header close to the label of a field that drives a check (卷册数 checks 卷/页, a
    /// date another may not precede), which has no column: likely a misspelling, refused so the
    /// check is not silently switched off.
    Misspelled {
        /// The header as written.
        header: String,
        /// The field's label it is close to.
        label: String,
    },
    /// The case number appeared in an earlier row.
    DuplicateCase {
        /// The case number.
        case_no: String,
        /// The earlier row.
        first_row: usize,
    },
}

impl Localized for CaseListError {
    fn localized(&self, lang: Lang) -> String {
        use CaseListErrorKind::*;
        let zh = lang == Lang::Zh;
        let col = self.column.as_deref().unwrap_or("");
        let what = match &self.kind {
            Io(e) if zh => format!("无法读取文件：{e}"),
            Io(e) => format!("cannot read the file: {e}"),
            UnsupportedFormat(ext) if zh => format!("不支持的文件类型「{ext}」，请使用 .csv 或 .xlsx"),
            UnsupportedFormat(ext) => format!("unsupported file type `{ext}`; use .csv or .xlsx"),
            UnknownEncoding if zh => {
                "CSV 文件既不是 UTF-8 也不是 GBK 编码的文本。请在 Excel/WPS 中“另存为 → CSV UTF-8”，或直接使用 .xlsx 文件".into()
            }
            UnknownEncoding => "the CSV file is neither UTF-8 nor GBK text; save it as \"CSV UTF-8\" or use the .xlsx file".into(),
            TooLarge(e) => e.localized(lang),
            TooLong(n) if zh => format!("「{col}」过长：共 {n} 字，最多 {} 字", crate::text::MAX_CHARS),
            TooLong(n) => format!("`{col}` is too long: {n} characters, at most {}", crate::text::MAX_CHARS),
            DuplicateColumn(h) if zh => format!("列名「{h}」出现了两次，无法确定用哪一列；请删去或改名其中一列"),
            DuplicateColumn(h) => format!("column `{h}` appears twice; delete or rename one of them"),
            Unreadable(e) if zh => format!("文件无法解析：{e}"),
            Unreadable(e) => format!("cannot parse the file: {e}"),
            Empty if zh => "案件清单为空：第 1 行应为列名，其下每行一个案件".into(),
            Empty => "the case list is empty: row 1 holds column names, then one case per row".into(),
            MissingColumn if zh => format!("缺少必填列「{col}」，请在第 1 行加上该列名"),
            MissingColumn => format!("required column `{col}` is missing from row 1"),
            NoCaseSheet { sheets, columns } if zh => format!(
                "没有找到案件清单：工作表「{}」中都没有含必填列「{}」的列名行（只查看每个工作表的前 10 行）",
                sheets.join("」「"),
                columns.join("」「")
            ),
            NoCaseSheet { sheets, columns } => format!(
                "no case list found: none of the sheets `{}` has a header row with the required columns `{}` (the top 10 rows of each were looked at)",
                sheets.join("`, `"),
                columns.join("`, `")
            ),
            Required if zh => format!("「{col}」为必填项，不能为空"),
            Required => format!("`{col}` is required"),
            BadDate(v) if zh => format!("「{col}」的值「{v}」不是有效日期（如 2024-03-05 或 2024年3月5日）"),
            BadDate(v) => format!("`{col}`: `{v}` is not a date (e.g. 2024-03-05)"),
            BadNumber(v) if zh => format!("「{col}」的值「{v}」不是整数"),
            BadNumber(v) => format!("`{col}`: `{v}` is not a whole number"),
            NotAChoice { value, choices } if zh => format!("「{col}」的值「{value}」不在可选范围内（{choices}）"),
            NotAChoice { value, choices } => format!("`{col}`: `{value}` is not one of {choices}"),
            OutOfOrder(o) if zh => format!(
                "「{}」（{}）早于「{}」（{}），应不早于后者",
                o.later.0, o.later.1, o.earlier.0, o.earlier.1
            ),
            OutOfOrder(o) => format!(
                "`{}` ({}) is before `{}` ({}); it may not be earlier",
                o.later.0, o.later.1, o.earlier.0, o.earlier.1
            ),
            Misspelled { header, label } if zh => {
                format!("无法识别列名「{header}」：您是否指「{label}」？该字段用于校验，请将列名改为「{label}」")
            }
            Misspelled { header, label } => format!(
                "column `{header}` is not recognised: did you mean `{label}`? The field drives a check; rename the column `{label}`"
            ),
            UnknownField(name) if zh => format!("「{name}」不是本评查标准的案件信息字段"),
            UnknownField(name) => format!("`{name}` is not a case field of this round's rubric"),
            DuplicateCase { case_no, first_row } if zh => format!("案号「{case_no}」与第 {first_row} 行重复"),
            DuplicateCase { case_no, first_row } => format!("case number `{case_no}` repeats row {first_row}"),
        };
        match (self.row, zh) {
            (0, _) => what,
            (r, true) => format!("第 {r} 行：{what}"),
            (r, false) => format!("row {r}: {what}"),
        }
    }
}

/// Every problem found in one case list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseListErrors {
    /// The file.
    pub file: String,
    /// The problems, in row order.
    pub errors: Vec<CaseListError>,
}

impl Localized for CaseListErrors {
    fn localized(&self, lang: Lang) -> String {
        let head = match lang {
            Lang::Zh => format!(
                "{}：案件清单有 {} 处问题，未导入任何案件：",
                self.file,
                self.errors.len()
            ),
            Lang::En => format!(
                "{}: {} problem(s) in the case list; nothing was imported:",
                self.file,
                self.errors.len()
            ),
        };
        std::iter::once(head)
            .chain(self.errors.iter().map(|e| format!("  {}", e.localized(lang))))
            .collect::<Vec<_>>()
            .join("\n")
    }
}
