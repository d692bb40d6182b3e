//! The 评查意见书 of one case as words: title, 主送, sections 一 to 六, the closing request and the
//! 落款. [`crate::export::docx`] lays it out as an official document (GB/T 9704); keeping the
//! wording here lets it be read and tested without a file format.
//!
//! The sections follow the structure procuratorates' review systems use for a case's opinion:
//! 一 被评查案件基本情况, 二 评查工作开展情况, 三 评查发现的问题 (only categories with problems),
//! 四 评查小组联席会议情况, 五 结果等次建议及评定依据, 六 其他需要说明的问题. Every
//! institution-specific word (the organ, who receives the rectification report, the period, the
//! 回头看 sentence) comes from the rubric's `[document]` table.

use super::case::{CaseReport, FindingLine};
use crate::points::Points;
use crate::rubric::FindingKind;
use crate::score::{GradeReason, VetoEffectName};
use crate::store::Round;
use crate::vocab::Date;

/// What the export cannot know by itself when an opinion is issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// 成文日期 (Beijing).
    pub date: Date,
    /// The latest rectification deadline the ledger set for the case's entries; it replaces
    /// the rubric's period.
    pub deadline: Option<Date>,
}

/// A review opinion as words, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opinion {
    /// The title, broken into lines at word boundaries.
    pub title: Vec<String>,
    /// 文号, when the rubric gives a template.
    pub number: Option<String>,
    /// 主送: the handling unit, with its colon; None when the case names none.
    pub addressee: Option<String>,
    /// Sections 一 to 六.
    pub sections: Vec<Section>,
    /// The closing paragraph: the rectification request, or praise for a clean case.
    pub closing: String,
    /// 落款: the review group.
    pub signature: String,
    /// 成文日期 in Chinese (2026年12月2日).
    pub date: String,
    /// The document's author property: the organ, or the group without one.
    pub author: String,
}

/// One numbered section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// "一、被评查案件基本情况".
    pub heading: String,
    /// Its paragraphs.
    pub blocks: Vec<Block>,
}

/// A paragraph of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A "（一）…" sub-heading.
    Subheading(String),
    /// Body text.
    Text(String),
}

/// Chinese numerals for headings.
const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// "一", "二", … for the `i`-th (0-based) heading.
pub fn numeral(i: usize) -> String {
    NUMERALS.get(i).map_or_else(|| (i + 1).to_string(), |n| (*n).to_owned())
}

/// A case field as official documents write dates: a `YYYY-MM-DD` day as [`Date::chinese`]
/// writes it (2026年12月2日); anything else unchanged.
pub fn chinese_date(text: &str) -> String {
    Date::parse(text).map_or_else(|_| text.to_owned(), Date::chinese)
}

/// A sentence ends with 。 (unless it already ends with a closing mark).
fn sentence(text: &str) -> String {
    let text = text.trim().trim_end_matches(['；', ';', '，', ',']);
    match text.chars().last() {
        None => String::new(),
        Some('。' | '！' | '？' | '）' | '”') => text.to_owned(),
        Some(_) => format!("{text}。"),
    }
}

/// A rubric line without its scoring hints: "涉案财物登记规范（无涉案财物的不适用）" →
/// "涉案财物登记规范", "未制作审理报告，该项不得分" → "未制作审理报告".
fn plain(name: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in name.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = (depth - 1).max(0),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let out = out.split(['，', ',']).next().unwrap_or_default();
    out.trim().to_owned()
}

/// The case's handling unit, or a neutral name.
fn unit(report: &CaseReport) -> String {
    match report.case.field("unit").trim() {
        "" => "承办单位".to_owned(),
        u => u.to_owned(),
    }
}

/// The opinion of one case issued on `issue.date`.
pub fn opinion(report: &CaseReport, round: &Round, issue: &Issue) -> Opinion {
    let words = &report.words;
    let case_no = &report.case.case_no;
    let signature = words.signature();
    let year = issue.date.ymd().0.to_string();
    let number = (!words.number.is_empty()).then(|| {
        words
            .number
            .replace("{year}", &year)
            .replace("{n}", &report.case.seq.to_string())
    });
    let unit_field = report.case.field("unit").trim();
    Opinion {
        title: vec![format!("{case_no}案件"), "质量评查意见书".to_owned()],
        number,
        addressee: (!unit_field.is_empty()).then(|| format!("{unit_field}：")),
        sections: vec![
            basics(report),
            work(report, round),
            problems(report),
            meeting(report),
            grade(report),
            other(report),
        ],
        closing: closing(report, issue),
        author: words.author(),
        signature,
        date: issue.date.chinese(),
    }
}

fn section(i: usize, title: &str, blocks: Vec<Block>) -> Section {
    Section {
        heading: format!("{}、{title}", numeral(i)),
        blocks,
    }
}

/// 一: the case's metadata as one paragraph, dates in 年月日, empty fields left out.
fn basics(report: &CaseReport) -> Section {
    let parts: Vec<String> = report
        .metadata()
        .filter(|m| !m.value.trim().is_empty())
        .map(|m| format!("{}：{}", m.label, chinese_date(m.value)))
        .collect();
    let text = if parts.is_empty() {
        format!("案号：{}。", report.case.case_no)
    } else {
        format!("{}。", parts.join("；"))
    };
    section(0, "被评查案件基本情况", vec![Block::Text(text)])
}

/// 二: who reviewed, how, against what, when, and which sheet the opinion rests on.
fn work(report: &CaseReport, round: &Round) -> Section {
    let dates = match &report.review_dates {
        Some((a, b)) if a == b => format!("评查时间为{}。", chinese_date(a)),
        Some((a, b)) => format!("评查时间为{}至{}。", chinese_date(a), chinese_date(b)),
        None => String::new(),
    };
    let method = format!("采用{}评查方式，", round.method);
    let kind = round.kind;
    // "纪检监察机关…评查标准 2026.1" → 《纪检监察机关…评查标准》（2026.1版）
    let rubric = match report.rubric.rsplit_once(' ') {
        Some((name, version)) => format!("《{name}》（{version}版）"),
        None => format!("《{}》", report.rubric),
    };
    let text = format!(
        "根据{}工作安排，评查人员{}{method}依据{rubric}对本案进行了{kind}评查。{dates}本意见依据{}（{}）的评查表形成。",
        round.name,
        report.reviewers.join("、"),
        report.sheet.reviewer,
        report.sheet.stage
    );
    section(1, "评查工作开展情况", vec![Block::Text(text)])
}

/// "问题表述。说明（第N卷第M页，共K处，扣X分）" for one finding.
fn problem_text(n: usize, f: &FindingLine) -> String {
    let (statement, remark) = match (f.problem.trim(), f.note.trim()) {
        ("", "") => (plain(&f.item), ""),
        ("", note) => (note.to_owned(), ""),
        (problem, note) if note == problem => (problem.to_owned(), ""),
        (problem, note) => (problem.to_owned(), note),
    };
    let mut facts = Vec::new();
    let place = f.location();
    if !place.is_empty() {
        facts.push(place);
    }
    if f.occurrences > 1 {
        facts.push(format!("共{}处", f.occurrences));
    }
    if f.deduction > Points::ZERO {
        facts.push(format!("扣{}分", f.deduction));
    }
    let facts = if facts.is_empty() {
        String::new()
    } else {
        format!("（{}）", facts.join("，"))
    };
    let statement = statement.trim_end_matches(['。', '；']);
    let remark = remark.trim_end_matches(['。', '；']);
    if remark.is_empty() {
        format!("{n}. {statement}{facts}。")
    } else {
        format!("{n}. {statement}。{remark}{facts}。")
    }
}

/// 三: only the categories with problems, each problem with where, how many times and how much.
fn problems(report: &CaseReport) -> Section {
    let s = &report.score;
    let mut blocks = Vec::new();
    let with_problems: Vec<_> = s
        .categories
        .iter()
        .filter(|c| report.findings.iter().any(|f| f.is_problem && f.category_id == c.id))
        .collect();
    if with_problems.is_empty() {
        blocks.push(Block::Text("评查未发现扣分问题。".to_owned()));
    } else {
        let deducted: Points = s.categories.iter().map(|c| c.deduction).sum();
        blocks.push(Block::Text(format!(
            "评查发现问题{}个，涉及{}个方面，合计扣{deducted}分（各项扣分以该项分值为限）。",
            s.problems,
            with_problems.len()
        )));
    }
    for (i, category) in with_problems.iter().enumerate() {
        blocks.push(Block::Subheading(format!("（{}）{}", numeral(i), category.name)));
        let lines = report
            .findings
            .iter()
            .filter(|f| f.is_problem && f.category_id == category.id);
        for (n, f) in (1..).zip(lines) {
            blocks.push(Block::Text(problem_text(n, f)));
        }
    }
    section(2, "评查发现的问题", blocks)
}

/// 四: the grade decided at the review group's meeting, why and by whom.
fn meeting(report: &CaseReport) -> Section {
    let text = match &report.score.decision {
        Some(d) => format!(
            "经评查小组联席会议研究，本案等次确定为“{}”，理由是：{}（决定人：{}）。",
            d.grade,
            d.reason.trim().trim_end_matches(['。', '；']),
            d.decider
        ),
        None if !report.pending.is_empty() => "本案有待议事项（见第六部分），尚待评查小组联席会议研究。".to_owned(),
        None => "本案未提交评查小组联席会议研究，等次按评分结果确定。".to_owned(),
    };
    section(3, "评查小组联席会议情况", vec![Block::Text(text)])
}

/// "90分以上" / "75分以上、不足90分" / "不足60分": the score range of a band.
fn band_range(report: &CaseReport, grade: &str) -> Option<String> {
    let i = report.bands.iter().position(|b| b.name == grade)?;
    let min = report.bands[i].min;
    let above = i.checked_sub(1).map(|j| report.bands[j].min);
    Some(match (min > Points::ZERO, above) {
        (true, None) => format!("{min}分以上"),
        (true, Some(up)) => format!("{min}分以上、不足{up}分"),
        (false, Some(up)) => format!("不足{up}分"),
        (false, None) => "0分以上".to_owned(),
    })
}

/// True when a veto set the total to 0.
fn zeroed(report: &CaseReport) -> bool {
    report.score.reasons.iter().any(|r| {
        matches!(
            r,
            GradeReason::Veto {
                effect: VetoEffectName::ZeroTotal,
                ..
            }
        )
    })
}

/// 五: the score and the band, then every veto, cap, bonus and 从重 in its own sentence, and
/// the grade proposed.
fn grade(report: &CaseReport) -> Section {
    let s = &report.score;
    let lowest = report.bands.last().map_or(s.grade.as_str(), |b| b.name.as_str());
    let mut blocks = Vec::new();
    if zeroed(report) {
        blocks.push(Block::Text("因一票否决，本案评查得分为0分。".to_owned()));
    } else {
        let parts: Vec<String> = [
            (s.bonus > Points::ZERO).then(|| format!("加分{}分", s.bonus)),
            (s.extra > Points::ZERO).then(|| format!("从重扣分{}分", s.extra)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let detail = if parts.is_empty() {
            String::new()
        } else {
            format!("（基本分{}分，{}）", s.base, parts.join("，"))
        };
        let band = s.reasons.iter().find_map(|r| match r {
            GradeReason::Band { grade, .. } => Some(grade.as_str()),
            _ => None,
        });
        let band = band
            .and_then(|g| band_range(report, g).map(|range| format!("，属“{g}”等次分数段（{range}）")))
            .unwrap_or_default();
        blocks.push(Block::Text(format!("本案评查得分{}分{detail}{band}。", s.total)));
    }
    // What the reviewer wrote on the veto or cap finding, with its place: "（…，第2卷第14页）".
    let found = |node: &str| {
        let parts: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.node == node)
            .flat_map(|f| [f.note.trim().trim_end_matches('。').to_owned(), f.location()])
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("（{}）", parts.join("，"))
        }
    };
    for r in &s.reasons {
        match r {
            GradeReason::Band { .. } => {}
            GradeReason::Veto { node, name, effect } => blocks.push(Block::Text(format!(
                "本案存在“{}”情形{}，依照评查标准一票否决，{}。",
                plain(name),
                found(node),
                match effect {
                    VetoEffectName::ZeroTotal => format!("全案不得分，评为“{lowest}”"),
                    VetoEffectName::LowestGrade => format!("直接评为“{lowest}”"),
                }
            ))),
            GradeReason::Cap { node, name, grade } => blocks.push(Block::Text(format!(
                "本案存在“{}”情形{}，依照评查标准，等次不得高于“{grade}”。",
                plain(name),
                found(node)
            ))),
        }
    }
    if s.bonus > Points::ZERO {
        let names: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::Bonus)
            .map(|f| format!("“{}”", plain(&f.item)))
            .collect();
        let capped = if s.bonus < s.bonus_raw {
            format!("（应加{}分，以加分上限为限）", s.bonus_raw)
        } else {
            String::new()
        };
        blocks.push(Block::Text(format!(
            "本案有{}情形，加{}分{capped}。",
            names.join("、"),
            s.bonus
        )));
    }
    for item in s
        .categories
        .iter()
        .flat_map(|c| &c.items)
        .filter(|i| i.extra > Points::ZERO)
    {
        let wording = report
            .findings
            .iter()
            .find(|f| f.item_id == item.id && f.repeat.applies())
            .map_or_else(
                || plain(&item.name),
                |f| {
                    if f.problem.is_empty() {
                        plain(&f.item)
                    } else {
                        f.problem.to_string()
                    }
                },
            );
        blocks.push(Block::Text(format!(
            "“{}”系此前评查已反馈、再次出现的同类问题，从重扣{}分。",
            wording.trim_end_matches('。'),
            item.extra
        )));
    }
    let mut conclusion = format!("综上，建议本案等次评定为“{}”。", s.grade);
    if let Some(d) = &s.decision {
        conclusion.push_str(&format!("评查小组联席会议确定为“{}”（见第四部分）。", d.grade));
    }
    blocks.push(Block::Text(conclusion));
    section(4, "结果等次建议及评定依据", blocks)
}

/// 六: 不适用 items, 待议 marks, the provisional state and findings the rubric does not know.
fn other(report: &CaseReport) -> Section {
    let mut notes = Vec::new();
    if !report.not_applicable.is_empty() {
        notes.push(format!(
            "经评查人认定不适用的项目：{}，按评查标准的不适用规则计分。",
            report.not_applicable.join("、")
        ));
    }
    if !report.pending.is_empty() {
        notes.push(format!("评查人标注待议的事项：{}。", report.pending.join("、")));
    }
    if !report.score.unknown_nodes.is_empty() {
        notes.push(format!(
            "评查表中有记录所依据的评查项目不在本评查标准中，未计分：{}。",
            report.score.unknown_nodes.join("、")
        ));
    }
    let blocks = if notes.is_empty() {
        vec![Block::Text("无。".to_owned())]
    } else {
        (1..)
            .zip(notes)
            .map(|(n, t)| Block::Text(format!("{n}. {t}")))
            .collect()
    };
    section(5, "其他需要说明的问题", blocks)
}

/// Whether the case earns the closing praise: no problem, no veto, no cap, and a grade among
/// the rubric's two best.
pub fn deserves_praise(report: &CaseReport) -> bool {
    let s = &report.score;
    let top_two = report.bands.iter().take(2).any(|b| b.name == report.grade());
    s.problems == 0
        && top_two
        && !s
            .reasons
            .iter()
            .any(|r| matches!(r, GradeReason::Veto { .. } | GradeReason::Cap { .. }))
}

/// The closing request: rectify by the ledger's deadline or within the rubric's period and report
/// to its recipient, then its 回头看 sentence; praise only for a clean case.
fn closing(report: &CaseReport, issue: &Issue) -> String {
    let unit = unit(report);
    if deserves_praise(report) {
        return format!("本案未发现扣分问题，请{unit}继续保持办案质量。");
    }
    let words = &report.words;
    let when = match issue.deadline {
        Some(d) => format!("于{}前", d.chinese()),
        None => format!("自收到本意见之日起{}日内", words.rectify_days),
    };
    let mut text = format!(
        "请{unit}对上述问题逐项核实，{when}完成整改，并将整改情况书面报送{}。",
        words.report_to
    );
    if !words.follow_up.is_empty() {
        text.push_str(&sentence(&words.follow_up));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::case_report;
    use crate::score::{Decision, Quantity};
    use crate::store::{MarkKind, NewFinding, Repeat, Stage, Store};

    /// The demo round, open as its first reviewer.
    fn demo() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::demo::create(&crate::demo::path_in(dir.path()), "test-machine").unwrap();
        (dir, store)
    }

    fn finding(node: &str, note: &str, quantity: Quantity) -> NewFinding {
        NewFinding {
            node: node.into(),
            quantity,
            note: note.into(),
            volume: Some(2),
            page: Some(14),
            problem: None,
            repeat: Repeat::No,
        }
    }

    const ISSUE: fn() -> Issue = || Issue {
        date: Date::from_ymd(2026, 12, 2).expect("a day"),
        deadline: None,
    };

    /// The opinion of the case with this 案号 after `edit` recorded on its 初评 sheet.
    fn opinion_of(case_no: &str, edit: impl FnOnce(&mut Store, &crate::store::SheetRecord)) -> (Opinion, String) {
        let (_dir, mut store) = demo();
        let case = store.require_case(case_no).unwrap();
        let sheet = store.sheet(&case.id, Stage::Initial).unwrap();
        edit(&mut store, &sheet);
        let report = case_report(&store, &case).unwrap().unwrap();
        let o = opinion(&report, &store.round().unwrap(), &ISSUE());
        let text = text_of(&o);
        (o, text)
    }

    fn text_of(o: &Opinion) -> String {
        let mut text = o.title.concat();
        for s in &o.sections {
            text.push_str(&s.heading);
            for b in &s.blocks {
                match b {
                    Block::Subheading(t) | Block::Text(t) => text.push_str(t),
                }
            }
        }
        format!("{text}{}{}{}", o.closing, o.signature, o.date)
    }

    #[test]
    fn a_vetoed_case_names_the_veto_and_is_not_praised() {
        let (o, text) = opinion_of("〔2026〕纪审字第005号", |store, sheet| {
            let f = finding("fj.ffqz", "关键证人证言系以引诱方式取得", Quantity::One);
            store.add_finding(sheet, &f).unwrap();
        });
        assert!(text.contains("一票否决，全案不得分"), "{text}");
        assert!(text.contains("关键证人证言系以引诱方式取得，第2卷第14页"), "{text}");
        assert!(
            !text.contains("继续保持") && !text.contains("扣0分") && !text.contains("≥"),
            "{text}"
        );
        assert!(o.closing.contains("报送案件审理室"), "{}", o.closing);
        assert_eq!(text.matches("全案不得分").count(), 1, "said once: {text}");
    }

    #[test]
    fn sections_one_to_six_and_only_categories_with_problems() {
        let (o, text) = opinion_of("〔2026〕纪审字第004号", |_, _| {});
        let headings: Vec<&str> = o.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "一、被评查案件基本情况",
                "二、评查工作开展情况",
                "三、评查发现的问题",
                "四、评查小组联席会议情况",
                "五、结果等次建议及评定依据",
                "六、其他需要说明的问题"
            ]
        );
        assert!(!text.contains("未发现问题"), "no empty categories: {text}");
        assert!(!text.contains("评查评查") && !text.contains("计算等次为"), "{text}");
        assert!(!text.contains("2026-"), "dates in 年月日: {text}");
        assert_eq!(o.date, "2026年12月2日");
        assert_eq!(o.signature, "纪委监委案件质量评查组");
        assert_eq!(o.addressee.as_deref(), Some("第二审查调查室："));
    }

    #[test]
    fn counts_caps_bonus_decision_and_other_matters_each_get_their_sentence() {
        let (o, text) = opinion_of("〔2026〕纪审字第008号", |store, sheet| {
            let f = finding("xd.zxbdw", "政务处分决定未执行", Quantity::One);
            store.add_finding(sheet, &f).unwrap();
            let f = finding("jf.jcjy", "制发纪检监察建议1份", Quantity::Count(1));
            store.add_finding(sheet, &f).unwrap();
            store.set_mark(&sheet.id, "", MarkKind::Pending, true, "").unwrap();
            let decision = Decision {
                grade: "瑕疵".into(),
                reason: "处分未执行到位。".into(),
                decider: "评查组组长王主任".into(),
            };
            store.decide(sheet, &decision).unwrap();
        });
        assert!(text.contains("等次不得高于“瑕疵”"), "{text}");
        assert!(text.contains("加2分"), "{text}");
        assert!(
            text.contains("本案等次确定为“瑕疵”，理由是：处分未执行到位（决定人：评查组组长王主任）"),
            "{text}"
        );
        assert!(text.contains("评查人标注待议的事项：全案"), "{text}");
        assert!(!o.closing.contains("继续保持"), "a capped case is not praised");
    }

    #[test]
    fn the_ledgers_deadline_replaces_the_rubrics_period() {
        let (_dir, store) = demo();
        let case = store.require_case("〔2026〕纪审字第004号").unwrap();
        let report = case_report(&store, &case).unwrap().unwrap();
        let round = store.round().unwrap();
        let issue = Issue {
            deadline: Date::from_ymd(2026, 12, 31),
            ..ISSUE()
        };
        assert!(
            opinion(&report, &round, &issue)
                .closing
                .contains("于2026年12月31日前完成整改")
        );
        assert!(
            opinion(&report, &round, &ISSUE())
                .closing
                .contains("自收到本意见之日起30日内")
        );
    }

    #[test]
    fn a_problem_reads_as_wording_and_note_with_place_count_and_points() {
        let (_, text) = opinion_of("〔2026〕纪审字第007号", |store, sheet| {
            let f = finding("sszj.bl", "两份笔录未逐页签名", Quantity::Count(2));
            store.add_finding(sheet, &f).unwrap();
        });
        assert!(
            text.contains("两份笔录未逐页签名（第2卷第14页，共2处，扣2分）。"),
            "{text}"
        );
        assert_eq!(chinese_date("2026-01-08"), "2026年1月8日");
        assert_eq!(plain("涉案财物登记规范（无涉案财物的不适用）"), "涉案财物登记规范");
        assert_eq!(plain("未制作审理报告，该项不得分"), "未制作审理报告");
    }
}
