//! `pingcha score` and `pingcha export`.

use super::DbArg;
use super::error::{CliError, CliResult};
use super::table::{Align, render};
use pingcha::lang::Lang;
use pingcha::score::{GradeReason, ScoreSheet, VetoEffectName};
use pingcha::store::{Case, SheetRecord, Store};
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Arguments of `pingcha export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    db: DbArg,
    /// 导出格式 (format)
    #[arg(long, value_parser = ["json"], default_value = "json")]
    format: String,
    /// 输出文件，- 为标准输出 (output file, - for stdout)
    #[arg(short, long)]
    output: PathBuf,
}

/// Runs `pingcha score`.
pub fn run(args: ScoreArgs, lang: Lang) -> CliResult {
    let store = Store::open_read_only(&args.db.db)?;
    let cases = match &args.case_no {
        Some(c) => vec![store.require_case(c)?],
        None => store.cases()?,
    };
    let mut scored: Vec<(Case, SheetRecord, ScoreSheet)> = Vec::new();
    for case in cases {
        for sheet in store.sheets_of_case(&case.id)? {
            let s = store.score(&sheet)?;
            scored.push((case.clone(), sheet, s));
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
                    "score": s,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(());
    }
    if args.case_no.is_some() {
        for (case, sheet, s) in &scored {
            println!("{}\n", sheet_text(&store, case, sheet, s, lang)?);
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
                sh.stage.clone(),
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
            c.name.clone(),
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
        out.push(format!("  - {}", reason_text(r, lang)));
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

/// A grade reason in words.
pub fn reason_text(r: &GradeReason, lang: Lang) -> String {
    match (r, lang) {
        (GradeReason::Band { grade, min, total }, Lang::Zh) => {
            format!("总分 {total} ≥ {min}，属「{grade}」档")
        }
        (GradeReason::Band { grade, min, total }, Lang::En) => {
            format!("total {total} ≥ {min}: band {grade}")
        }
        (GradeReason::Veto { name, effect, .. }, Lang::Zh) => format!(
            "一票否决：{name}（{}）",
            match effect {
                VetoEffectName::LowestGrade => "直接评为最低等次",
                VetoEffectName::ZeroTotal => "全案不得分",
            }
        ),
        (GradeReason::Veto { name, effect, .. }, Lang::En) => format!(
            "veto: {name} ({})",
            match effect {
                VetoEffectName::LowestGrade => "lowest grade",
                VetoEffectName::ZeroTotal => "total set to 0",
            }
        ),
        (GradeReason::Cap { name, grade, .. }, Lang::Zh) => {
            format!("限等：{name}（不得高于「{grade}」）")
        }
        (GradeReason::Cap { name, grade, .. }, Lang::En) => {
            format!("cap: {name} (no better than {grade})")
        }
    }
}

/// Runs `pingcha export`.
pub fn run_export(args: ExportArgs, lang: Lang) -> CliResult {
    let store = Store::open_read_only(&args.db.db)?;
    let text = pingcha::export::json::canonical(&store)?;
    if args.output.as_os_str() == "-" {
        std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| CliError::Io(PathBuf::from("-"), e))?;
        return Ok(());
    }
    write_atomically(&args.output, text.as_bytes())?;
    eprintln!("{} {}", lang.pick("已导出", "exported"), args.output.display());
    Ok(())
}

/// Writes a file under a temporary name in the same directory, syncs it, then renames it into
/// place, so a reader never sees half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let io = |e| CliError::Io(path.to_path_buf(), e);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}
