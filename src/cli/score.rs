//! `pingcha score`.

use super::DbArg;
use super::error::{CliError, CliResult};
use super::table::{Align, render};
use pingcha::lang::Lang;
use pingcha::score::ScoreSheet;
use pingcha::store::{Case, SheetRecord, Store};

/// Arguments of `pingcha score`.
#[derive(clap::Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    db: DbArg,
    /// 只计此案 (one case, item by item)
    #[arg(long = "case")]
    case_no: Option<String>,
    /// JSON 输出
    #[arg(long)]
    json: bool,
}

/// Runs `pingcha score`.
pub fn run(args: ScoreArgs, lang: Lang) -> CliResult {
    let store = Store::open_read_only(&args.db.db)?;
    let cases = match &args.case_no {
        Some(c) => vec![store.require_case(c)?],
        None => store.cases()?,
    };
    let recorded = match &cases[..] {
        [one] if args.case_no.is_some() => store.recorded_case(&one.id)?,
        _ => store.recorded()?,
    };
    let mut scored: Vec<(Case, SheetRecord, ScoreSheet)> = Vec::new();
    let mut counting: Vec<pingcha::vocab::SheetId> = Vec::new();
    for case in cases {
        counting.extend(recorded.standing(&case.id).sheet().map(|s| s.id.clone()));
        for sheet in recorded.sheets_of_case(&case.id) {
            let s = store.score_recorded(&recorded, sheet)?;
            scored.push((case.clone(), sheet.clone(), s));
        }
    }
    if args.json {
        let out: Vec<_> = scored
            .iter()
            .map(|(c, sh, s)| {
                serde_json::json!({
                    "case_no": c.case_no,
                    "reviewer": sh.reviewer,
                    "stage": sh.stage,
                    "rubric_hash": sh.rubric_hash,
                    "counts": counting.contains(&sh.id),
                    "score": s,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(());
    }
    if args.case_no.is_some() {
        for (case, sheet, s) in &scored {
            println!(
                "{}\n",
                pingcha::text::for_terminal_lines(&sheet_text(&store, case, sheet, s, lang)?)
            );
        }
        if scored.is_empty() {
            println!("{}", lang.pick("此案尚无评查表。", "no sheets for this case yet."));
        }
        return Ok(());
    }
    let rows: Vec<Vec<String>> = scored
        .iter()
        .map(|(c, sh, s)| {
            vec![
                c.case_no.clone(),
                c.field("title").to_owned(),
                sh.reviewer.clone(),
                sh.stage.to_string(),
                s.problems.to_string(),
                s.total.to_string(),
                s.grade.clone(),
                s.decision.as_ref().map_or(String::new(), |d| d.grade.clone()),
            ]
        })
        .collect();
    println!(
        "{}",
        render(
            &[
                (lang.pick("案号", "case"), Align::Left),
                (lang.pick("案件", "title"), Align::Left),
                (lang.pick("评查人", "reviewer"), Align::Left),
                (lang.pick("阶段", "stage"), Align::Left),
                (lang.pick("问题数", "problems"), Align::Right),
                (lang.pick("得分", "total"), Align::Right),
                (lang.pick("计算等次", "grade"), Align::Left),
                (lang.pick("确定等次", "decided"), Align::Left),
            ],
            &rows,
        )
    );
    Ok(())
}

/// One sheet, category by category and item by item, with the grade's basis.
fn sheet_text(store: &Store, case: &Case, sheet: &SheetRecord, s: &ScoreSheet, lang: Lang) -> Result<String, CliError> {
    let rubric = store.rubric_by_hash(&sheet.rubric_hash)?;
    let mut out = vec![format!(
        "{} {}  {}：{}（{}）  {}：{} {}",
        case.case_no,
        case.field("title"),
        lang.pick("评查人", "reviewer"),
        sheet.reviewer,
        sheet.stage,
        lang.pick("标准", "rubric"),
        rubric.name,
        rubric.version
    )];
    let mut rows = Vec::new();
    for c in &s.categories {
        rows.push(vec![
            c.name.to_string(),
            c.points.to_string(),
            c.deduction.to_string(),
            String::new(),
        ]);
        for i in c.items.iter().filter(|i| i.findings > 0 || i.not_applicable) {
            let mark = if i.not_applicable {
                lang.pick("不适用", "N/A").to_owned()
            } else {
                format!("{}{}", lang.pick("处数 ", "count "), i.occurrences)
            };
            let deduction = if i.extra > pingcha::points::Points::ZERO {
                format!("{} +{}", i.deduction, i.extra)
            } else {
                i.deduction.to_string()
            };
            rows.push(vec![
                format!("  {} {}", i.id, i.name),
                i.points.to_string(),
                deduction,
                mark,
            ]);
        }
    }
    out.push(render(
        &[
            (lang.pick("类别 / 项目", "category / item"), Align::Left),
            (lang.pick("分值", "points"), Align::Right),
            (lang.pick("扣分", "deducted"), Align::Right),
            ("", Align::Left),
        ],
        &rows,
    ));
    out.push(format!(
        "{} {}  {} {}  {} {}  {} {}",
        lang.pick("基本分", "base"),
        s.base,
        lang.pick("加分", "bonus"),
        s.bonus,
        lang.pick("从重扣分", "aggravated"),
        s.extra,
        lang.pick("总分", "total"),
        s.total
    ));
    out.push(format!("{} {}", lang.pick("计算等次", "computed grade"), s.grade));
    for r in &s.reasons {
        out.push(format!("  - {}", r.describe(lang)));
    }
    if let Some(d) = &s.decision {
        out.push(format!(
            "{} {}（{}：{}；{}）",
            lang.pick("确定等次", "decided grade"),
            d.grade,
            d.decider,
            d.reason,
            lang.pick("以确定等次为准", "the decided grade counts")
        ));
    }
    Ok(out.join("\n"))
}
