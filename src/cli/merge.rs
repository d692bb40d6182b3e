//! `pingcha merge` and `pingcha pack`.

use super::error::{CliError, CliResult};
use super::table::{Align, render};
use indicatif::{ProgressBar, ProgressStyle};
use pingcha::lang::{Lang, Localized};
use pingcha::merge::{ClockFix, Counts, Merge, MergeError, Output, Progress, short};
use pingcha::output::OutputError;
use pingcha::store::StoreError;
use std::path::PathBuf;

/// Arguments of `pingcha merge`.
#[derive(clap::Args)]
pub struct MergeArgs {
    /// 要合并的评查文件 (files to merge)
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// 输出文件，不得已存在 (new output file)
    #[arg(short, long, conflicts_with = "into", required_unless_present = "into")]
    output: Option<PathBuf>,
    /// 并入已有的合并结果 (fold the inputs into this existing result)
    #[arg(long)]
    into: Option<PathBuf>,
    /// 覆盖已存在的输出（评查文件和本次读取的文件从不覆盖） (replace an existing output; never a round file or an input)
    #[arg(long, conflicts_with = "into")]
    force: bool,
    /// 更正某副本的时钟：副本编号=±天数；合理日期为本轮创建起 90 天内 (shift a replica's
    /// stamps outside the round's first 90 days by DAYS)
    #[arg(long = "clock-fix", value_name = "REPLICA=±DAYS")]
    clock_fix: Vec<String>,
}

/// Arguments of `pingcha pack`.
#[derive(clap::Args)]
pub struct PackArgs {
    /// 评查文件 (round file to hand in)
    db: PathBuf,
    /// 目标目录，如 U 盘 (target directory, e.g. the USB stick)
    #[arg(short, long)]
    output: PathBuf,
    /// 评查人，用于文件名 (reviewer, for the file name)
    #[arg(long)]
    reviewer: Option<String>,
    /// 覆盖已存在的同名文件（评查文件从不覆盖） (replace an existing file of that name; never a round file)
    #[arg(long)]
    force: bool,
}

/// From this many input files a merge shows a progress bar.
const LARGE_FILES: u64 = 5;
/// From this many records to write a merge shows a progress bar.
const LARGE_RECORDS: u64 = 50_000;

/// A progress bar that appears only on a terminal, once there is something to show.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn update(&mut self, p: Progress, lang: Lang) {
        let (msg, done, total) = match p {
            Progress::Reading { done, total } => (lang.pick("读取", "reading"), done, total),
            Progress::Writing { done, total } => (lang.pick("写入", "writing"), done, total),
        };
        // Small merges finish before a bar would be read; show one for many files or records.
        let large = match p {
            Progress::Reading { total, .. } => total >= LARGE_FILES,
            Progress::Writing { total, .. } => total >= LARGE_RECORDS,
        };
        if self.0.is_none() && !large {
            return;
        }
        let bar = self.0.get_or_insert_with(|| {
            let b = ProgressBar::new(total);
            if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}") {
                b.set_style(style.progress_chars("=> "));
            }
            b
        });
        bar.set_length(total);
        bar.set_position(done);
        bar.set_message(msg);
    }

    fn clear(&mut self) {
        if let Some(b) = self.0.take() {
            b.finish_and_clear();
        }
    }
}

/// Runs `pingcha merge`.
pub fn run(args: MergeArgs, lang: Lang) -> CliResult {
    let fixes: Vec<ClockFix> = args
        .clock_fix
        .iter()
        .map(|s| s.parse())
        .collect::<Result<_, _>>()
        .map_err(CliError::Merge)?;
    let output = match (args.output, args.into) {
        (_, Some(into)) => Output::Into(into),
        (Some(o), None) if args.force => Output::Overwrite(o),
        (Some(o), None) => Output::New(o),
        (None, None) => {
            return Err(CliError::Usage(
                "请用 -o 指定输出文件，或用 --into 指定已有结果".into(),
                "give -o OUTPUT or --into EXISTING".into(),
            ));
        }
    };
    let mut bar = Bar(None);
    let merge = Merge::prepare(&args.inputs, output, &mut |p| bar.update(p, lang));
    bar.clear();
    let merge = merge.map_err(|e| match e {
        MergeError::Store(StoreError::Output(OutputError::IsDatabase(p))) => CliError::Refused(
            format!(
                "{}；要并入已有结果请用 `pingcha merge --into {}`",
                OutputError::IsDatabase(p.clone()).localized(Lang::Zh),
                p.display()
            ),
            format!(
                "{}; to fold files into it use `pingcha merge --into {}`",
                OutputError::IsDatabase(p.clone()).localized(Lang::En),
                p.display()
            ),
        ),
        e => CliError::Merge(e),
    })?;
    let (window, ranges) = merge.ranges();
    let (from, to) = window.dates();
    let ledger_to = window.ledger_end();
    match lang {
        Lang::Zh => println!("各副本的时间戳（北京时间；本轮合理范围 {from} 至 {to}，整改台账记录至 {ledger_to}）："),
        Lang::En => println!(
            "stamps of each replica (Beijing time; plausible for this round: {from} to {to}, ledger records to {ledger_to}):"
        ),
    }
    let rows: Vec<Vec<String>> = ranges
        .iter()
        .map(|r| {
            let (a, b) = r.dates();
            vec![
                r.path.display().to_string(),
                short(&r.replica).to_owned(),
                r.records.to_string(),
                a,
                b,
                if r.plausible {
                    "✓".into()
                } else {
                    lang.pick("✗ 超出范围", "✗ outside").into()
                },
            ]
        })
        .collect();
    println!(
        "{}\n",
        render(
            &[
                (lang.pick("文件", "file"), Align::Left),
                (lang.pick("副本", "replica"), Align::Left),
                (lang.pick("记录", "records"), Align::Right),
                (lang.pick("最早", "first"), Align::Left),
                (lang.pick("最晚", "last"), Align::Left),
                ("", Align::Left),
            ],
            &rows,
        )
    );
    let report = merge.run(&fixes, &mut |p| bar.update(p, lang));
    bar.clear();
    let report = report.map_err(CliError::Merge)?;
    for (replica, days) in &report.clock_fixes {
        match lang {
            Lang::Zh => println!(
                "已将副本 {} 的超范围时间戳调整 {days:+} 天（按 --clock-fix 或此前合并记录的校正；已记录）",
                short(replica)
            ),
            Lang::En => println!(
                "shifted replica {}'s implausible stamps by {days:+} days (--clock-fix or the correction an earlier merge recorded; recorded)",
                short(replica)
            ),
        }
    }
    let s = &report.stats;
    let line = |name: &str, c: &Counts| match lang {
        Lang::Zh => format!("{name}：新增 {}，更新 {}，未变 {}", c.added, c.updated, c.unchanged),
        Lang::En => format!(
            "{name}: {} added, {} updated, {} unchanged",
            c.added, c.updated, c.unchanged
        ),
    };
    match lang {
        Lang::Zh => println!("已合并 {} 个文件 → {}", s.files, report.output.display()),
        Lang::En => println!("merged {} files → {}", s.files, report.output.display()),
    }
    // The counts are over the inputs as a set, whatever order they were given in.
    println!(
        "{}",
        lang.pick(
            "（新增：有输入文件没有；更新：各文件都有，有的是旧版本；未变：各文件相同）",
            "(added: missing from some input; updated: in every input, older in some; unchanged: the same in every input)"
        )
    );
    println!("{}", line(lang.pick("案件", "cases"), &s.cases));
    println!("{}", line(lang.pick("评查表", "sheets"), &s.sheets));
    println!("{}", line(lang.pick("问题记录", "findings"), &s.findings));
    match lang {
        Lang::Zh => println!("冲突：{} 处", report.conflicts.len()),
        Lang::En => println!("conflicts: {}", report.conflicts.len()),
    }
    for c in &report.conflicts {
        println!("  - {}", c.localized(lang));
    }
    Ok(())
}

/// Runs `pingcha pack`.
pub fn run_pack(args: PackArgs, lang: Lang) -> CliResult {
    let packed = pingcha::merge::pack::pack(&args.db, &args.output, args.reviewer.as_deref(), args.force)
        .map_err(CliError::Merge)?;
    match lang {
        Lang::Zh => println!(
            "已写入 {}（{} 字节），已同步到磁盘；重新打开校验：完整性 ok，内容哈希 {} 与原文件一致",
            packed.path.display(),
            packed.bytes,
            short(&packed.hash)
        ),
        Lang::En => println!(
            "wrote {} ({} bytes), synced; reopened and verified: integrity ok, content hash {} matches the source",
            packed.path.display(),
            packed.bytes,
            short(&packed.hash)
        ),
    }
    Ok(())
}

/// Arguments of `pingcha conflicts`.
#[derive(clap::Args)]
pub struct ConflictsArgs {
    #[command(flatten)]
    db: super::DbArg,
}

/// Runs `pingcha conflicts`: every field value a merge (or a later edit on another laptop)
/// replaced, with the value kept and who wrote each, by field label.
pub fn run_conflicts(args: ConflictsArgs, lang: Lang) -> CliResult {
    let store = pingcha::store::Store::open_read_only(&args.db.db)?;
    let list = store.superseded()?;
    if list.is_empty() {
        println!(
            "{}",
            lang.pick("文件中没有记录冲突。", "no conflict is recorded in the file.")
        );
        return Ok(());
    }
    let rubric = store.rubric()?;
    let label = |key: &str| {
        rubric
            .fields
            .iter()
            .find(|f| f.key == key)
            .map_or(key.to_owned(), |f| f.label.clone())
    };
    let who = |by: &[String], replica: &str| {
        if by.is_empty() {
            format!("{} {}", lang.pick("副本", "replica"), short(replica))
        } else {
            by.join(lang.pick("、", ", "))
        }
    };
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            [
                c.case_no.clone(),
                label(&c.key),
                c.current.clone(),
                who(&c.current_by, ""),
                c.lost.clone(),
                who(&c.lost_by, &c.lost_replica),
            ]
            .into_iter()
            .map(|v| pingcha::text::for_terminal(&v).into_owned())
            .collect()
        })
        .collect();
    println!(
        "{}",
        super::table::render(
            &[
                (lang.pick("案号", "case"), super::table::Align::Left),
                (lang.pick("字段", "field"), super::table::Align::Left),
                (lang.pick("现值", "kept"), super::table::Align::Left),
                (lang.pick("录入人", "by"), super::table::Align::Left),
                (lang.pick("被取代的值", "lost"), super::table::Align::Left),
                (lang.pick("录入人", "by"), super::table::Align::Left),
            ],
            &rows,
        )
    );
    match lang {
        Lang::Zh => println!("\n共 {} 处；被取代的值均保留在历史中", list.len()),
        Lang::En => println!("\n{} in all; every replaced value is kept in the history", list.len()),
    }
    Ok(())
}
