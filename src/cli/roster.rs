//! `pingcha reviewer add|list|rm`: the round's roster.

use super::DbArg;
use super::error::{CliError, CliResult};
use super::table::{Align, render};
use pingcha::lang::Lang;
use pingcha::store::{Identity, NewReviewer, Store};
use std::path::PathBuf;

/// Who changes the roster (the organiser, by default).
#[derive(clap::Args, Clone)]
pub struct OrganiserArg {
    /// 组织者 (who makes the change)
    #[arg(long, default_value = "组织者")]
    pub organiser: String,
}

/// Roster subcommands.
#[derive(clap::Subcommand)]
pub enum ReviewerCommand {
    /// 加入评查人员名单，或修改其单位、评查组、组长 (add a reviewer, or change their unit, group, role)
    Add {
        #[command(flatten)]
        db: DbArg,
        /// 姓名 (name)
        name: String,
        /// 所在单位：不分配本单位的案件（回避） (their unit: never assigned its cases)
        #[arg(long, default_value = "")]
        unit: String,
        /// 评查组 (group)
        #[arg(long, default_value = "")]
        group: String,
        /// 组长 (group leader)
        #[arg(long)]
        leader: bool,
        #[command(flatten)]
        by: OrganiserArg,
    },
    /// 列出评查人员名单 (list the roster)
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// 移出名单（其评查表保留） (take a reviewer off the roster; their sheets stay)
    Rm {
        #[command(flatten)]
        db: DbArg,
        /// 姓名 (name)
        name: String,
        #[command(flatten)]
        by: OrganiserArg,
    },
}

/// Opens a round file for writing as `who`.
pub fn open_as(db: &std::path::Path, who: &str) -> Result<Store, CliError> {
    let identity = Identity::here(who).map_err(|e| CliError::Io(PathBuf::from("machine-id"), e))?;
    Ok(Store::open(db, &identity)?)
}

/// Runs a roster subcommand.
pub fn run(command: ReviewerCommand, lang: Lang) -> CliResult {
    match command {
        ReviewerCommand::Add {
            db,
            name,
            unit,
            group,
            leader,
            by,
        } => {
            if name.trim().is_empty() {
                return Err(CliError::Usage(
                    "姓名不能为空".into(),
                    "the name must not be empty".into(),
                ));
            }
            let mut store = open_as(&db.db, &by.organiser)?;
            store.add_reviewers(&[NewReviewer {
                name: name.clone(),
                unit,
                group,
                leader,
            }])?;
            super::warn(store.finish(), lang);
            println!(
                "{}",
                lang.pick("已加入名单：", "on the roster: ").to_owned() + name.trim()
            );
            Ok(())
        }
        ReviewerCommand::Rm { db, name, by } => {
            let mut store = open_as(&db.db, &by.organiser)?;
            let gone = store.remove_reviewer(&name)?;
            super::warn(store.finish(), lang);
            println!(
                "{}",
                lang.pick("已移出名单：", "off the roster: ").to_owned() + &gone.name
            );
            Ok(())
        }
        ReviewerCommand::List { db } => {
            let store = Store::open_read_only(&db.db)?;
            let rows: Vec<Vec<String>> = store
                .reviewers()?
                .into_iter()
                .map(|r| {
                    vec![
                        r.name,
                        r.unit,
                        r.group,
                        if r.leader { lang.pick("组长", "leader") } else { "" }.to_owned(),
                    ]
                })
                .collect();
            println!(
                "{}",
                render(
                    &[
                        (lang.pick("姓名", "name"), Align::Left),
                        (lang.pick("单位", "unit"), Align::Left),
                        (lang.pick("评查组", "group"), Align::Left),
                        (lang.pick("组长", "leader"), Align::Left),
                    ],
                    &rows,
                )
            );
            Ok(())
        }
    }
}
