//! `pingcha rubric check`.

use super::error::{CliError, CliResult};
use pingcha::lang::Lang;
use pingcha::rubric::load_file;
use std::path::PathBuf;

/// Rubric subcommands.
#[derive(clap::Subcommand)]
pub enum RubricCommand {
    /// 检查评查标准文件 (validate rubric files; exit 1 on any error)
    Check {
        /// 评查标准文件 (.toml)
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 生成空白案件清单模板：列名即评查标准的字段，必填列带 *，选项为下拉，日期为日期格 (an empty
    /// case list with the rubric's columns)
    Fields {
        /// 评查标准文件 (.toml)
        rubric: PathBuf,
        /// 模板文件 (.xlsx)
        #[arg(short, long)]
        output: PathBuf,
        /// 覆盖已存在的文件 (replace an existing file)
        #[arg(long)]
        force: bool,
    },
}

/// Runs a rubric subcommand.
pub fn run(command: RubricCommand, lang: Lang) -> CliResult {
    let files = match command {
        RubricCommand::Check { files } => files,
        RubricCommand::Fields { rubric, output, force } => {
            let (r, _) = load_file(&rubric)?;
            let bytes = pingcha::export::template::case_list_template(&r, lang)?;
            super::out::write(&output, force, &[&rubric], &bytes, false)?;
            let list: Vec<String> = r
                .fields
                .iter()
                .map(|f| {
                    if f.required {
                        format!("{}*", f.label)
                    } else {
                        f.label.clone()
                    }
                })
                .collect();
            match lang {
                Lang::Zh => println!("已写入 {}：{}（* 为必填）", output.display(), list.join("、")),
                Lang::En => println!("wrote {}: {} (* required)", output.display(), list.join(", ")),
            }
            return Ok(());
        }
    };
    let mut failed = None;
    for file in files {
        match load_file(&file) {
            Ok((r, _)) => {
                let items = r.item_ids().count();
                let nodes = r.scorables().count();
                match lang {
                    Lang::Zh => println!(
                        "{}：通过。{} {}（{} 版），{} 个大项、{} 个小项、{} 个评分点，满分 {}",
                        file.display(),
                        r.id,
                        r.name,
                        r.version,
                        r.categories.len(),
                        items,
                        nodes,
                        r.total
                    ),
                    Lang::En => println!(
                        "{}: ok. {} {} (version {}), {} categories, {} items, {} scorable nodes, total {}",
                        file.display(),
                        r.id,
                        r.name,
                        r.version,
                        r.categories.len(),
                        items,
                        nodes,
                        r.total
                    ),
                }
            }
            Err(e) => {
                if let Some(previous) = failed.replace(CliError::Rubric(e)) {
                    eprintln!("{}", pingcha::lang::InLang(&previous, lang));
                }
            }
        }
    }
    failed.map_or(Ok(()), Err)
}
