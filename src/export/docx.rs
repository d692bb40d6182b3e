//! DOCX documents: a case's review opinion (评查意见) and the round's narrative report
//! (评查情况报告), laid out as official documents are: A4, 仿宋_GB2312 三号 body, 黑体
//! headings, a 小标宋/宋体 title. Fonts are named in the document so WPS and Word pick them.

use super::ExportError;
use crate::lang::Lang;
use crate::report::{CaseReport, DEFINITIONS, EMPTY_LEDGER, GroupStats, Rate, Rectification, RoundReport};
use crate::rubric::FindingKind;
use crate::store::Round;
use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType,
};

/// A4 in twentieths of a point.
const A4_WIDTH: u32 = 11906;
const A4_HEIGHT: u32 = 16838;
/// 三号 (16 pt) in half-points, the body size of official documents.
const BODY_SIZE: usize = 32;
/// 二号 (22 pt) for the title.
const TITLE_SIZE: usize = 44;
const BODY_FONT: &str = "仿宋_GB2312";
const HEADING_FONT: &str = "黑体";
const SUBHEADING_FONT: &str = "楷体_GB2312";
const TITLE_FONT: &str = "宋体";
/// Chinese numerals for the "（一）" sub-headings.
const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

/// A document being written, paragraph by paragraph.
struct Doc(Docx);

impl Doc {
    fn new() -> Doc {
        Doc(Docx::new()
            .page_size(A4_WIDTH, A4_HEIGHT)
            .page_margin(PageMargin::new().top(2098).bottom(1984).left(1588).right(1474))
            .default_fonts(fonts(BODY_FONT))
            .default_size(BODY_SIZE))
    }

    fn push(&mut self, p: Paragraph) {
        let docx = std::mem::take(&mut self.0);
        self.0 = docx.add_paragraph(p.line_spacing(LineSpacing::new().line(560).line_rule(LineSpacingType::Exact)));
    }

    fn title(&mut self, text: &str) {
        self.push(
            Paragraph::new().align(AlignmentType::Center).add_run(
                Run::new()
                    .add_text(text)
                    .fonts(fonts(TITLE_FONT))
                    .size(TITLE_SIZE)
                    .bold(),
            ),
        );
    }

    fn heading(&mut self, text: &str) {
        self.push(
            Paragraph::new()
                .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
                .add_run(Run::new().add_text(text).fonts(fonts(HEADING_FONT)).size(BODY_SIZE)),
        );
    }

    fn subheading(&mut self, text: &str) {
        self.push(
            Paragraph::new()
                .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
                .add_run(Run::new().add_text(text).fonts(fonts(SUBHEADING_FONT)).size(BODY_SIZE)),
        );
    }

    fn body(&mut self, text: &str) {
        self.push(
            Paragraph::new()
                .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
                .add_run(Run::new().add_text(text).fonts(fonts(BODY_FONT)).size(BODY_SIZE)),
        );
    }

    fn finish(self) -> Result<Vec<u8>, ExportError> {
        let mut out = std::io::Cursor::new(Vec::new());
        self.0.pack(&mut out).map_err(|e| ExportError::Docx(e.to_string()))?;
        Ok(out.into_inner())
    }
}

fn numeral(i: usize) -> String {
    NUMERALS.get(i).map_or_else(|| (i + 1).to_string(), |n| (*n).to_owned())
}

/// The review opinion (评查意见) of one case.
pub fn case_opinion(report: &CaseReport, round: &Round) -> Result<Vec<u8>, ExportError> {
    let mut doc = Doc::new();
    let case = &report.case;
    doc.title(&format!("关于{}案件的评查意见", case.case_no));

    doc.heading("一、案件基本情况");
    for (label, value) in &report.metadata {
        doc.body(&format!("{label}：{}", if value.is_empty() { "未填" } else { value }));
    }

    doc.heading("二、评查工作开展情况");
    let dates = match &report.review_dates {
        Some((a, b)) if a == b => format!("评查时间为{a}。"),
        Some((a, b)) => format!("评查时间为{a}至{b}。"),
        None => String::new(),
    };
    doc.body(&format!(
        "本案系{}评查案件，评查类型为{}评查，评查方式为{}，依据《{}》逐项评查。评查人：{}；本意见依据{}（{}）的评查表。{dates}",
        round.name,
        round.kind,
        round.method,
        report.rubric,
        report.reviewers.join("、"),
        report.sheet.reviewer,
        report.sheet.stage
    ));

    doc.heading("三、发现的问题");
    for (i, category) in report.score.categories.iter().enumerate() {
        doc.subheading(&format!("（{}）{}", numeral(i), category.name));
        let lines: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.is_problem && f.category_id == category.id)
            .collect();
        if lines.is_empty() {
            doc.body("未发现问题。");
        }
        for (n, f) in (1..).zip(lines) {
            let wording = if f.problem.is_empty() || f.problem == f.note {
                f.note.clone()
            } else {
                format!("{}：{}", f.problem, f.note)
            };
            let place = f.location();
            let place = if place.is_empty() {
                String::new()
            } else {
                format!("{place}，")
            };
            doc.body(&format!("{n}. {}。{wording}（{place}扣{}分）", f.item, f.deduction));
        }
    }

    doc.heading("四、评查得分及等次");
    for kind in [FindingKind::Bonus, FindingKind::Veto, FindingKind::GradeCap] {
        let lines: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| format!("{}（{}）", f.item, f.note))
            .collect();
        if !lines.is_empty() {
            doc.body(&format!("{}事项：{}。", kind.label(Lang::Zh), lines.join("；")));
        }
    }
    let s = &report.score;
    doc.body(&format!(
        "本案基本分{}分，加分{}分，从重扣分{}分，评查得分{}分，发现问题{}个，计算等次为{}。",
        s.base, s.bonus, s.extra, s.total, s.problems, s.grade
    ));
    for r in &s.reasons {
        doc.body(&format!("等次依据：{}。", r.describe(Lang::Zh)));
    }
    if let Some(d) = &s.decision {
        doc.body(&format!("经{}，确定等次为{}。理由：{}。", d.decider, d.grade, d.reason));
    }

    doc.heading("五、整改要求");
    if report.findings.iter().any(|f| f.is_problem) {
        doc.body(
            "请承办部门对上述问题逐项核实，自收到本意见之日起三十日内完成整改，并将整改情况书面报送案件审理室；\
             对共性问题举一反三，完善制度机制，防止同类问题再次发生。",
        );
    } else {
        doc.body("本案未发现扣分问题，请承办部门继续保持办案质量。");
    }
    doc.finish()
}

fn group_lines(doc: &mut Doc, groups: &[GroupStats], grades: &[String]) {
    for (rank, g) in (1..).zip(groups) {
        let counts: Vec<String> = grades
            .iter()
            .zip(&g.grade_counts)
            .filter(|(_, n)| **n > 0)
            .map(|(grade, n)| format!("{grade}{n}件"))
            .collect();
        doc.body(&format!(
            "{rank}. {}：评查{}件，平均分{}分，{}，发现问题{}个。",
            g.name,
            g.cases,
            g.average,
            counts.join("、"),
            g.problems
        ));
    }
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
        doc.body(&format!("截至{}，{EMPTY_LEDGER}", r.today));
        return;
    }
    let t = &r.total;
    doc.body(&format!(
        "截至{}，整改台账共有问题{}个，其中已销号{}个（按期销号{}个）、已整改待核{}个、整改中{}个、待整改{}个；\
         逾期未销号{}个，核查中曾被退回{}个，未定整改期限{}个。整改合格率{}，{}。",
        r.today,
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
            let days = e.days.map_or(String::new(), |d| format!("，逾期{d}天"));
            let handler = if e.handler.is_empty() {
                String::new()
            } else {
                format!("，承办人{}", e.handler)
            };
            doc.body(&format!(
                "{n}. {}：{}{handler}，整改期限{}{days}，现为{}。",
                e.case_no, e.problem, e.deadline, e.state
            ));
        }
    }
    doc.body(&format!("注：{}", DEFINITIONS.join("")));
}

/// The round's narrative report (评查情况报告), with the rectification ledger's figures on
/// `rectification.today`.
pub fn round_narrative(report: &RoundReport, rectification: &Rectification) -> Result<Vec<u8>, ExportError> {
    let mut doc = Doc::new();
    let s = &report.summary;
    doc.title(&format!("{}情况报告", report.round.name));

    doc.heading("一、基本情况");
    let reviewers: Vec<&str> = report.reviewers.iter().map(|r| r.name.as_str()).collect();
    doc.body(&format!(
        "本轮评查类型为{}评查，评查方式为{}，依据《{}》，已定稿案件{}件，未定稿{}件，未评查{}件。参加评查人员{}名：{}。",
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
        "以下数据仅统计已定稿案件。评查案件平均分{}分，最高分{}分，最低分{}分；共发现问题{}个，案均问题数{}个；加分{}项，一票否决{}项，限等{}项。",
        figure(s.average),
        figure(s.max),
        figure(s.min),
        s.problems,
        figure(s.problems_per_case),
        s.bonuses,
        s.vetoes,
        s.grade_caps
    ));
    let grades: Vec<String> = report
        .grades
        .iter()
        .enumerate()
        .map(|(i, g)| {
            format!(
                "{g}{}件（占{:.1}%）",
                s.grade_counts.get(i).copied().unwrap_or(0),
                s.share(i) * 100.0
            )
        })
        .collect();
    doc.body(&format!("等次分布：{}。", grades.join("，")));

    doc.heading("三、各承办部门评查情况");
    group_lines(&mut doc, &report.units, &report.grades);

    doc.heading("四、发现的共性问题");
    if report.common_problems.is_empty() {
        doc.body("未发现问题。");
    }
    for (n, p) in (1..).zip(report.common_problems.iter().take(10)) {
        doc.body(&format!(
            "{n}. {}（{}／{}）：涉及{}件案件，出现{}次。",
            p.wording, p.category, p.item, p.cases, p.occurrences
        ));
    }
    doc.heading("五、各类别扣分情况");
    for c in &report.categories {
        doc.body(&format!(
            "{}（{}分）：累计扣{}分，发现问题{}个，涉及{}件案件。",
            c.name, c.points, c.deduction, c.problems, c.cases
        ));
    }
    doc.heading("六、整改落实情况");
    rectification_section(&mut doc, rectification);
    doc.heading("七、整改工作要求");
    doc.body(
        "各承办部门要对照问题清单逐案逐项整改，建立整改台账，明确整改时限，做到反馈—整改—督查—销号闭环管理；\
         案件审理室将适时开展回头看，对共性问题加强培训指导。",
    );
    doc.finish()
}
