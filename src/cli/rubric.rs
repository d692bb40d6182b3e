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
}

/// Runs a rubric subcommand.
pub fn run(command: RubricCommand, lang: Lang) -> CliResult {
    let RubricCommand::Check { files } = command;
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
