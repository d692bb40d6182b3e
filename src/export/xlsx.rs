//! XLSX workbooks: a case's problem list (问题清单) and the round report (评查情况报告, with
//! its 整改情况 sheet from the ledger and its 评查一致性 sheet from the agreement), with native Excel charts, widths fit for Chinese, row
//! heights for wrapped text, numbers and dates as typed cells, one font (宋体) throughout, only
//! the header row frozen and repeated on printed pages, and A4 landscape print set-up with the
//! title in the page header and "第 x 页 / 共 y 页" in the footer.

use super::ExportError;
use crate::lang::Lang;
use crate::organise::agreement::Agreement;
use crate::points::Points;
use crate::report::{
    CaseReport, DEFINITIONS, EMPTY_LEDGER, FindingLine, GroupStats, MetaField, Rate, Rectification, RoundReport, Tally,
};
use crate::rubric::{DocumentWords, FieldKind, FindingKind};
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartType, ColNum, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, RowNum,
    Workbook, Worksheet,
};
use unicode_width::UnicodeWidthStr;

/// The number format of scores and points: at least one decimal, at most two.
const POINTS_FORMAT: &str = "0.0#";
/// The date format of date cells.
const DATE_FORMAT: &str = "yyyy\"年\"m\"月\"d\"日\"";
/// Excel's paper size code for A4.
pub(super) const A4: u8 = 9;
/// The font named in every cell and as the workbook's default, so WPS and Excel pick one
/// Chinese face everywhere (no Calibri beside it).
pub(super) const FONT: &str = "宋体";
/// Points of row height per line of 11 pt text.
const LINE_HEIGHT: f64 = 15.0;

/// A workbook whose default cell format is [`FONT`] 11 pt, so cells written without a format
/// (and empty cells) use the same face as the others.
///
/// Its parts are compressed at zip level 1, not 6: compressing was a third of writing the
/// round workbook, and at level 1 that workbook of 300 cases is 63 KB rather than 47 KB.
pub(super) fn workbook(words: &DocumentWords, title: &str) -> Result<Workbook, ExportError> {
    let mut wb = Workbook::new();
    // Created now (rust_xlsxwriter's default), by the organ, as the DOCX documents say.
    wb.set_properties(&DocProperties::new().set_author(words.author()).set_title(title));
    let base = Format::new().set_font_name(FONT).set_font_size(11);
    wb.set_default_format(&base, 20, 72)?;
    wb.set_zip_compression_level(1);
    Ok(wb)
}

/// Text for an Excel page header or footer: `&` is its escape character.
fn header_text(s: &str) -> String {
    s.replace('&', "&&")
}

/// A `YYYY-MM-DD` text as an Excel date, when it is one.
pub(super) fn date_cell(s: &str) -> Option<ExcelDateTime> {
    let mut parts = s.trim().splitn(3, '-').map(str::parse::<u16>);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) if s.trim().len() == 10 => {
            ExcelDateTime::from_ymd(y, u8::try_from(m).ok()?, u8::try_from(d).ok()?).ok()
        }
        _ => None,
    }
}

/// The formats a workbook uses.
struct Formats {
    title: Format,
    label: Format,
    plain: Format,
    header: Format,
    text: Format,
    number: Format,
    points: Format,
    percent: Format,
    date: Format,
    group: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name(FONT).set_font_size(11);
        let cell = base.clone().set_border(FormatBorder::Thin);
        Formats {
            title: base.clone().set_bold().set_font_size(16).set_align(FormatAlign::Center),
            label: base.clone().set_bold(),
            plain: base.clone().set_align(FormatAlign::Left),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color("#D9E1F2"),
            text: cell.clone().set_text_wrap().set_align(FormatAlign::VerticalCenter),
            number: cell
                .clone()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            points: cell
                .clone()
                .set_num_format(POINTS_FORMAT)
                .set_align(FormatAlign::VerticalCenter),
            percent: cell
                .clone()
                .set_num_format("0.0%")
                .set_align(FormatAlign::VerticalCenter),
            date: cell
                .clone()
                .set_num_format(DATE_FORMAT)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            group: cell.set_bold().set_background_color("#F2F2F2"),
        }
    }
}

/// The width a number widens its column to, in characters.
const NUMBER_WIDTH: usize = 6;

/// A cell of a table body ([`Sheet::rows`]).
pub(super) enum Cell<'t> {
    Text(&'t str),
    Number(f64),
}

/// A worksheet being filled, remembering the widest text per column to size it at the end and
/// each text's width to give its row the lines it wraps to.
pub(super) struct Sheet<'a> {
    pub(super) ws: &'a mut Worksheet,
    widths: Vec<usize>,
    /// (row, first column, last column, text width) of every text written.
    texts: Vec<(RowNum, ColNum, ColNum, usize)>,
}

impl<'a> Sheet<'a> {
    /// A sheet named `name` printing on A4 landscape, fit to the page width, with `title` in
    /// the page header and the page number in the footer.
    pub(super) fn new(ws: &'a mut Worksheet, name: &str, title: &str) -> Result<Sheet<'a>, ExportError> {
        ws.set_name(name)?;
        ws.set_paper_size(A4);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_header(format!("&C&\"{FONT},Bold\"&12 {}", header_text(title)));
        ws.set_footer(format!("&C&\"{FONT}\"第 &P 页 / 共 &N 页"));
        Ok(Sheet {
            ws,
            widths: Vec::new(),
            texts: Vec::new(),
        })
    }

    fn grow(&mut self, col: ColNum, width: usize) {
        let col = usize::from(col);
        if self.widths.len() <= col {
            self.widths.resize(col + 1, 0);
        }
        self.widths[col] = self.widths[col].max(width);
    }

    /// Remembers a text written in one cell: it widens its column and may wrap its row.
    fn measure(&mut self, row: RowNum, col: ColNum, text: &str) {
        let width = text.width();
        self.grow(col, width);
        self.texts.push((row, col, col, width));
    }

    pub(super) fn text(&mut self, row: RowNum, col: ColNum, text: &str, format: &Format) -> Result<(), ExportError> {
        self.measure(row, col, text);
        self.ws.write_string_with_format(row, col, text, format)?;
        Ok(())
    }

    /// A table body from row `first` down, each column in its format.
    ///
    /// The cells are written bare and each column's format is set once over its rows:
    /// rust_xlsxwriter hashes the whole format for every cell written with one, which was a
    /// third of building the round workbook (its 案件明细 sheet has 3,000 cells).
    pub(super) fn rows<'t, const N: usize>(
        &mut self,
        first: RowNum,
        formats: [&Format; N],
        rows: impl IntoIterator<Item = [Cell<'t>; N]>,
    ) -> Result<(), ExportError> {
        let mut row = first;
        for cells in rows {
            for (col, cell) in (0..).zip(cells) {
                match cell {
                    Cell::Text(text) => {
                        self.measure(row, col, text);
                        self.ws.write_string(row, col, text)?;
                    }
                    Cell::Number(n) => {
                        self.grow(col, NUMBER_WIDTH);
                        self.ws.write_number(row, col, n)?;
                    }
                }
            }
            row += 1;
        }
        if row > first {
            for (col, format) in (0..).zip(formats) {
                self.ws.set_range_format(first, col, row - 1, col, format)?;
            }
        }
        Ok(())
    }

    /// Text across merged columns, wrapped: it widens no column, its row grows instead.
    pub(super) fn merged(
        &mut self,
        row: RowNum,
        (first, last): (ColNum, ColNum),
        text: &str,
        format: &Format,
    ) -> Result<(), ExportError> {
        self.texts.push((row, first, last, text.width()));
        if first == last {
            self.ws.write_string_with_format(row, first, text, format)?;
        } else {
            self.ws.merge_range(row, first, row, last, text, format)?;
        }
        Ok(())
    }

    pub(super) fn number(&mut self, row: RowNum, col: ColNum, value: f64, format: &Format) -> Result<(), ExportError> {
        self.grow(col, NUMBER_WIDTH);
        self.ws.write_number_with_format(row, col, value, format)?;
        Ok(())
    }

    fn points(&mut self, row: RowNum, col: ColNum, value: Points, format: &Format) -> Result<(), ExportError> {
        self.number(row, col, value.as_f64(), format)
    }

    /// A date cell for a `YYYY-MM-DD` text, the text itself otherwise (empty or malformed).
    pub(super) fn date(
        &mut self,
        row: RowNum,
        col: ColNum,
        value: &str,
        date: &Format,
        text: &Format,
    ) -> Result<(), ExportError> {
        match date_cell(value) {
            Some(d) => {
                self.grow(col, 12);
                self.ws.write_datetime_with_format(row, col, &d, date)?;
                Ok(())
            }
            None => self.text(row, col, value, text),
        }
    }

    /// A header row: the only row frozen, and repeated on every printed page.
    pub(super) fn header(&mut self, row: RowNum, titles: &[&str], format: &Format) -> Result<(), ExportError> {
        for (col, title) in (0..).zip(titles) {
            self.text(row, col, title, format)?;
        }
        self.ws.set_freeze_panes(row + 1, 0)?;
        self.ws.set_repeat_rows(row, row)?;
        Ok(())
    }

    /// The width [`Sheet::finish`] gives a column, in characters: its widest text, within
    /// bounds that keep a printed page readable (longer text wraps).
    pub(super) fn column_width(&self, col: ColNum) -> usize {
        (self.widths.get(usize::from(col)).copied().unwrap_or(0) + 2).clamp(6, 32)
    }

    /// Sets each column to [`Sheet::column_width`] and each row with wrapped text to the lines
    /// its longest text needs.
    pub(super) fn finish(self) -> Result<(), ExportError> {
        for col in (0..).take(self.widths.len()) {
            self.ws.set_column_width(col, self.column_width(col) as f64)?;
        }
        let mut lines: std::collections::BTreeMap<RowNum, usize> = std::collections::BTreeMap::new();
        for &(row, first, last, width) in &self.texts {
            let room: usize = (first..=last).map(|c| self.column_width(c)).sum();
            // A character of width 2 does not split across lines: two columns are lost per line.
            let n = width.div_ceil(room.saturating_sub(2).max(2)).max(1);
            let entry = lines.entry(row).or_insert(1);
            *entry = (*entry).max(n);
        }
        for (row, n) in lines.into_iter().filter(|(_, n)| *n > 1) {
            self.ws.set_row_height(row, LINE_HEIGHT * n as f64 + 3.0)?;
        }
        Ok(())
    }
}

fn count(n: impl TryInto<u32>) -> f64 {
    f64::from(n.try_into().unwrap_or(u32::MAX))
}

/// The columns of the problem list by category.
const LIST_TITLES: [&str; 11] = [
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
];
/// The columns of the problem list by 卷/页.
const PAGE_TITLES: [&str; 10] = [
    "卷",
    "页",
    "类别",
    "项目",
    "问题编码",
    "问题",
    "具体情况",
    "处数",
    "扣分",
    "从重",
];

/// The problem list of one case: grouped by category on the first sheet, ordered by 卷/页 on
/// the second. Each starts with a title row and the header row (the only one frozen) and ends
/// with the case's metadata, score and grade; a case without findings gets a row saying so.
pub fn case_workbook(report: &CaseReport) -> Result<Vec<u8>, ExportError> {
    let f = Formats::new();
    let title = format!("{} 问题清单", report.case.case_no);
    let mut wb = workbook(&report.words, &title)?;

    let mut sheet = Sheet::new(wb.add_worksheet(), "问题清单", &title)?;
    let last = LIST_TITLES.len() as ColNum - 1;
    case_title(&mut sheet, report, &title, last, &f)?;
    sheet.header(1, &LIST_TITLES, &f.header)?;
    let mut row = 2;
    let mut n = 0;
    let lines_in = |category_id: &str| -> Vec<&FindingLine> {
        report
            .findings
            .iter()
            .filter(|l| l.category_id == category_id && (l.is_problem || category_id.is_empty()))
            .collect()
    };
    for category in &report.score.categories {
        let lines = lines_in(&category.id);
        if lines.is_empty() {
            continue;
        }
        let title = format!("{}（扣{}分）", category.name, category.deduction);
        sheet.merged(row, (0, last), &title, &f.group)?;
        row += 1;
        for line in lines {
            n += 1;
            finding_row(&mut sheet, row, n, line, &f)?;
            row += 1;
        }
    }
    for line in lines_in("") {
        n += 1;
        finding_row(&mut sheet, row, n, line, &f)?;
        row += 1;
    }
    // Bonuses, vetoes and grade caps are not problems: each kind in its own group below.
    for kind in [FindingKind::Bonus, FindingKind::Veto, FindingKind::GradeCap] {
        let lines: Vec<&FindingLine> = report.findings.iter().filter(|l| l.kind == kind).collect();
        if lines.is_empty() {
            continue;
        }
        let title = format!("{}事项（{}项，不计入问题数）", kind.label(Lang::Zh), lines.len());
        sheet.merged(row, (0, last), &title, &f.group)?;
        row += 1;
        for (n, line) in (1..).zip(lines) {
            finding_row(&mut sheet, row, n, line, &f)?;
            row += 1;
        }
    }
    if report.findings.is_empty() {
        sheet.merged(row, (0, last), "本案未记录问题。", &f.text)?;
        row += 1;
    }
    case_facts(&mut sheet, report, row + 1, &f)?;
    sheet.finish()?;

    let title = format!("{} 问题清单（按卷页）", report.case.case_no);
    let mut sheet = Sheet::new(wb.add_worksheet(), "按卷页", &title)?;
    let last = PAGE_TITLES.len() as ColNum - 1;
    case_title(&mut sheet, report, &title, last, &f)?;
    sheet.header(1, &PAGE_TITLES, &f.header)?;
    let mut row = 1;
    for line in report.by_page().into_iter().filter(|l| l.is_problem) {
        row += 1;
        optional_number(&mut sheet, row, 0, line.volume, &f)?;
        optional_number(&mut sheet, row, 1, line.page, &f)?;
        sheet.text(row, 2, &line.category, &f.text)?;
        sheet.text(row, 3, &line.item, &f.text)?;
        sheet.text(row, 4, line.problem_code.as_deref().unwrap_or(""), &f.text)?;
        sheet.text(row, 5, &line.problem, &f.text)?;
        sheet.text(row, 6, &line.note, &f.text)?;
        sheet.number(row, 7, f64::from(line.occurrences), &f.number)?;
        sheet.points(row, 8, line.deduction, &f.points)?;
        sheet.text(row, 9, &line.repeat.mark(Lang::Zh), &f.text)?;
    }
    if report.findings.is_empty() {
        row += 1;
        sheet.merged(row, (0, last), "本案未记录问题。", &f.text)?;
    }
    case_facts(&mut sheet, report, row + 2, &f)?;
    sheet.finish()?;
    Ok(wb.save_to_buffer()?)
}

fn optional_number(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    col: ColNum,
    v: Option<u32>,
    f: &Formats,
) -> Result<(), ExportError> {
    match v {
        Some(v) => sheet.number(row, col, f64::from(v), &f.number),
        None => sheet.text(row, col, "", &f.number),
    }
}

fn finding_row(sheet: &mut Sheet<'_>, row: RowNum, n: u32, line: &FindingLine, f: &Formats) -> Result<(), ExportError> {
    sheet.number(row, 0, f64::from(n), &f.number)?;
    sheet.text(row, 1, &line.category, &f.text)?;
    sheet.text(row, 2, &line.item, &f.text)?;
    sheet.text(row, 3, line.problem_code.as_deref().unwrap_or(""), &f.text)?;
    sheet.text(row, 4, &line.problem, &f.text)?;
    sheet.text(row, 5, &line.note, &f.text)?;
    optional_number(sheet, row, 6, line.volume, f)?;
    optional_number(sheet, row, 7, line.page, f)?;
    sheet.number(row, 8, f64::from(line.occurrences), &f.number)?;
    sheet.points(row, 9, line.deduction, &f.points)?;
    sheet.text(row, 10, &line.repeat.mark(Lang::Zh), &f.text)
}

/// Row 0: the case, its score and grade in one line above the header row.
fn case_title(
    sheet: &mut Sheet<'_>,
    report: &CaseReport,
    title: &str,
    last: ColNum,
    f: &Formats,
) -> Result<(), ExportError> {
    let line = format!(
        "{title}（得分{}分，等次{}，问题{}个）",
        report.score.total,
        report.grade(),
        report.score.problems
    );
    sheet.ws.merge_range(0, 0, 0, last, &line, &f.title)?;
    sheet.ws.set_row_height(0, 24.0)?;
    Ok(())
}

/// A metadata value as its kind wants it: numbers as numbers, dates as dates.
fn meta_cell(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    col: ColNum,
    m: &MetaField<'_>,
    f: &Formats,
) -> Result<(), ExportError> {
    match (m.kind, m.value.trim().parse::<f64>()) {
        (FieldKind::Number, Ok(n)) => {
            sheet.ws.write_number_with_format(row, col, n, &f.plain)?;
        }
        (FieldKind::Date, _) if date_cell(m.value).is_some() => {
            let date = Format::new()
                .set_font_name(FONT)
                .set_num_format(DATE_FORMAT)
                .set_align(FormatAlign::Left);
            sheet.date(row, col, m.value, &date, &f.plain)?;
        }
        _ => {
            sheet.ws.write_string_with_format(row, col, m.value, &f.plain)?;
        }
    }
    Ok(())
}

/// The case's metadata, score, grade, problems and reviewer below its table, two per row.
fn case_facts(sheet: &mut Sheet<'_>, report: &CaseReport, start: RowNum, f: &Formats) -> Result<(), ExportError> {
    let mut row = start;
    sheet.text(row, 0, "案件信息", &f.label)?;
    row += 1;
    let metadata: Vec<MetaField<'_>> = report.metadata().collect();
    for pair in metadata.chunks(2) {
        for (m, col) in pair.iter().zip([0, 3]) {
            sheet.text(row, col, m.label, &f.label)?;
            meta_cell(sheet, row, col + 1, m, f)?;
        }
        row += 1;
    }
    sheet.text(row, 0, "得分", &f.label)?;
    let points = f.plain.clone().set_num_format(POINTS_FORMAT);
    sheet
        .ws
        .write_number_with_format(row, 1, report.score.total.as_f64(), &points)?;
    sheet.text(row, 3, "等次", &f.label)?;
    sheet.ws.write_string_with_format(row, 4, report.grade(), &f.plain)?;
    row += 1;
    sheet.text(row, 0, "问题数", &f.label)?;
    sheet
        .ws
        .write_number_with_format(row, 1, f64::from(report.score.problems), &f.plain)?;
    sheet.text(row, 3, "评查人", &f.label)?;
    let reviewer = format!("{}（{}）", report.sheet.reviewer, report.sheet.stage);
    sheet.ws.write_string_with_format(row, 4, &reviewer, &f.plain)?;
    Ok(())
}

/// The round report: summary with the grade pie, per unit and per handler with ranking bars,
/// the common problems, the vetoed and lowest-grade cases, per category with the problems bar,
/// every case's result, the rectification ledger's figures (整改情况) on
/// `rectification.today`, and the agreement between reviewers (评查一致性, the tables of
/// [`crate::organise::agreement::agreement`]). Every sheet starts with a title row above its header row.
pub fn round_workbook(
    report: &RoundReport,
    rectification: &Rectification,
    agreement: &Agreement,
) -> Result<Vec<u8>, ExportError> {
    let f = Formats::new();
    let mut wb = workbook(&report.words, &format!("{} 评查情况报告", report.round.name))?;
    summary_sheet(wb.add_worksheet(), report, &f)?;
    group_sheet(wb.add_worksheet(), "承办单位", &report.units, report, &f)?;
    group_sheet(wb.add_worksheet(), "承办人", &report.handlers, report, &f)?;
    common_sheet(wb.add_worksheet(), report, &f)?;
    flagged_sheet(wb.add_worksheet(), report, &f)?;
    category_sheet(wb.add_worksheet(), report, &f)?;
    cases_sheet(wb.add_worksheet(), report, &f)?;
    coverage_sheet(wb.add_worksheet(), report, &f)?;
    rectification_sheet(wb.add_worksheet(), rectification, &report.round.name, &f)?;
    agreement_sheet(wb.add_worksheet(), agreement, &report.round.name, &f)?;
    if !report.withdrawn.is_empty() || !report.overrides.is_empty() {
        organiser_sheet(wb.add_worksheet(), report, &f)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// The name of the agreement sheet.
const AGREEMENT: &str = "评查一致性";

/// 评查一致性: the tables of `pingcha agreement` — the number of cases and the withholding
/// note, per item alpha on the deduction (interval) and on found / not found (nominal) with
/// the percent agreement (a withheld value is "—"), the grades' ordinal alpha, and each
/// reviewer's mean deviation from the others by category — with a bar chart of the items'
/// deduction alphas.
fn agreement_sheet(ws: &mut Worksheet, a: &Agreement, round: &str, f: &Formats) -> Result<(), ExportError> {
    let titles = ["编号", "项目", "案件数", "α 扣分（等距）", "α 发现（名义）", "一致率"];
    let mut sheet = report_sheet(ws, round, AGREEMENT, &titles, f)?;
    let ratio = f.points.clone().set_num_format("0.000");
    let withheld = |sheet: &mut Sheet<'_>, row, col, x: Option<f64>, format: &Format| match x {
        Some(x) => sheet.number(row, col, x, format),
        None => sheet.text(row, col, "—", &f.number),
    };
    let mut row: RowNum = 1;
    for item in &a.items {
        row += 1;
        sheet.text(row, 0, &item.id, &f.text)?;
        sheet.text(row, 1, &item.name, &f.text)?;
        sheet.number(row, 2, count(item.cases), &f.number)?;
        withheld(&mut sheet, row, 3, item.deduction_alpha, &ratio)?;
        withheld(&mut sheet, row, 4, item.found_alpha, &ratio)?;
        withheld(&mut sheet, row, 5, item.percent, &f.percent)?;
    }
    let items_end = row;
    row += 2;
    sheet.text(row, 0, "两名及以上评查人评查的案件", &f.label)?;
    sheet.number(row, 2, count(a.cases), &f.number)?;
    row += 1;
    sheet.text(row, 0, "少于此数的项目不计算系数", &f.label)?;
    sheet.number(row, 2, count(a.min_cases), &f.number)?;
    sheet.text(row, 3, "不计算的显示为 —", &f.plain)?;
    row += 1;
    sheet.text(row, 0, "等次一致性（有序 α）", &f.label)?;
    withheld(&mut sheet, row, 2, a.grade_alpha, &ratio)?;
    row += 2;
    sheet.header(row, &["评查人", "大项", "案件数", "较他人平均多扣（分）"], &f.header)?;
    for d in &a.deviations {
        row += 1;
        sheet.text(row, 0, &d.reviewer, &f.text)?;
        sheet.text(row, 1, &d.name, &f.text)?;
        sheet.number(row, 2, count(d.cases), &f.number)?;
        sheet.number(row, 3, d.mean, &f.points)?;
    }
    if a.items.iter().any(|i| i.deduction_alpha.is_some()) {
        let mut bar = Chart::new(ChartType::Bar);
        bar.title().set_name("各项目扣分一致性（α）");
        bar.legend().set_hidden();
        bar.y_axis().set_reverse();
        bar.add_series()
            .set_categories((AGREEMENT, 2, 1, items_end, 1))
            .set_values((AGREEMENT, 2, 3, items_end, 3))
            .set_data_label(ChartDataLabel::new().show_value());
        sheet.ws.insert_chart(row + 2, 1, &bar)?;
    }
    sheet.finish()
}

/// 撤出与不回避: the cases withdrawn after hand-out and the assignments that break avoidance,
/// each with the organiser's reason (only when there are any).
fn organiser_sheet(ws: &mut Worksheet, report: &RoundReport, f: &Formats) -> Result<(), ExportError> {
    let mut sheet = report_sheet(ws, &report.round.name, "撤出与不回避", &["撤出的案件", "理由", ""], f)?;
    let mut row = 1;
    for w in &report.withdrawn {
        row += 1;
        sheet.text(row, 0, &w.case_no, &f.text)?;
        sheet.text(row, 1, &w.reason, &f.text)?;
    }
    row += 2;
    sheet.header(row, &["不回避的案件", "评查人", "理由"], &f.header)?;
    for (case_no, reviewer, reason) in &report.overrides {
        row += 1;
        sheet.text(row, 0, case_no, &f.text)?;
        sheet.text(row, 1, reviewer, &f.text)?;
        sheet.text(row, 2, reason, &f.text)?;
    }
    sheet.finish()
}

/// The page header of a round report sheet.
fn page_title(round: &str, sheet: &str) -> String {
    format!("{round} 评查情况报告 · {sheet}")
}

/// A round report sheet: the title row (row 0, across `columns`) and the header row (row 1).
fn report_sheet<'a>(
    ws: &'a mut Worksheet,
    round: &str,
    name: &str,
    titles: &[&str],
    f: &Formats,
) -> Result<Sheet<'a>, ExportError> {
    let mut sheet = Sheet::new(ws, name, &page_title(round, name))?;
    let last = (titles.len() as ColNum).saturating_sub(1);
    let title = format!("{round} · {name}");
    if last > 0 {
        sheet.ws.merge_range(0, 0, 0, last, &title, &f.title)?;
    } else {
        sheet.ws.write_string_with_format(0, 0, &title, &f.title)?;
    }
    sheet.ws.set_row_height(0, 24.0)?;
    sheet.header(1, titles, &f.header)?;
    Ok(sheet)
}

/// The row of the summary sheet where the grade table's header sits.
const GRADE_TABLE_ROW: RowNum = 13;

fn summary_sheet(ws: &mut Worksheet, report: &RoundReport, f: &Formats) -> Result<(), ExportError> {
    let mut sheet = Sheet::new(ws, "汇总", &page_title(&report.round.name, "汇总"))?;
    sheet.ws.merge_range(0, 0, 0, 3, "评查情况报告", &f.title)?;
    let s = &report.summary;
    let text_rows = [
        ("评查轮次", report.round.name.clone()),
        ("评查标准", report.rubric.clone()),
        ("评查类型", report.round.kind.to_string()),
        ("评查方式", report.round.method.to_string()),
    ];
    for (row, (label, value)) in (1..).zip(&text_rows) {
        sheet.text(row, 0, label, &f.label)?;
        sheet.text(row, 1, value, &f.plain)?;
    }
    sheet.header(5, &["指标", "数值"], &f.header)?;
    let plain = |p: Option<Points>| p.map_or(0.0, Points::as_f64);
    let figures = [
        ("评查案件数", count(s.cases), &f.number),
        ("平均分", plain(s.average), &f.points),
        ("最高分", plain(s.max), &f.points),
        ("最低分", plain(s.min), &f.points),
        ("问题总数", count(s.problems), &f.number),
        ("案均问题数", plain(s.problems_per_case), &f.points),
    ];
    for (row, (label, value, format)) in (6..).zip(figures) {
        sheet.text(row, 0, label, &f.text)?;
        sheet.number(row, 1, value, format)?;
    }
    // Merged across the table so the note does not widen the label column.
    sheet.ws.merge_range(
        12,
        0,
        12,
        3,
        &format!(
            "以上只计已定稿案件；未定稿{}件、未评查{}件见“定稿情况”",
            s.unsettled, s.unreviewed
        ),
        &f.text,
    )?;
    let header = GRADE_TABLE_ROW;
    for (col, title) in (0..).zip(["等次", "案件数", "占比"]) {
        sheet.text(header, col, title, &f.header)?;
    }
    for (i, grade) in report.grades.iter().enumerate() {
        let row = header + 1 + i as RowNum;
        sheet.text(row, 0, grade, &f.text)?;
        sheet.number(row, 1, count(s.grade_counts.get(i).copied().unwrap_or(0)), &f.number)?;
        sheet.number(row, 2, s.share(i), &f.percent)?;
    }
    let last = header + report.grades.len() as RowNum;
    let mut pie = Chart::new(ChartType::Pie);
    pie.title().set_name("等次分布");
    // The labels repeat the table's 占比 to a tenth of a percent (87.5 %, not 88 %).
    pie.add_series()
        .set_categories(("汇总", header + 1, 0, last, 0))
        .set_values(("汇总", header + 1, 1, last, 1))
        .set_data_label(
            ChartDataLabel::new()
                .show_category_name()
                .show_percentage()
                .set_num_format("0.0%"),
        );
    sheet.ws.insert_chart(1, 4, &pie)?;
    sheet.finish()
}

fn group_sheet(
    ws: &mut Worksheet,
    name: &str,
    groups: &[GroupStats],
    report: &RoundReport,
    f: &Formats,
) -> Result<(), ExportError> {
    let mut titles = vec!["排名", name, "案件数", "平均分"];
    titles.extend(report.grades.iter().map(String::as_str));
    titles.extend(["问题数", "案均问题数"]);
    let mut sheet = report_sheet(ws, &report.round.name, name, &titles, f)?;
    let g = report.grades.len() as ColNum;
    for (row, (rank, group)) in (2..).zip((1..).zip(groups)) {
        sheet.number(row, 0, f64::from(rank), &f.number)?;
        sheet.text(row, 1, &group.name, &f.text)?;
        sheet.number(row, 2, count(group.cases), &f.number)?;
        sheet.points(row, 3, group.average, &f.points)?;
        for (col, n) in (4..).zip(&group.grade_counts) {
            sheet.number(row, col, count(*n), &f.number)?;
        }
        sheet.number(row, 4 + g, f64::from(group.problems), &f.number)?;
        let per_case = f64::from(group.problems) / count(group.cases.max(1));
        sheet.number(row, 5 + g, per_case, &f.points)?;
    }
    if !groups.is_empty() {
        let last = groups.len() as RowNum + 1;
        let mut bar = Chart::new(ChartType::Bar);
        bar.title().set_name(&format!("{name}平均分排名"));
        bar.legend().set_hidden();
        bar.y_axis().set_reverse();
        // The value axis starts at 0, so a ranking is not exaggerated.
        bar.x_axis().set_min(0.0);
        bar.add_series()
            .set_categories((name, 2, 1, last, 1))
            .set_values((name, 2, 3, last, 3))
            .set_data_label(ChartDataLabel::new().show_value());
        sheet.ws.insert_chart(last + 2, 1, &bar)?;
    }
    sheet.finish()
}

fn common_sheet(ws: &mut Worksheet, report: &RoundReport, f: &Formats) -> Result<(), ExportError> {
    let titles = [
        "排名",
        "问题编码",
        "问题表述",
        "类别",
        "涉及案件数",
        "出现次数",
        "涉及案件",
        "承办单位",
        "典型情况",
    ];
    let mut sheet = report_sheet(ws, &report.round.name, "共性问题", &titles, f)?;
    for (row, (rank, p)) in (2..).zip((1..).zip(&report.common_problems)) {
        sheet.number(row, 0, f64::from(rank), &f.number)?;
        sheet.text(row, 1, p.code.as_deref().unwrap_or(""), &f.text)?;
        sheet.text(row, 2, &p.wording, &f.text)?;
        sheet.text(row, 3, &p.category, &f.text)?;
        sheet.number(row, 4, count(p.cases), &f.number)?;
        sheet.number(row, 5, count(p.occurrences), &f.number)?;
        sheet.text(row, 6, &p.case_numbers.join("\n"), &f.text)?;
        sheet.text(row, 7, &p.units.join("、"), &f.text)?;
        sheet.text(row, 8, &p.typical, &f.text)?;
    }
    if report.common_problems.is_empty() {
        sheet.merged(2, (0, 8), "没有在两件以上案件中出现的问题。", &f.text)?;
    }
    sheet.finish()
}

fn flagged_sheet(ws: &mut Worksheet, report: &RoundReport, f: &Formats) -> Result<(), ExportError> {
    let titles = ["案号", "承办单位", "得分", "等次", "原因"];
    let mut sheet = report_sheet(ws, &report.round.name, "否决与不合格", &titles, f)?;
    for (row, c) in (2..).zip(&report.flagged) {
        sheet.text(row, 0, &c.case_no, &f.text)?;
        sheet.text(row, 1, &c.unit, &f.text)?;
        sheet.points(row, 2, c.total, &f.points)?;
        sheet.text(row, 3, &c.grade, &f.text)?;
        sheet.text(row, 4, &c.why.join("；"), &f.text)?;
    }
    if report.flagged.is_empty() {
        sheet.merged(2, (0, 4), "没有一票否决、限等或评为最低等次的案件。", &f.text)?;
    }
    sheet.finish()
}

fn category_sheet(ws: &mut Worksheet, report: &RoundReport, f: &Formats) -> Result<(), ExportError> {
    let titles = ["类别", "分值", "扣分合计", "案均扣分", "问题数", "涉及案件数"];
    let mut sheet = report_sheet(ws, &report.round.name, "类别", &titles, f)?;
    let cases = count(report.summary.cases.max(1));
    for (row, c) in (2..).zip(&report.categories) {
        sheet.text(row, 0, &c.name, &f.text)?;
        sheet.points(row, 1, c.points, &f.points)?;
        sheet.points(row, 2, c.deduction, &f.points)?;
        sheet.number(row, 3, c.deduction.as_f64() / cases, &f.points)?;
        sheet.number(row, 4, f64::from(c.problems), &f.number)?;
        sheet.number(row, 5, count(c.cases), &f.number)?;
    }
    if !report.categories.is_empty() {
        let last = report.categories.len() as RowNum + 1;
        let mut bar = Chart::new(ChartType::Column);
        bar.title().set_name("各类别问题数");
        bar.legend().set_hidden();
        bar.y_axis().set_min(0.0);
        bar.add_series()
            .set_categories(("类别", 2, 0, last, 0))
            .set_values(("类别", 2, 4, last, 4))
            .set_data_label(ChartDataLabel::new().show_value());
        sheet.ws.insert_chart(last + 2, 0, &bar)?;
    }
    sheet.finish()
}

fn cases_sheet(ws: &mut Worksheet, report: &RoundReport, f: &Formats) -> Result<(), ExportError> {
    let titles = [
        "案号",
        "案件名称",
        "承办单位",
        "承办人",
        "评查人",
        "阶段",
        "得分",
        "等次",
        "问题数",
        "状态",
    ];
    let mut sheet = report_sheet(ws, &report.round.name, "案件明细", &titles, f)?;
    let t = &f.text;
    let formats = [t, t, t, t, t, t, &f.points, t, &f.number, t];
    let rows = report.cases.iter().map(|c| {
        [
            Cell::Text(&c.case.case_no),
            Cell::Text(c.case.field("title")),
            Cell::Text(c.case.field("unit")),
            Cell::Text(c.case.field("handler")),
            Cell::Text(&c.sheet.reviewer),
            Cell::Text(c.sheet.stage.name()),
            Cell::Number(c.score.total.as_f64()),
            Cell::Text(c.grade()),
            Cell::Number(f64::from(c.score.problems)),
            Cell::Text("已定稿"),
        ]
    });
    sheet.rows(2, formats, rows)?;
    sheet.finish()
}

/// Coverage (已定稿 / 未定稿 / 未评查) and every 未定稿 case with each reviewer's result: the
/// other sheets count settled cases only.
fn coverage_sheet(ws: &mut Worksheet, report: &RoundReport, f: &Formats) -> Result<(), ExportError> {
    let mut sheet = report_sheet(
        ws,
        &report.round.name,
        "定稿情况",
        &["定稿情况", "案件数", "", "", "", ""],
        f,
    )?;
    let s = &report.summary;
    let rows = [
        ("抽取案件", s.cases + s.unsettled + s.unreviewed),
        ("已定稿", s.cases),
        ("未定稿", s.unsettled),
        ("未评查", s.unreviewed),
    ];
    for (row, (label, n)) in (2..).zip(rows) {
        sheet.text(row, 0, label, &f.text)?;
        sheet.number(row, 1, count(n), &f.number)?;
    }
    sheet.merged(
        6,
        (0, 5),
        "平均分、等次分布、排名、问题统计和整改台账只计已定稿案件。",
        &f.plain,
    )?;
    for (col, title) in (0..).zip(["未定稿案件", "案件名称", "评查人", "阶段", "得分", "等次"]) {
        sheet.text(8, col, title, &f.header)?;
    }
    let mut row: RowNum = 9;
    for u in &report.unsettled {
        for r in &u.sheets {
            sheet.text(row, 0, &u.case.case_no, &f.text)?;
            sheet.text(row, 1, u.case.field("title"), &f.text)?;
            sheet.text(row, 2, &r.reviewer, &f.text)?;
            sheet.text(row, 3, &r.stage, &f.text)?;
            sheet.points(row, 4, r.total, &f.points)?;
            sheet.text(row, 5, &r.grade, &f.text)?;
            row += 1;
        }
    }
    sheet.finish()
}

/// The name of the rectification sheet.
const RECTIFICATION_SHEET: &str = "整改情况";

/// The columns of the per-unit rectification table.
const RECTIFICATION_TITLES: [&str; 13] = [
    "承办单位",
    "应整改",
    "待整改",
    "整改中",
    "已整改待核",
    "已销号",
    "按期销号",
    "到期应完成",
    "逾期未销号",
    "曾退回",
    "未定期限",
    "整改合格率",
    "按期整改率",
];

/// The column of 整改合格率 in the per-unit table.
const PASS_RATE_COL: ColNum = 11;

fn rate_cell(sheet: &mut Sheet<'_>, row: RowNum, col: ColNum, rate: Rate, f: &Formats) -> Result<(), ExportError> {
    match rate.rounded() {
        Some(value) => sheet.number(row, col, value, &f.percent),
        None => sheet.text(row, col, &rate.to_string(), &f.number),
    }
}

fn tally_row(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    name: &str,
    t: &Tally,
    name_format: &Format,
    f: &Formats,
) -> Result<(), ExportError> {
    sheet.text(row, 0, name, name_format)?;
    let counts = [
        t.entries,
        t.pending,
        t.in_progress,
        t.awaiting_check,
        t.closed,
        t.closed_on_time,
        t.due,
        t.overdue,
        t.returned,
        t.no_deadline,
    ];
    for (col, n) in (1..).zip(counts) {
        sheet.number(row, col, count(n), &f.number)?;
    }
    rate_cell(sheet, row, PASS_RATE_COL, t.pass_rate(), f)?;
    rate_cell(sheet, row, PASS_RATE_COL + 1, t.on_time_rate(), f)
}

/// 整改情况: per unit with both rates and a total row, the definitions, a bar of 整改合格率 by
/// unit, then the overdue entries grouped by unit (most overdue entries first). The overdue
/// list lies on the per-unit table's columns: 案号 under 承办单位, 问题 across the six count
/// columns after it (merged, wrapped), the short fields under the others.
fn rectification_sheet(ws: &mut Worksheet, r: &Rectification, round: &str, f: &Formats) -> Result<(), ExportError> {
    let mut sheet = Sheet::new(ws, RECTIFICATION_SHEET, &page_title(round, RECTIFICATION_SHEET))?;
    let last_col = RECTIFICATION_TITLES.len() as ColNum - 1;
    let title = format!("{round} · {RECTIFICATION_SHEET}");
    sheet.ws.merge_range(0, 0, 0, last_col, &title, &f.title)?;
    sheet.ws.set_row_height(0, 24.0)?;
    // Lines of text that run across the columns are written without widening the first.
    if r.is_empty() {
        sheet.ws.write_string_with_format(1, 0, EMPTY_LEDGER, &f.label)?;
        sheet
            .ws
            .write_string_with_format(2, 0, format!("统计日期：{}", r.today), &f.label)?;
        return sheet.finish();
    }
    sheet.header(1, &RECTIFICATION_TITLES, &f.header)?;
    for (row, unit) in (2..).zip(&r.units) {
        tally_row(&mut sheet, row, &unit.unit, &unit.tally, &f.text, f)?;
    }
    let last_unit = r.units.len() as RowNum + 1;
    tally_row(&mut sheet, last_unit + 1, "合计", &r.total, &f.group, f)?;
    // Merged, wrapped cells whose row height is set once the column widths are known:
    // (row, first column, last column, text width).
    let mut wrapped: Vec<(RowNum, ColNum, ColNum, usize)> = Vec::new();

    let mut row = last_unit + 3;
    sheet
        .ws
        .write_string_with_format(row, 0, format!("统计日期：{}", r.today), &f.label)?;
    let note = Format::new()
        .set_font_name(FONT)
        .set_font_size(10)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    for (i, definition) in DEFINITIONS.iter().enumerate() {
        row += 1;
        let text = format!("{}{definition}", if i == 0 { "注：" } else { "　　" });
        sheet.ws.merge_range(row, 0, row, last_col, &text, &note)?;
        wrapped.push((row, 0, last_col, text.width()));
    }

    row += 2;
    let mut bar = Chart::new(ChartType::Bar);
    bar.title().set_name("各承办单位整改合格率");
    bar.legend().set_hidden();
    bar.y_axis().set_reverse();
    bar.x_axis().set_num_format("0%").set_min(0.0).set_max(1.0);
    let height = (80 + 28 * r.units.len()).clamp(240, 900);
    bar.set_height(height as u32).set_width(640);
    bar.add_series()
        .set_categories((RECTIFICATION_SHEET, 2, 0, last_unit, 0))
        .set_values((RECTIFICATION_SHEET, 2, PASS_RATE_COL, last_unit, PASS_RATE_COL))
        .set_data_label(ChartDataLabel::new().show_value().set_num_format("0.0%"));
    sheet.ws.insert_chart(row, 0, &bar)?;
    // Rows the chart covers at the default 20 pixels a row, and one more.
    row += (height / 20 + 2) as RowNum;

    let title = format!("逾期未销号问题（截至{}，按承办单位）", r.today);
    sheet.ws.write_string_with_format(row, 0, title, &f.label)?;
    row += 1;
    if r.overdue.is_empty() {
        let none = Format::new().set_font_name(FONT);
        sheet.ws.write_string_with_format(row, 0, "无逾期未销号问题。", &none)?;
    } else {
        // 案号 | 问题 (columns 1–6) | 承办人 | 整改期限 | 逾期天数 | 状态
        let (problem_end, handler, deadline, days, state) = (6, 7, 8, 9, 10);
        sheet.text(row, 0, "案号", &f.header)?;
        sheet.ws.merge_range(row, 1, row, problem_end, "问题", &f.header)?;
        for (col, title) in [
            (handler, "承办人"),
            (deadline, "整改期限"),
            (days, "逾期天数"),
            (state, "状态"),
        ] {
            sheet.text(row, col, title, &f.header)?;
        }
        for unit in &r.overdue {
            row += 1;
            let title = format!("{}（逾期{}条）", unit.unit, unit.entries.len());
            sheet.ws.merge_range(row, 0, row, state, &title, &f.group)?;
            for e in &unit.entries {
                row += 1;
                sheet.text(row, 0, &e.case_no, &f.text)?;
                sheet.ws.merge_range(row, 1, row, problem_end, &e.problem, &f.text)?;
                wrapped.push((row, 1, problem_end, e.problem.width()));
                sheet.text(row, handler, &e.handler, &f.text)?;
                sheet.date(row, deadline, &e.deadline.to_string(), &f.date, &f.number)?;
                sheet.number(row, days, e.days as f64, &f.number)?;
                sheet.text(row, state, e.state.name(), &f.text)?;
            }
        }
    }
    for (row, first, last, width) in wrapped {
        let room: usize = (first..=last).map(|c| sheet.column_width(c)).sum();
        let lines = width.div_ceil(room.max(1)).max(1);
        sheet.ws.set_row_height(row, 15.0 * lines as f64)?;
    }
    sheet.finish()
}
