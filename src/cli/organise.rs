//! The organiser's commands: `assign`, `handout`, `progress`, `agreement`, and `case add` /
//! `case withdraw` (called from the case subcommands).

use super::DbArg;
use super::error::{CliError, CliResult};
use super::roster::{OrganiserArg, open_as};
use super::table::{Align, render};
use pingcha::caselist;
use pingcha::lang::Lang;
use pingcha::organise::assign::Rule;
use pingcha::organise::progress::By;
use pingcha::organise::{self, agreement};
use pingcha::store::Store;
use std::path::PathBuf;

/// `pingcha assign`.
#[derive(clap::Args)]
pub struct AssignArgs {
    #[command(flatten)]
    db: DbArg,
    /// 按规则分案：各组评查下一组所属单位的案件（轮换） (by rule: group k takes group k+1's units)
    #[arg(long)]
    cross_groups: bool,
    /// 每案评查人数（按规则分案） (reviewers per case, by rule)
    #[arg(long, value_name = "N")]
    per_case: Option<usize>,
    /// 手工分案的案号 (case number, by hand)
    #[arg(long = "case", value_name = "案号")]
    case_no: Option<String>,
    /// 分给谁（手工分案） (to whom, by hand)
    #[arg(long, num_args = 1.., value_name = "姓名")]
    to: Vec<String>,
    /// 不回避（须同时写明 --reason） (break avoidance; needs --reason)
    #[arg(long = "override")]
    override_: bool,
    /// 不回避的理由 (why avoidance is broken)
    #[arg(long)]
    reason: Option<String>,
    /// 关联单位，互相回避，如 --related 一室=二室 (related units avoided both ways)
    #[arg(long, value_name = "甲=乙")]
    related: Vec<String>,
    /// 显示分案表 (show the assignment table)
    #[arg(long)]
    show: bool,
    /// 分案表写入 .xlsx (write the table to XLSX)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// 覆盖已存在的分案表 (replace an existing table file)
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    by: OrganiserArg,
}

fn usage(zh: &str, en: &str) -> CliError {
    CliError::Usage(zh.into(), en.into())
}

/// Runs `pingcha assign`.
pub fn run_assign(args: AssignArgs, lang: Lang) -> CliResult {
    let by_rule = args.cross_groups || args.per_case.is_some();
    let by_hand = args.case_no.is_some() || !args.to.is_empty();
    if by_rule && by_hand {
        return Err(usage(
            "按规则分案（--cross-groups/--per-case）与手工分案（--case/--to）不能同时使用",
            "assign by rule (--cross-groups/--per-case) or by hand (--case/--to), not both",
        ));
    }
    if args.override_ != args.reason.is_some() {
        return Err(usage(
            "不回避须同时给出 --override 和 --reason「理由」，未分配",
            "breaking avoidance needs both --override and --reason; nothing was assigned",
        ));
    }
    let mut related = Vec::new();
    for pair in &args.related {
        match pair.split_once(['=', '＝']) {
            Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => related.push((a.trim(), b.trim())),
            _ => {
                return Err(usage(
                    &format!("--related 须写成 单位甲=单位乙：「{pair}」"),
                    &format!("--related takes UNIT=UNIT: `{pair}`"),
                ));
            }
        }
    }
    if by_hand && (args.case_no.is_none() || args.to.is_empty()) {
        return Err(usage(
            "手工分案须同时给出 --case 和 --to",
            "assign by hand needs --case and --to",
        ));
    }
    if by_rule || by_hand || !related.is_empty() {
        let mut store = open_as(&args.db.db, &args.by.organiser)?;
        for (a, b) in &related {
            store.relate_units(a, b)?;
        }
        if by_rule {
            let rule = if args.cross_groups {
                Rule::CrossGroups
            } else {
                Rule::Anyone
            };
            let n = organise::assign_by_rule(&mut store, rule, args.per_case.unwrap_or(1))?;
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!("已分案：{n} 人次（同样的名单和案件总是得到同样的分案，无随机）"),
                    Lang::En => format!("assigned {n} (case, reviewer) pairs; deterministic, no random seed"),
                }
            );
        }
        if let Some(case_no) = &args.case_no {
            organise::assign_by_hand(&mut store, case_no, &args.to, args.reason.as_deref())?;
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!("已将 {case_no} 分给 {}", args.to.join("、")),
                    Lang::En => format!("assigned {case_no} to {}", args.to.join(", ")),
                }
            );
        }
        super::warn(store.finish(), lang);
    }
    if args.show || args.output.is_some() || !(by_rule || by_hand || !related.is_empty()) {
        let store = Store::open_read_only(&args.db.db)?;
        let (loads, overrides) = organise::loads(&store)?;
        if let Some(path) = &args.output {
            let bytes = pingcha::export::assignment::assignment_xlsx(&loads, &overrides, lang)?;
            super::out::write(path, args.force, &[&args.db.db], &bytes, false)?;
        }
        if args.show || args.output.is_none() {
            let rows: Vec<Vec<String>> = loads
                .iter()
                .map(|l| {
                    vec![
                        l.reviewer.clone(),
                        l.group.clone(),
                        l.unit.clone(),
                        l.cases.len().to_string(),
                        l.volumes.to_string(),
                        l.cases.join("、"),
                    ]
                })
                .collect();
            println!(
                "{}",
                render(
                    &[
                        (lang.pick("评查人", "reviewer"), Align::Left),
                        (lang.pick("评查组", "group"), Align::Left),
                        (lang.pick("单位", "unit"), Align::Left),
                        (lang.pick("案件", "cases"), Align::Right),
                        (lang.pick("卷册", "volumes"), Align::Right),
                        (lang.pick("案号", "case numbers"), Align::Left),
                    ],
                    &rows,
                )
            );
            for o in &overrides {
                match lang {
                    Lang::Zh => println!("不回避：{} → {}，理由：{}", o.case_no, o.reviewer, o.reason),
                    Lang::En => println!("override: {} → {}, reason: {}", o.case_no, o.reviewer, o.reason),
                }
            }
        }
    }
    Ok(())
}

/// `pingcha handout`.
#[derive(clap::Args)]
pub struct HandoutArgs {
    #[command(flatten)]
    db: DbArg,
    /// 输出目录 (directory for the copies)
    #[arg(short, long)]
    output: PathBuf,
    /// 覆盖已存在的同名副本 (replace existing copies of the same name)
    #[arg(long)]
    force: bool,
    /// 每份副本只含分给该评查人的案件，其他案件的信息不写入（须知范围） (each copy holds only
    /// the reviewer's assigned cases; others' metadata is left out)
    #[arg(long)]
    only_assigned: bool,
}

/// Runs `pingcha handout`: one verified copy per roster reviewer, named after them.
pub fn run_handout(args: HandoutArgs, lang: Lang) -> CliResult {
    let store = Store::open_read_only(&args.db.db)?;
    let copies = organise::handout(&store, args.only_assigned)?;
    drop(store);
    std::fs::create_dir_all(&args.output).map_err(|e| CliError::Io(args.output.clone(), e))?;
    for c in &copies {
        let packed = match &c.cases {
            None => pingcha::merge::pack::pack(&args.db.db, &args.output, Some(&c.reviewer), args.force),
            Some(keep) => pingcha::merge::pack::pack_only(&args.db.db, &args.output, &c.reviewer, keep, args.force),
        }
        .map_err(CliError::Merge)?;
        match (lang, &c.cases) {
            (Lang::Zh, None) => println!("{}：{}（已校验）", c.reviewer, packed.path.display()),
            (Lang::En, None) => println!("{}: {} (verified)", c.reviewer, packed.path.display()),
            (Lang::Zh, Some(keep)) => println!(
                "{}：{}（已校验；仅含本人的 {} 件案件）",
                c.reviewer,
                packed.path.display(),
                keep.len()
            ),
            (Lang::En, Some(keep)) => println!(
                "{}: {} (verified; only their {} case(s))",
                c.reviewer,
                packed.path.display(),
                keep.len()
            ),
        }
    }
    Ok(())
}

/// `pingcha progress`.
#[derive(clap::Args)]
pub struct ProgressArgs {
    #[command(flatten)]
    db: DbArg,
    /// 按评查人、评查组或承办单位汇总 (lines by reviewer, group or unit)
    #[arg(long, default_value = "reviewer", value_parser = ["reviewer", "group", "unit"])]
    by: String,
    /// 输出 JSON (print JSON)
    #[arg(long)]
    json: bool,
}

/// Runs `pingcha progress`.
pub fn run_progress(args: ProgressArgs, lang: Lang) -> CliResult {
    let store = Store::open_read_only(&args.db.db)?;
    let by = match args.by.as_str() {
        "group" => By::Group,
        "unit" => By::Unit,
        _ => By::Reviewer,
    };
    let lines = organise::progress::progress(&store, by)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&lines).unwrap_or_default());
        return Ok(());
    }
    let first = match by {
        By::Reviewer => lang.pick("评查人", "reviewer"),
        By::Group => lang.pick("评查组", "group"),
        By::Unit => lang.pick("承办单位", "unit"),
    };
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                l.name.clone(),
                l.assigned.to_string(),
                l.not_started.to_string(),
                l.in_progress.to_string(),
                l.done.to_string(),
                l.findings.to_string(),
                l.pending.to_string(),
                l.unsettled.to_string(),
            ]
        })
        .collect();
    let n = |zh, en| (lang.pick(zh, en), Align::Right);
    println!(
        "{}",
        render(
            &[
                (first, Align::Left),
                n("分配", "assigned"),
                n("未开始", "not started"),
                n("进行中", "in progress"),
                n("已完成", "done"),
                n("问题", "findings"),
                n("待议", "pending"),
                n("未定稿", "unsettled"),
            ],
            &rows,
        )
    );
    Ok(())
}

/// `pingcha agreement`.
#[derive(clap::Args)]
pub struct AgreementArgs {
    #[command(flatten)]
    db: DbArg,
    /// 少于 N 件案件时不计算一致性系数 (withhold alphas over fewer cases)
    #[arg(long, default_value_t = agreement::DEFAULT_MIN_CASES, value_name = "N")]
    min_cases: usize,
    /// 练习轮次：逐案逐项列出评查人扣分不一致之处（及组长的参考评查表） (calibration: where
    /// reviewers diverge, item by item, with the leader's reference sheet)
    #[arg(long)]
    calibration: bool,
    /// 输出 JSON (print JSON)
    #[arg(long)]
    json: bool,
}

fn fixed(x: Option<f64>, digits: usize, lang: Lang) -> String {
    x.map_or_else(|| lang.pick("—", "—").to_owned(), |x| format!("{x:.digits$}"))
}

/// Runs `pingcha agreement`.
pub fn run_agreement(args: AgreementArgs, lang: Lang) -> CliResult {
    let store = Store::open_read_only(&args.db.db)?;
    if args.calibration {
        return print_divergences(&store, args.json, lang);
    }
    let a = agreement::agreement(&store, args.min_cases)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&a).unwrap_or_default());
        return Ok(());
    }
    match lang {
        Lang::Zh => println!(
            "两名及以上评查人评查的案件：{} 件；少于 {} 件的项目不计算系数（显示为 —）",
            a.cases, a.min_cases
        ),
        Lang::En => println!(
            "cases scored by two or more reviewers: {}; items with fewer than {} cases are withheld (—)",
            a.cases, a.min_cases
        ),
    }
    let rows: Vec<Vec<String>> = a
        .items
        .iter()
        .map(|i| {
            vec![
                i.id.clone(),
                i.name.clone(),
                i.cases.to_string(),
                fixed(i.deduction_alpha, 3, lang),
                fixed(i.found_alpha, 3, lang),
                fixed(i.percent.map(|p| p * 100.0), 1, lang),
            ]
        })
        .collect();
    println!(
        "{}",
        render(
            &[
                (lang.pick("编号", "id"), Align::Left),
                (lang.pick("项目", "item"), Align::Left),
                (lang.pick("案件", "cases"), Align::Right),
                (lang.pick("α扣分(等距)", "α deduction (interval)"), Align::Right),
                (lang.pick("α发现(名义)", "α found (nominal)"), Align::Right),
                (lang.pick("一致率%", "agree %"), Align::Right),
            ],
            &rows,
        )
    );
    match lang {
        Lang::Zh => println!("等次一致性（有序 α）：{}", fixed(a.grade_alpha, 3, lang)),
        Lang::En => println!("grade agreement (ordinal α): {}", fixed(a.grade_alpha, 3, lang)),
    }
    let rows: Vec<Vec<String>> = a
        .deviations
        .iter()
        .map(|d| {
            vec![
                d.reviewer.clone(),
                d.name.clone(),
                d.cases.to_string(),
                format!("{:+.2}", d.mean),
            ]
        })
        .collect();
    println!(
        "{}",
        render(
            &[
                (lang.pick("评查人", "reviewer"), Align::Left),
                (lang.pick("大项", "category"), Align::Left),
                (lang.pick("案件", "cases"), Align::Right),
                (
                    lang.pick("较他人平均多扣(分)", "deducts more than peers (points)"),
                    Align::Right
                ),
            ],
            &rows,
        )
    );
    Ok(())
}

fn print_divergences(store: &Store, json: bool, lang: Lang) -> CliResult {
    let all = agreement::divergences(store)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
        return Ok(());
    }
    let show = |d: &Option<pingcha::points::Points>| {
        d.map_or_else(|| lang.pick("不适用", "N/A").to_owned(), |p| p.to_string())
    };
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|d| {
            vec![
                d.case_no.clone(),
                format!("{} {}", d.item, d.name),
                d.deductions
                    .iter()
                    .map(|(who, x)| format!("{who} {}", show(x)))
                    .collect::<Vec<_>>()
                    .join(" / "),
                d.reference
                    .as_ref()
                    .map_or_else(String::new, |(who, x)| format!("{who} {}", show(x))),
            ]
        })
        .collect();
    match lang {
        Lang::Zh => println!("扣分不一致的项目：{} 处", all.len()),
        Lang::En => println!("items where reviewers deducted differently: {}", all.len()),
    }
    println!(
        "{}",
        render(
            &[
                (lang.pick("案号", "case no."), Align::Left),
                (lang.pick("项目", "item"), Align::Left),
                (lang.pick("各评查人扣分", "deductions"), Align::Left),
                (lang.pick("组长参考", "leader's reference"), Align::Left),
            ],
            &rows,
        )
    );
    Ok(())
}

/// Refuses a calibration round's file (report, ledger): practice cases never count.
pub fn refuse_calibration(store: &Store) -> CliResult {
    if store.is_calibration()? {
        return Err(CliError::Organise(organise::OrganiseError::Calibration));
    }
    Ok(())
}

/// `pingcha case add`: more cases after hand-out; old copies still merge.
pub fn run_case_add(db: &DbArg, cases: &std::path::Path, by: &OrganiserArg, lang: Lang) -> CliResult {
    let mut store = open_as(&db.db, &by.organiser)?;
    let list = caselist::read(cases, store.rubric()?)?;
    store.add_cases(&list.rows)?;
    super::warn(store.finish(), lang);
    match lang {
        Lang::Zh => println!("已增加 {} 件案件", list.rows.len()),
        Lang::En => println!("added {} case(s)", list.rows.len()),
    }
    Ok(())
}

/// `pingcha case withdraw`: the case leaves every output; its sheets stay in the file.
pub fn run_case_withdraw(db: &DbArg, case_no: &str, reason: &str, by: &OrganiserArg, lang: Lang) -> CliResult {
    let mut store = open_as(&db.db, &by.organiser)?;
    let w = store.withdraw_case(case_no, reason)?;
    super::warn(store.finish(), lang);
    match lang {
        Lang::Zh => println!(
            "已撤出案件 {}（理由：{}）；其评查表保留在文件中，不计入任何统计",
            w.case_no, w.reason
        ),
        Lang::En => println!(
            "withdrew {} (reason: {}); its sheets stay in the file and count in no output",
            w.case_no, w.reason
        ),
    }
    Ok(())
}
