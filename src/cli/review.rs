//! `pingcha compare`, `final`, `decide` and `disagreements`: several reviewers on one case.

use super::DbArg;
use super::error::{CliError, CliResult};
use super::table::{Align, render};
use pingcha::lang::Lang;
use pingcha::points::Points;
use pingcha::review::{self, FinalFrom};
use pingcha::score::Decision;
use pingcha::store::{Identity, Store, StoreError};
use pingcha::text::for_terminal;
use std::path::PathBuf;

/// Arguments of `pingcha compare`.
#[derive(clap::Args)]
pub struct CompareArgs {
    #[command(flatten)]
    db: DbArg,
    /// 案号 (case number)
    #[arg(long = "case")]
    case_no: String,
}

/// Arguments of `pingcha final`.
#[derive(clap::Args)]
pub struct FinalArgs {
    #[command(flatten)]
    db: DbArg,
    /// 案号 (case number)
    #[arg(long = "case", required_unless_present = "agreed", conflicts_with = "agreed")]
    case_no: Option<String>,
    /// 以该评查人的评查表为起点 (start from this reviewer's sheet)
    #[arg(long, conflicts_with_all = ["union", "agreed"], required_unless_present_any = ["union", "agreed"])]
    from: Option<String>,
    /// 以各评查人问题记录的并集为起点 (start from the union of findings)
    #[arg(long, conflicts_with = "agreed")]
    union: bool,
    /// 一次定稿所有各评查人评查表一致（项目、数量、不适用均相同）的未定稿案件 (settle every
    /// 未定稿 case whose reviewers' sheets agree in items, quantities and 不适用)
    #[arg(long)]
    agreed: bool,
    /// 组长，终评表以其名义记录 (the group lead)
    #[arg(long, env = "PINGCHA_REVIEWER")]
    reviewer: String,
}

/// Arguments of `pingcha decide`.
#[derive(clap::Args)]
pub struct DecideArgs {
    #[command(flatten)]
    db: DbArg,
    /// 案号 (case number)
    #[arg(long = "case")]
    case_no: String,
    /// 确定等次 (decided grade)
    #[arg(long)]
    grade: String,
    /// 理由，如：评查组集体讨论 (reason)
    #[arg(long)]
    reason: String,
    /// 组长，记为决定人；等次记在本案定稿的评查表上 (the group lead, recorded as the decider; the
    /// grade goes on the sheet that counts for the case)
    #[arg(long, env = "PINGCHA_REVIEWER")]
    reviewer: String,
}

/// Arguments of `pingcha disagreements`.
#[derive(clap::Args)]
pub struct DisagreementsArgs {
    #[command(flatten)]
    db: DbArg,
    /// 分差超过此值才列出（等次不同的总列出）(list spreads above this; differing grades always)
    #[arg(long, default_value = "0")]
    min_spread: String,
}

fn identity(reviewer: &str) -> Result<Identity, CliError> {
    Identity::here(reviewer).map_err(|e| CliError::Io(PathBuf::from("machine-id"), e))
}

/// Runs `pingcha compare`.
pub fn run_compare(args: CompareArgs, lang: Lang) -> CliResult {
    let store = Store::open_read_only(&args.db.db)?;
    let cmp = review::compare(&store, &args.case_no)?;
    println!(
        "{} {}",
        for_terminal(&cmp.case.case_no),
        for_terminal(cmp.case.field("title"))
    );
    if cmp.columns.is_empty() {
        println!("{}", lang.pick("此案尚无评查表。", "no sheets for this case yet."));
        return Ok(());
    }
    let heads: Vec<String> = cmp
        .columns
        .iter()
        .map(|c| for_terminal(&format!("{}（{}）", c.sheet.reviewer, c.sheet.stage)).into_owned())
        .collect();
    let mut headers = vec![("", Align::Left), (lang.pick("项目", "item"), Align::Left)];
    headers.extend(heads.iter().map(|h| (h.as_str(), Align::Right)));
    let mut rows: Vec<Vec<String>> = cmp
        .items
        .iter()
        .map(|r| {
            let mut row = vec![
                if r.differs { "≠".into() } else { String::new() },
                format!("{} {}", r.id, r.name),
            ];
            row.extend(r.cells.iter().map(|c| c.text(lang)));
            row
        })
        .collect();
    let mut total = vec![String::new(), lang.pick("总分", "total").to_owned()];
    total.extend(cmp.columns.iter().map(|c| c.score.total.to_string()));
    let mut grade = vec![String::new(), lang.pick("等次", "grade").to_owned()];
    grade.extend(cmp.columns.iter().map(|c| c.score.final_grade().to_owned()));
    rows.push(total);
    rows.push(grade);
    // On a terminal, rows the reviewers disagree on stand out in bold yellow as well as by "≠".
    let colour = super::stdout::colour();
    for line in render(&headers, &rows).lines() {
        if colour && line.starts_with('≠') {
            println!("\x1b[1;33m{line}\x1b[0m");
        } else {
            println!("{line}");
        }
    }
    let differing = cmp.items.iter().filter(|r| r.differs).count();
    match lang {
        Lang::Zh => println!(
            "\n意见不一致的项目：{differing} 项；总分差 {}；等次{}",
            cmp.spread,
            if cmp.grades_differ { "不一致" } else { "一致" }
        ),
        Lang::En => println!(
            "\nitems scored differently: {differing}; spread of totals {}; grades {}",
            cmp.spread,
            if cmp.grades_differ { "differ" } else { "agree" }
        ),
    }
    for r in cmp
        .items
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.notes_at.is_empty()))
    {
        println!(
            "\n{}{} {}",
            if r.differs { "≠ " } else { "" },
            r.id,
            for_terminal(&r.name)
        );
        for (col, cell) in cmp.columns.iter().zip(&r.cells) {
            for (note, volume, page) in &cell.notes_at {
                let place = pingcha::vocab::place(*volume, *page, lang);
                let place = match (place.is_empty(), lang) {
                    (true, _) => String::new(),
                    (false, Lang::Zh) => format!("（{place}）"),
                    (false, Lang::En) => format!(" ({place})"),
                };
                println!(
                    "  {}（{}）：{}{place}",
                    for_terminal(&col.sheet.reviewer),
                    col.sheet.stage,
                    for_terminal(note)
                );
            }
        }
    }
    Ok(())
}

/// Arguments of `pingcha pending`.
#[derive(clap::Args)]
pub struct PendingArgs {
    #[command(flatten)]
    db: DbArg,
}

/// Runs `pingcha final --agreed`: every case [`review::agreed`] finds gets its final sheet from
/// the first reviewer's, all in one transaction; refused, writing nothing, when there is none
/// or when one of them fails.
fn run_final_agreed(args: &FinalArgs, lang: Lang) -> CliResult {
    let agreed = review::agreed(&Store::open_read_only(&args.db.db)?)?;
    if agreed.is_empty() {
        return Err(CliError::Refused(
            "没有各评查人评查表一致的未定稿案件，未作任何改动".into(),
            "no 未定稿 case whose reviewers' sheets agree; nothing was changed".into(),
        ));
    }
    let mut store = Store::open(&args.db.db, &identity(&args.reviewer)?)?;
    // All the cases or none: a failure on one leaves the file as it was.
    let rows = store.all_or_none(|store| {
        let mut rows = Vec::new();
        for (case, from) in &agreed {
            let started = review::start_final(store, &case.case_no, &FinalFrom::Reviewer(from.clone()))
                .map_err(CliError::Review)?;
            let scored = store.score(&started.sheet)?;
            rows.push(vec![
                case.case_no.clone(),
                case.field("title").to_owned(),
                from.clone(),
                scored.total.to_string(),
                scored.grade.to_string(),
            ]);
        }
        Ok::<_, CliError>(rows)
    })?;
    super::warn(store.finish(), lang);
    match lang {
        Lang::Zh => println!("已定稿 {} 件（各评查人评查表一致，以终评表记录）：", rows.len()),
        Lang::En => println!(
            "{} cases settled (the reviewers' sheets agree; recorded as final sheets):",
            rows.len()
        ),
    }
    println!(
        "{}",
        render(
            &[
                (lang.pick("案号", "case"), Align::Left),
                (lang.pick("案件", "title"), Align::Left),
                (lang.pick("起点", "from"), Align::Left),
                (lang.pick("总分", "total"), Align::Right),
                (lang.pick("等次", "grade"), Align::Left),
            ],
            &rows
                .into_iter()
                .map(|r| r.into_iter().map(|c| for_terminal(&c).into_owned()).collect())
                .collect::<Vec<_>>(),
        )
    );
    Ok(())
}

/// Runs `pingcha pending`: every 待议 mark of the round by case, with its note and author.
pub fn run_pending(args: PendingArgs, lang: Lang) -> CliResult {
    let store = Store::open_read_only(&args.db.db)?;
    let marks = store.pending_marks()?;
    if marks.is_empty() {
        println!("{}", lang.pick("没有标为待议的事项。", "nothing is marked 待议."));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = marks
        .iter()
        .map(|m| {
            vec![
                m.case_no.clone(),
                if m.node.is_empty() {
                    lang.pick("（整案）", "(whole case)").to_owned()
                } else {
                    m.node.clone()
                },
                format!("{}（{}）", m.reviewer, m.stage),
                m.note.clone(),
            ]
            .into_iter()
            .map(|c| for_terminal(&c).into_owned())
            .collect()
        })
        .collect();
    println!(
        "{}",
        render(
            &[
                (lang.pick("案号", "case"), Align::Left),
                (lang.pick("项目", "item"), Align::Left),
                (lang.pick("提出人", "by"), Align::Left),
                (lang.pick("说明", "note"), Align::Left),
            ],
            &rows,
        )
    );
    let cases: std::collections::BTreeSet<&str> = marks.iter().map(|m| m.case_id.as_str()).collect();
    match lang {
        Lang::Zh => println!("\n待议 {} 处，涉及 {} 件", marks.len(), cases.len()),
        Lang::En => println!("\n{} 待议 marks in {} cases", marks.len(), cases.len()),
    }
    Ok(())
}

/// Runs `pingcha final`.
pub fn run_final(args: FinalArgs, lang: Lang) -> CliResult {
    if args.agreed {
        return run_final_agreed(&args, lang);
    }
    let case_no = args.case_no.clone().unwrap_or_default();
    let from = match args.from {
        Some(r) => FinalFrom::Reviewer(r),
        None => FinalFrom::Union,
    };
    let mut store = Store::open(&args.db.db, &identity(&args.reviewer)?)?;
    let started = review::start_final(&mut store, &case_no, &from).map_err(CliError::Review)?;
    let (sheet, copied) = (&started.sheet, started.copied);
    let scored = store.score(sheet)?;
    let rubric = store.rubric_by_hash(&sheet.rubric_hash)?;
    let name = |node: &str| {
        rubric
            .scorable(node)
            .map_or(node.to_owned(), |n| format!("{node} {}", n.name()))
    };
    let place = |(v, p): (Option<u32>, Option<u32>)| match (v, p, lang) {
        (None, None, Lang::Zh) => "未注明卷页".to_owned(),
        (None, None, Lang::En) => "no volume/page".to_owned(),
        (v, p, _) => format!(
            "{}/{}",
            v.map_or(String::new(), |v| v.to_string()),
            p.map_or(String::new(), |p| p.to_string())
        ),
    };
    let mut lines = Vec::new();
    for m in &started.merged {
        let code = m.problem.as_deref().unwrap_or("");
        lines.push(match lang {
            Lang::Zh => format!(
                "  合并：{} {code}（{}）{} 条记为 1 条，保留各自说明",
                name(&m.node),
                place(m.place),
                m.findings
            ),
            Lang::En => format!(
                "  merged: {} {code} ({}): {} findings as one, every note kept",
                name(&m.node),
                place(m.place),
                m.findings
            ),
        });
    }
    for n in &started.near {
        let places: Vec<String> = n.places.iter().map(|p| place(*p)).collect();
        lines.push(match lang {
            Lang::Zh => format!(
                "  请核对：{} {} 在不同卷页各记一条（{}），均已保留，如属同一问题请删除多余的",
                name(&n.node),
                n.problem,
                places.join("、")
            ),
            Lang::En => format!(
                "  check: {} {} recorded at different places ({}), all kept; remove any that is the same problem",
                name(&n.node),
                n.problem,
                places.join(", ")
            ),
        });
    }
    super::warn(store.finish(), lang);
    match lang {
        Lang::Zh => println!(
            "已起草 {} 的终评表（{}）：复制问题记录 {copied} 条，现得分 {}，等次 {}",
            case_no.trim(),
            sheet.reviewer,
            scored.total,
            scored.grade
        ),
        Lang::En => println!(
            "started the final sheet of {} ({}): {copied} findings copied, total {}, grade {}",
            case_no.trim(),
            sheet.reviewer,
            scored.total,
            scored.grade
        ),
    }
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

/// Runs `pingcha decide`.
pub fn run_decide(args: DecideArgs, lang: Lang) -> CliResult {
    let mut store = Store::open(&args.db.db, &identity(&args.reviewer)?)?;
    let decision = Decision {
        grade: args.grade.trim().to_owned(),
        reason: args.reason,
        decider: args.reviewer.clone(),
    };
    let sheet = match review::decide(&mut store, &args.case_no, &decision) {
        Ok(sheet) => sheet,
        Err(e @ StoreError::Unsettled { .. }) => return Err(CliError::final_hint(e.into())),
        Err(e) => return Err(e.into()),
    };
    super::warn(store.finish(), lang);
    let case_no = args.case_no.trim();
    match lang {
        Lang::Zh => println!(
            "已记录 {case_no} 的确定等次：{}（记在 {}（{}）的评查表上）",
            decision.grade, sheet.reviewer, sheet.stage
        ),
        Lang::En => println!(
            "recorded the decided grade of {case_no}: {} (on the sheet of {} at {})",
            decision.grade, sheet.reviewer, sheet.stage
        ),
    }
    Ok(())
}

/// Runs `pingcha disagreements`.
pub fn run_disagreements(args: DisagreementsArgs, lang: Lang) -> CliResult {
    let min: Points = args.min_spread.trim().parse().map_err(|_| {
        CliError::Usage(
            format!("--min-spread「{}」不是有效分值", args.min_spread),
            format!("--min-spread `{}` is not a point value", args.min_spread),
        )
    })?;
    let store = Store::open_read_only(&args.db.db)?;
    let list = review::disagreements(&store, min)?;
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|d| {
            vec![
                d.case.case_no.clone(),
                d.case.field("title").to_owned(),
                d.spread.to_string(),
                if d.grades_differ { "≠".into() } else { String::new() },
                d.sheets
                    .iter()
                    .map(|(r, s, t, g)| format!("{r}（{s}）{t} {g}"))
                    .collect::<Vec<_>>()
                    .join(lang.pick("；", "; ")),
            ]
        })
        .collect();
    if rows.is_empty() {
        println!(
            "{}",
            lang.pick(
                "各评查人意见一致（已定稿的案件不列出），没有需要讨论的案件。",
                "reviewers agree (settled cases are not listed); no case to discuss."
            )
        );
        return Ok(());
    }
    println!(
        "{}",
        lang.pick(
            "以下为未定稿案件（已有终评表或确定等次的案件不列出）：",
            "cases not yet settled (cases with a final sheet or a decided grade are not listed):"
        )
    );
    println!(
        "{}",
        render(
            &[
                (lang.pick("案号", "case"), Align::Left),
                (lang.pick("案件", "title"), Align::Left),
                (lang.pick("分差", "spread"), Align::Right),
                (lang.pick("等次", "grades"), Align::Left),
                (lang.pick("各评查表", "sheets"), Align::Left),
            ],
            &rows,
        )
    );
    Ok(())
}
