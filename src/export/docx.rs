//! DOCX documents: a case's review opinion (评查意见书) and the round's narrative report
//! (评查情况报告), laid out as GB/T 9704-2012 asks of official documents: A4 with its margins,
//! 仿宋_GB2312 三号 body at a fixed 28 pt line, 黑体 and 楷体_GB2312 headings kept with the next
//! paragraph, a 二号小标宋 title (not bold), the page number "— 1 —" in 四号宋体 at the foot (odd
//! pages right, even pages left, one character in), the 落款 with the 成文日期 in 年月日.
//!
//! docx-rs writes a fixed font table and fixed document properties (author "unknown", created
//! 1970), so the writer's last step replaces those two parts of the package: the font table
//! names each Chinese font with the font Windows and WPS substitute when it is missing
//! (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 宋体), and the properties carry the
//! organ as author and the time of writing.

use super::ExportError;
use super::docx_chart::{self, Chart, Kind};
use crate::points::Points;
use crate::report::{
    Block, CaseReport, DEFINITIONS, EMPTY_LEDGER, GroupStats, Issue, Opinion, Rate, Rectification, RoundReport, opinion,
};
use crate::store::Round;
use crate::vocab::civil_from_days;
use docx_rs::{
    AlignmentType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin,
    Paragraph, Run, RunFonts, SpecialIndentType, Table, TableCell, TableRow, VAlignType, WidthType,
};
use std::io::{Read, Write};
use unicode_width::UnicodeWidthStr;

/// A4 in twentieths of a point.
const A4_WIDTH: u32 = 11906;
const A4_HEIGHT: u32 = 16838;
/// 三号 (16 pt) in half-points, the body size of official documents.
const BODY_SIZE: usize = 32;
/// 二号 (22 pt) for the title.
const TITLE_SIZE: usize = 44;
/// 四号 (14 pt) for the page number.
const PAGE_NUMBER_SIZE: usize = 28;
/// One 三号 character in twentieths of a point (the indent unit).
const CHAR: i32 = 320;
const BODY_FONT: &str = "仿宋_GB2312";
const HEADING_FONT: &str = "黑体";
const SUBHEADING_FONT: &str = "楷体_GB2312";
const TITLE_FONT: &str = "方正小标宋简体";
const NUMBER_FONT: &str = "宋体";
/// The fonts the documents name, each with the font used in its place where it is missing.
const FONT_TABLE: [(&str, &str); 6] = [
    (BODY_FONT, "仿宋"),
    (SUBHEADING_FONT, "楷体"),
    (TITLE_FONT, "宋体"),
    (HEADING_FONT, "SimHei"),
    (NUMBER_FONT, "SimSun"),
    ("Times New Roman", "Times New Roman"),
];

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

/// The footer's page number, "— 1 —", one character in from the side.
fn page_number(align: AlignmentType) -> Paragraph {
    let run = || Run::new().fonts(fonts(NUMBER_FONT)).size(PAGE_NUMBER_SIZE);
    let inset = 280;
    let p = Paragraph::new().align(align);
    let p = match align {
        AlignmentType::Left => p.indent(Some(inset), None, None, None),
        _ => p.indent(None, None, Some(inset), None),
    };
    p.add_run(run().add_text("— "))
        .add_run(
            run()
                .add_field_char(FieldCharType::Begin, false)
                .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
                .add_field_char(FieldCharType::Separate, false)
                .add_text("1")
                .add_field_char(FieldCharType::End, false),
        )
        .add_run(run().add_text(" —"))
}

/// A document being written, paragraph by paragraph.
struct Doc {
    docx: Docx,
    /// The charts placed so far, in order (see [`Doc::chart`]).
    charts: Vec<Chart>,
}

impl Doc {
    fn new() -> Doc {
        let docx = Docx::new()
            .page_size(A4_WIDTH, A4_HEIGHT)
            .page_margin(
                PageMargin::new()
                    .top(2098)
                    .bottom(1984)
                    .left(1588)
                    .right(1474)
                    .header(851)
                    .footer(1304),
            )
            .default_fonts(fonts(BODY_FONT))
            .default_size(BODY_SIZE)
            .footer(Footer::new().add_paragraph(page_number(AlignmentType::Right)))
            .even_footer(Footer::new().add_paragraph(page_number(AlignmentType::Left)));
        Doc {
            docx,
            charts: Vec::new(),
        }
    }

    fn push(&mut self, p: Paragraph) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_paragraph(p.line_spacing(LineSpacing::new().line(560).line_rule(LineSpacingType::Exact)));
    }

    /// The title, one paragraph per line, centred, 二号小标宋, not bold, with an empty line after.
    fn title(&mut self, lines: &[String]) {
        for line in lines {
            self.push(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .keep_next(true)
                    .line_spacing(LineSpacing::new().line(700).line_rule(LineSpacingType::Exact))
                    .add_run(Run::new().add_text(line).fonts(fonts(TITLE_FONT)).size(TITLE_SIZE)),
            );
        }
        self.blank();
    }

    fn blank(&mut self) {
        self.push(Paragraph::new().keep_next(true));
    }

    fn centered(&mut self, text: &str) {
        self.push(
            Paragraph::new()
                .align(AlignmentType::Center)
                .keep_next(true)
                .add_run(Run::new().add_text(text).fonts(fonts(BODY_FONT)).size(BODY_SIZE)),
        );
    }

    /// 主送: flush left, no indent.
    fn addressee(&mut self, text: &str) {
        self.push(Paragraph::new().add_run(Run::new().add_text(text).fonts(fonts(BODY_FONT)).size(BODY_SIZE)));
    }

    fn heading(&mut self, text: &str) {
        self.push(
            Paragraph::new()
                .keep_next(true)
                .indent(None, Some(SpecialIndentType::FirstLine(2 * CHAR)), None, None)
                .add_run(Run::new().add_text(text).fonts(fonts(HEADING_FONT)).size(BODY_SIZE)),
        );
    }

    fn subheading(&mut self, text: &str) {
        self.push(
            Paragraph::new()
                .keep_next(true)
                .indent(None, Some(SpecialIndentType::FirstLine(2 * CHAR)), None, None)
                .add_run(Run::new().add_text(text).fonts(fonts(SUBHEADING_FONT)).size(BODY_SIZE)),
        );
    }

    fn body(&mut self, text: &str) {
        self.push(
            Paragraph::new()
                .indent(None, Some(SpecialIndentType::FirstLine(2 * CHAR)), None, None)
                .add_run(Run::new().add_text(text).fonts(fonts(BODY_FONT)).size(BODY_SIZE)),
        );
    }

    /// 落款 and 成文日期: the date four characters in from the right, the signature centred
    /// above it; two empty lines before, kept together with the last paragraph.
    fn signature(&mut self, signature: &str, date: &str) {
        let width = |s: &str| s.width() as i32 * CHAR / 2;
        let date_inset = 4 * CHAR;
        let sign_inset = (date_inset + (width(date) - width(signature)) / 2).max(0);
        self.blank();
        self.blank();
        for (text, inset, keep) in [(signature, sign_inset, true), (date, date_inset, false)] {
            self.push(
                Paragraph::new()
                    .align(AlignmentType::Right)
                    .keep_next(keep)
                    .indent(None, None, Some(inset), None)
                    .add_run(Run::new().add_text(text).fonts(fonts(BODY_FONT)).size(BODY_SIZE)),
            );
        }
    }

    /// A chart in a paragraph of its own, centred, kept with what follows it. docx-rs cannot
    /// write chart parts: the paragraph holds a marker that [`Doc::finish`] replaces.
    fn chart(&mut self, chart: Chart) {
        self.charts.push(chart);
        let marker = chart_marker(self.charts.len());
        // Not the body's exact 28 pt line, which would clip the chart to one line's height.
        let p = Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(
                LineSpacing::new()
                    .line(240)
                    .line_rule(LineSpacingType::Auto)
                    .before(120)
                    .after(120),
            )
            .add_run(Run::new().add_text(marker));
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_paragraph(p);
    }

    /// The package, with the font table and document properties replaced (see the module doc)
    /// and the charts' parts added.
    fn finish(self, author: &str, title: &str, now_ms: i64) -> Result<Vec<u8>, ExportError> {
        let mut out = std::io::Cursor::new(Vec::new());
        self.docx.pack(&mut out).map_err(|e| ExportError::Docx(e.to_string()))?;
        let mut replaced = vec![
            ("word/fontTable.xml".to_owned(), Edit::Replace(font_table())),
            (
                "docProps/core.xml".to_owned(),
                Edit::Replace(core_properties(author, title, now_ms)),
            ),
        ];
        if !self.charts.is_empty() {
            let charts = self.charts;
            replaced.push(("word/document.xml".to_owned(), Edit::Charts(charts.clone())));
            replaced.push((
                "word/_rels/document.xml.rels".to_owned(),
                Edit::ChartRelations(charts.len()),
            ));
            replaced.push(("[Content_Types].xml".to_owned(), Edit::ChartTypes(charts.len())));
            for (n, chart) in (1..).zip(&charts) {
                replaced.push((
                    format!("word/charts/chart{n}.xml"),
                    Edit::Replace(docx_chart::chart_xml(chart)),
                ));
            }
        }
        edit_parts(&out.into_inner(), &replaced)
    }
}

/// `ms` since the epoch as a W3C UTC timestamp (2026-12-02T04:30:00Z).
fn w3c_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", t / 3600, t / 60 % 60, t % 60)
}

/// Text for an XML element or attribute.
pub(super) fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn font_table() -> String {
    let fonts: String = FONT_TABLE
        .iter()
        .map(|(name, alt)| {
            let charset = if name.is_ascii() { "00" } else { "86" };
            format!(
                r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="{charset}"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>"#
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{fonts}</w:fonts>"#
    )
}

fn core_properties(author: &str, title: &str, now_ms: i64) -> String {
    let (author, title, now) = (xml_escape(author), xml_escape(title), w3c_utc(now_ms));
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>"#
    )
}

/// The text of the paragraph that stands for chart `n` until [`Doc::finish`] puts it there.
fn chart_marker(n: usize) -> String {
    format!("\u{E000}pingcha-chart-{n}\u{E000}")
}

/// What [`edit_parts`] does to a part of the package.
enum Edit {
    /// Its whole content (a part that does not exist yet is added).
    Replace(String),
    /// document.xml: each chart's marker run becomes the chart.
    Charts(Vec<Chart>),
    /// document.xml.rels: a relationship to each chart part.
    ChartRelations(usize),
    /// [Content_Types].xml: the chart parts' type.
    ChartTypes(usize),
}

/// The relationship id of chart `n`.
fn chart_rel(n: usize) -> String {
    format!("rIdPingchaChart{n}")
}

impl Edit {
    /// The part's new content from its old one.
    fn apply(&self, old: &str) -> Result<String, ExportError> {
        let missing = |what: &str| ExportError::Docx(format!("the package has no {what}"));
        Ok(match self {
            Edit::Replace(new) => new.clone(),
            Edit::Charts(charts) => {
                let mut xml = old.to_owned();
                for (n, chart) in (1..).zip(charts) {
                    let at = xml.find(&chart_marker(n)).ok_or_else(|| missing("chart marker"))?;
                    let start = xml[..at]
                        .rfind("<w:r>")
                        .or_else(|| xml[..at].rfind("<w:r "))
                        .ok_or_else(|| missing("chart run"))?;
                    let end = at + xml[at..].find("</w:r>").ok_or_else(|| missing("chart run end"))? + "</w:r>".len();
                    xml.replace_range(start..end, &docx_chart::inline_run(n, &chart_rel(n), &chart.title));
                }
                xml
            }
            Edit::ChartRelations(count) => {
                let added: String = (1..=*count)
                    .map(|n| {
                        format!(
                            r#"<Relationship Id="{}" Type="{}" Target="charts/chart{n}.xml"/>"#,
                            chart_rel(n),
                            docx_chart::REL_TYPE
                        )
                    })
                    .collect();
                before_closing(old, "</Relationships>", &added).ok_or_else(|| missing("relationships"))?
            }
            Edit::ChartTypes(count) => {
                let added: String = (1..=*count)
                    .map(|n| {
                        format!(
                            r#"<Override PartName="/word/charts/chart{n}.xml" ContentType="{}"/>"#,
                            docx_chart::CONTENT_TYPE
                        )
                    })
                    .collect();
                before_closing(old, "</Types>", &added).ok_or_else(|| missing("content types"))?
            }
        })
    }
}

/// `xml` with `added` put just before its last `closing` tag, or `None` without one.
fn before_closing(xml: &str, closing: &str, added: &str) -> Option<String> {
    let at = xml.rfind(closing)?;
    Some(format!("{}{added}{}", &xml[..at], &xml[at..]))
}

/// A copy of the zip package `bytes` with the named parts edited (and new ones added).
fn edit_parts(bytes: &[u8], parts: &[(String, Edit)]) -> Result<Vec<u8>, ExportError> {
    let err = |e: zip::result::ZipError| ExportError::Docx(e.to_string());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(err)?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut seen = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(err)?;
        let name = file.name().map_err(err)?.into_owned();
        let mut content = Vec::new();
        file.read_to_end(&mut content)
            .map_err(|e| ExportError::Docx(e.to_string()))?;
        let content = match parts.iter().find(|(part, _)| *part == name) {
            Some((_, edit)) => edit.apply(&String::from_utf8_lossy(&content))?.into_bytes(),
            None => content,
        };
        seen.push(name.clone());
        out.start_file(name, options).map_err(err)?;
        out.write_all(&content).map_err(|e| ExportError::Docx(e.to_string()))?;
    }
    for (name, edit) in parts.iter().filter(|(name, _)| !seen.contains(name)) {
        out.start_file(name.as_str(), options).map_err(err)?;
        out.write_all(edit.apply("")?.as_bytes())
            .map_err(|e| ExportError::Docx(e.to_string()))?;
    }
    Ok(out.finish().map_err(err)?.into_inner())
}

/// The review opinion (评查意见书) of one case, issued as `issue` says, written at `now_ms`.
pub fn case_opinion(report: &CaseReport, round: &Round, issue: &Issue, now_ms: i64) -> Result<Vec<u8>, ExportError> {
    write_opinion(&opinion(report, round, issue), now_ms)
}

/// An opinion laid out as an official document.
pub fn write_opinion(o: &Opinion, now_ms: i64) -> Result<Vec<u8>, ExportError> {
    let mut doc = Doc::new();
    doc.title(&o.title);
    if let Some(number) = &o.number {
        doc.centered(number);
    }
    if let Some(to) = &o.addressee {
        doc.addressee(to);
    }
    for section in &o.sections {
        doc.heading(&section.heading);
        for block in &section.blocks {
            match block {
                Block::Subheading(t) => doc.subheading(t),
                Block::Text(t) => doc.body(t),
            }
        }
    }
    doc.body(&o.closing);
    doc.signature(&o.signature, &o.date);
    doc.finish(&o.author, &o.title.concat(), now_ms)
}

/// “按期整改率x%”, or why there is none.
fn on_time(rate: Rate) -> String {
    match rate.den {
        0 => "尚无到期应完成的问题".to_owned(),
        _ => format!("按期整改率{rate}"),
    }
}

/// The rectification section: totals and rates, per unit, the overdue entries by unit, and
/// what the figures mean.
fn rectification_section(doc: &mut Doc, r: &Rectification) {
    if r.is_empty() {
        doc.body(&format!("截至{}，{EMPTY_LEDGER}", r.today.chinese()));
        return;
    }
    let t = &r.total;
    doc.body(&format!(
        "截至{}，整改台账共有问题{}个，其中已销号{}个（按期销号{}个）、已整改待核{}个、整改中{}个、待整改{}个；\
         逾期未销号{}个，核查中曾被退回{}个，未定整改期限{}个。整改合格率{}，{}。",
        r.today.chinese(),
        t.entries,
        t.closed,
        t.closed_on_time,
        t.awaiting_check,
        t.in_progress,
        t.pending,
        t.overdue,
        t.returned,
        t.no_deadline,
        t.pass_rate(),
        on_time(t.on_time_rate())
    ));
    doc.subheading("（一）各承办单位整改情况");
    for (n, u) in (1..).zip(&r.units) {
        let t = &u.tally;
        doc.body(&format!(
            "{n}. {}：应整改{}个，已销号{}个，逾期未销号{}个，整改合格率{}，{}。",
            u.unit,
            t.entries,
            t.closed,
            t.overdue,
            t.pass_rate(),
            on_time(t.on_time_rate())
        ));
    }
    doc.subheading("（二）逾期未销号问题");
    if r.overdue.is_empty() {
        doc.body("无逾期未销号问题。");
    }
    for unit in &r.overdue {
        doc.body(&format!("{}（逾期{}个）：", unit.unit, unit.entries.len()));
        for (n, e) in (1..).zip(&unit.entries) {
            let days = e.days;
            let handler = if e.handler.is_empty() {
                String::new()
            } else {
                format!("，承办人{}", e.handler)
            };
            doc.body(&format!(
                "{n}. {}：{}{handler}，整改期限{}，逾期{days}天，现为{}。",
                e.case_no,
                e.problem,
                e.deadline.chinese(),
                e.state
            ));
        }
    }
    doc.body(&format!("注：{}", DEFINITIONS.join("")));
}

/// The width of the type area (A4 less the GB/T 9704 margins), in twentieths of a point.
const TEXT_WIDTH: usize = 11906 - 1588 - 1474;
/// 四号 for table text.
const TABLE_SIZE: usize = 28;

impl Doc {
    /// A table: the header row bold, then the rows; `shares` divide the type area's width.
    fn table(&mut self, header: &[&str], rows: &[Vec<String>], shares: &[usize]) {
        let total: usize = shares.iter().sum::<usize>().max(1);
        let widths: Vec<usize> = shares.iter().map(|s| TEXT_WIDTH * s / total).collect();
        let cell = |text: &str, width: usize, bold: bool| {
            let run = Run::new().add_text(text).fonts(fonts(BODY_FONT)).size(TABLE_SIZE);
            let run = if bold { run.bold() } else { run };
            TableCell::new()
                .width(width, WidthType::Dxa)
                .vertical_align(VAlignType::Center)
                .add_paragraph(Paragraph::new().add_run(run))
        };
        let row = |cells: Vec<TableCell>| TableRow::new(cells).cant_split();
        let mut table_rows = vec![row(header
            .iter()
            .zip(&widths)
            .map(|(h, w)| cell(h, *w, true))
            .collect())];
        for r in rows {
            table_rows.push(row(r.iter().zip(&widths).map(|(t, w)| cell(t, *w, false)).collect()));
        }
        let table = Table::new(table_rows)
            .set_grid(widths)
            .width(TEXT_WIDTH, WidthType::Dxa);
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_table(table);
    }
}

/// A group table's rows: name, cases, average, the grade counts, problems.
fn group_rows(groups: &[GroupStats]) -> Vec<Vec<String>> {
    (1..)
        .zip(groups)
        .map(|(rank, g)| {
            let mut row = vec![
                rank.to_string(),
                g.name.clone(),
                g.cases.to_string(),
                g.average.to_string(),
            ];
            row.extend(g.grade_counts.iter().map(usize::to_string));
            row.push(g.problems.to_string());
            row
        })
        .collect()
}

/// `share` (0–1) as a percentage to a tenth, as the workbook's 占比 and its pie show it.
fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// The round's narrative report (评查情况报告), with the rectification ledger's figures on
/// `rectification.today`: the same sections as the workbook, each figure table as a table.
/// The workbook's charts are not drawn here (the tables carry the same figures).
pub fn round_narrative(
    report: &RoundReport,
    rectification: &Rectification,
    now_ms: i64,
) -> Result<Vec<u8>, ExportError> {
    let mut doc = Doc::new();
    let s = &report.summary;
    let title = [report.round.name.clone(), "情况报告".to_owned()];
    doc.title(&title);

    doc.heading("一、基本情况");
    let reviewers: Vec<&str> = report.reviewers.iter().map(|r| r.name.as_str()).collect();
    let drawn = s.cases + s.unsettled + s.unreviewed;
    doc.body(&format!(
        "本轮评查类型为{}评查，评查方式为{}，依据《{}》。本轮抽取案件{drawn}件，其中已定稿{}件、未定稿{}件、尚未评查{}件。参加评查人员{}名：{}。",
        report.round.kind,
        report.round.method,
        report.rubric,
        s.cases,
        s.unsettled,
        s.unreviewed,
        reviewers.len(),
        reviewers.join("、")
    ));
    if !report.unsettled.is_empty() {
        doc.body("以下案件未定稿（同一阶段有多名评查人且尚无终评），不计入平均分、等次分布、排名和整改台账：");
        for (n, u) in (1..).zip(&report.unsettled) {
            let sheets: Vec<String> = u
                .sheets
                .iter()
                .map(|r| format!("{}（{}）{}分 {}", r.reviewer, r.stage, r.total, r.grade))
                .collect();
            doc.body(&format!("{n}. {}：{}。", u.case.case_no, sheets.join("；")));
        }
    }

    doc.heading("二、评查结果");
    let figure = |p: Option<crate::points::Points>| p.map_or("—".to_owned(), |p| p.to_string());
    doc.body(&format!(
        "以下数据仅统计已定稿案件。共评查案件{}件，平均分{}分，最高分{}分，最低分{}分；共发现问题{}个，案均问题数{}个；加分{}项，一票否决{}项，限等{}项。等次分布如下：",
        s.cases,
        figure(s.average),
        figure(s.max),
        figure(s.min),
        s.problems,
        figure(s.problems_per_case),
        s.bonuses,
        s.vetoes,
        s.grade_caps
    ));
    let grade_rows: Vec<Vec<String>> = report
        .grades
        .iter()
        .enumerate()
        .map(|(i, g)| {
            vec![
                g.clone(),
                s.grade_counts.get(i).copied().unwrap_or(0).to_string(),
                percent(s.share(i)),
            ]
        })
        .collect();
    doc.table(&["等次", "案件数", "占比"], &grade_rows, &[2, 1, 1]);
    if s.cases > 0 {
        doc.chart(Chart {
            kind: Kind::Pie,
            title: "各等次案件数占比".into(),
            series: "案件数".into(),
            points: report
                .grades
                .iter()
                .enumerate()
                .map(|(i, g)| (g.clone(), s.grade_counts.get(i).copied().unwrap_or(0).to_string()))
                .collect(),
        });
    }

    doc.heading("三、发现的共性问题");
    if report.common_problems.is_empty() {
        doc.body("没有在两件以上案件中出现的问题。");
    } else {
        doc.body(&format!(
            "在两件以上案件中出现的问题{}个，按涉及案件数排列：",
            report.common_problems.len()
        ));
        let rows: Vec<Vec<String>> = (1..)
            .zip(&report.common_problems)
            .map(|(n, p)| {
                vec![
                    n.to_string(),
                    p.wording.clone(),
                    p.cases.to_string(),
                    p.case_numbers.join("、"),
                    p.units.join("、"),
                    p.typical.clone(),
                ]
            })
            .collect();
        doc.table(
            &["序号", "问题表述", "案件数", "涉及案件", "承办单位", "典型情况"],
            &rows,
            &[1, 4, 1, 4, 3, 4],
        );
    }

    doc.heading("四、一票否决、限等和评为最低等次的案件");
    if report.flagged.is_empty() {
        doc.body("本轮没有一票否决、限等或评为最低等次的案件。");
    }
    for (n, c) in (1..).zip(&report.flagged) {
        doc.body(&format!(
            "{n}. {}（{}）：得分{}分，等次为“{}”。{}。",
            c.case_no,
            c.unit,
            c.total,
            c.grade,
            c.why.join("；")
        ));
    }

    let mut group_header = vec!["排名", "名称", "案件数", "平均分"];
    group_header.extend(report.grades.iter().map(String::as_str));
    group_header.push("问题数");
    let mut shares = vec![1, 4, 1, 2];
    shares.extend(report.grades.iter().map(|_| 1));
    shares.push(1);
    doc.heading("五、各承办单位评查情况");
    doc.table(&group_header, &group_rows(&report.units), &shares);
    if !report.units.is_empty() {
        doc.chart(Chart {
            kind: Kind::Bar { max: Some(100) },
            title: "各承办单位平均分".into(),
            series: "平均分".into(),
            points: report
                .units
                .iter()
                .map(|u| (u.name.clone(), u.average.to_string()))
                .collect(),
        });
    }
    doc.heading("六、各承办人评查情况");
    doc.table(&group_header, &group_rows(&report.handlers), &shares);

    doc.heading("七、各类别扣分情况");
    let rows: Vec<Vec<String>> = report
        .categories
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                c.points.to_string(),
                c.deduction.to_string(),
                c.problems.to_string(),
                c.cases.to_string(),
            ]
        })
        .collect();
    doc.table(
        &["类别", "分值", "扣分合计", "问题数", "涉及案件数"],
        &rows,
        &[3, 1, 1, 1, 1],
    );
    let scored: Vec<_> = report.categories.iter().filter(|c| c.points > Points::ZERO).collect();
    if !scored.is_empty() {
        doc.chart(Chart {
            kind: Kind::Bar { max: None },
            title: "各类别扣分合计".into(),
            series: "扣分合计".into(),
            points: scored
                .iter()
                .map(|c| (c.name.clone(), c.deduction.to_string()))
                .collect(),
        });
    }
    doc.heading("八、整改落实情况");
    rectification_section(&mut doc, rectification);
    doc.heading("九、整改工作要求");
    let words = &report.words;
    doc.body(&format!(
        "各承办单位要对照问题清单逐案逐项整改，建立整改台账，明确整改时限，做到反馈—整改—督查—销号闭环管理，\
         并将整改情况书面报送{}。{}",
        words.report_to, words.follow_up
    ));
    doc.signature(&words.signature(), &rectification.today.chinese());
    doc.finish(&words.author(), &title.concat(), now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(docx: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut text = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn the_narrative_carries_its_charts_as_chart_parts_the_document_points_to() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::demo::create(&dir.path().join("demo.db"), "test").unwrap();
        let report = crate::report::round_report(&store).unwrap();
        let today = crate::vocab::Date::from_ymd(2026, 12, 2).unwrap();
        let docx = round_narrative(&report, &Rectification::empty(today), 0).unwrap();
        let document = part(&docx, "word/document.xml");
        let rels = part(&docx, "word/_rels/document.xml.rels");
        let types = part(&docx, "[Content_Types].xml");
        assert!(!document.contains("pingcha-chart-"), "every marker replaced");
        for n in 1..=3 {
            let rel = chart_rel(n);
            assert!(document.contains(&format!(r#"r:id="{rel}""#)), "chart {n} placed");
            assert!(rels.contains(&format!(r#"Id="{rel}""#)) && rels.contains(&format!("charts/chart{n}.xml")));
            assert!(types.contains(&format!("/word/charts/chart{n}.xml")));
            assert!(part(&docx, &format!("word/charts/chart{n}.xml")).contains("<c:chartSpace"));
        }
        let units = part(&docx, "word/charts/chart2.xml");
        assert!(units.contains("各承办单位平均分") && units.contains(r#"<c:min val="0"/>"#));
        for u in &report.units {
            assert!(units.contains(&format!("<c:v>{}</c:v>", u.average)), "{}", u.name);
        }
    }
}
