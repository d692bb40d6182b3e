//! Errors as the command line reports them: one paragraph, in the chosen language.

use pingcha::caselist::{CaseListError, CaseListErrors};
use pingcha::export::ExportError;
use pingcha::lang::{Lang, Localized};
use pingcha::ledger::LedgerError;
use pingcha::merge::MergeError;
use pingcha::organise::OrganiseError;
use pingcha::output::OutputError;
use pingcha::review::ReviewError;
use pingcha::rubric::RubricErrors;
use pingcha::score::FindingError;
use pingcha::store::StoreError;
use std::path::PathBuf;

/// Anything a command can fail with.
pub enum CliError {
    /// A rubric file has problems.
    Rubric(RubricErrors),
    /// A round file problem.
    Store(StoreError),
    /// A case list has problems.
    CaseList(CaseListErrors),
    /// A refused value of one case's field (`case set`): the case number and why.
    CaseField(String, CaseListError),
    /// Building or rendering a report failed.
    Export(ExportError),
    /// Reading or writing a file failed.
    Io(PathBuf, std::io::Error),
    /// A refused ledger change.
    Ledger(LedgerError),
    /// A refused merge or pack.
    Merge(MergeError),
    /// A refused review step (starting the final sheet).
    Review(ReviewError),
    /// An output refused or not written.
    Output(OutputError),
    /// A refused organiser step (assignment, avoidance).
    Organise(OrganiseError),
    /// A bad argument value, with messages in both languages.
    Usage(String, String),
    /// A refusal followed by what to do next, in both languages.
    Hinted(Box<CliError>, &'static str, &'static str),
    /// A refusal worded by the command (a library error with its hint), in both languages.
    Refused(String, String),
}

impl CliError {
    /// The process exit code: 1 for bad input, 2 for usage errors.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(..) => 2,
            CliError::Hinted(e, ..) => e.exit_code(),
            _ => 1,
        }
    }
}

impl Localized for CliError {
    fn localized(&self, lang: Lang) -> String {
        let message = self.message(lang);
        match self.flag_hint(lang) {
            Some(hint) => format!("{message}{hint}"),
            None => message,
        }
    }
}

impl CliError {
    /// The library's message (or the command's own wording), which names no flag.
    fn message(&self, lang: Lang) -> String {
        match self {
            CliError::Rubric(e) => e.localized(lang),
            CliError::Store(StoreError::Output(e))
            | CliError::Merge(MergeError::Store(StoreError::Output(e)))
            | CliError::Output(e) => with_hint(e, lang),
            CliError::Store(e) => e.localized(lang),
            CliError::CaseList(e) => e.localized(lang),
            CliError::CaseField(case_no, e) => match lang {
                Lang::Zh => format!("{case_no}：{}，未修改", e.localized(lang)),
                Lang::En => format!("{case_no}: {}; nothing changed", e.localized(lang)),
            },
            CliError::Merge(e) => e.localized(lang),
            CliError::Review(e) => e.localized(lang),
            CliError::Ledger(e) => e.localized(lang),
            CliError::Export(e) => e.localized(lang),
            CliError::Io(p, e) if let Some(media) = OutputError::media(p, e) => media.localized(lang),
            CliError::Organise(e) => e.localized(lang),
            CliError::Io(p, e) => match lang {
                Lang::Zh => format!("读写 {} 失败：{e}", p.display()),
                Lang::En => format!("cannot read or write {}: {e}", p.display()),
            },
            CliError::Hinted(e, zh, en) => format!("{}\n{}", e.localized(lang), lang.pick(zh, en)),
            CliError::Usage(zh, en) | CliError::Refused(zh, en) => lang.pick(zh, en).to_owned(),
        }
    }
}

impl CliError {
    /// Which flag of the command line supplies what a refusal found missing: the library
    /// says what is missing, the command line says how to give it.
    fn flag_hint(&self, lang: Lang) -> Option<String> {
        let zh = lang == Lang::Zh;
        let flag = |f: &str| Some(if zh { format!("（{f}）") } else { format!(" ({f})") });
        match self {
            CliError::Store(e) | CliError::Merge(MergeError::Store(e)) | CliError::Review(ReviewError::Store(e)) => {
                match e {
                    StoreError::NoteRequired => flag("--note"),
                    StoreError::NoReviewer => flag("--reviewer"),
                    StoreError::Finding(FindingError::NeedsCount(_)) => flag("--count N"),
                    StoreError::Finding(FindingError::NeedsAmount(_)) => flag("--amount X"),
                    StoreError::Finding(FindingError::TakesNothing(_)) => Some(
                        lang.pick("：请去掉 --count/--amount", "; drop --count/--amount")
                            .to_owned(),
                    ),
                    _ => None,
                }
            }
            CliError::Ledger(e) => match e {
                LedgerError::NoteRequired(_) => flag("--note"),
                LedgerError::NoActor => flag("--by"),
                LedgerError::Previous(..) => flag("--previous"),
                LedgerError::WaiverReasonRequired(_) => flag("--no-repeat --reason \"…\""),
                _ => None,
            },
            CliError::Merge(MergeError::ClockOutOfRange(o)) => {
                let replica = o.replica.get(..8).unwrap_or(&o.replica);
                Some(if zh {
                    format!("\n核实后可用 --clock-fix {replica}=+天数（或 -天数）更正")
                } else {
                    format!("\nOnce checked, pass --clock-fix {replica}=+DAYS (or -DAYS)")
                })
            }
            CliError::Merge(MergeError::BadClockFix(_)) => flag("--clock-fix"),
            CliError::Organise(OrganiseError::NothingAssigned(_)) => Some(
                lang.pick(
                    "\n用 pingcha assign 分案，或不加 --only-assigned 分发全部案件",
                    "\nassign with pingcha assign, or hand out every case without --only-assigned",
                )
                .to_owned(),
            ),
            CliError::Organise(OrganiseError::Calibration) => Some(
                lang.pick(
                    "；用 pingcha agreement --calibration 查看分歧",
                    "; see pingcha agreement --calibration",
                )
                .to_owned(),
            ),
            _ => None,
        }
    }

    /// A 未定稿 refusal with the commands that settle the case.
    pub fn final_hint(e: CliError) -> CliError {
        CliError::Hinted(
            Box::new(e),
            "先用 pingcha final --from 姓名 或 --union 起草终评表",
            "start the final sheet first: pingcha final --from NAME or --union",
        )
    }
}

/// An output error with what the command line can do about it (the library names no flag).
fn with_hint(e: &OutputError, lang: Lang) -> String {
    let hint = match e {
        OutputError::Exists(_) => lang.pick("；确需覆盖请加 --force", "; add --force to replace it"),
        OutputError::Symlink(_) => lang.pick("；要写到标准输出请用 -o -", "; for standard output use -o -"),
        _ => "",
    };
    format!("{}{hint}", e.localized(lang))
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Output(e) => CliError::Output(e),
            e => CliError::Store(e),
        }
    }
}

impl From<pingcha::vocab::UnknownWord> for CliError {
    fn from(e: pingcha::vocab::UnknownWord) -> Self {
        CliError::Store(StoreError::Word(e))
    }
}

impl From<OutputError> for CliError {
    fn from(e: OutputError) -> Self {
        CliError::Output(e)
    }
}

impl From<LedgerError> for CliError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Store(e) => CliError::Store(e),
            e => CliError::Ledger(e),
        }
    }
}

impl From<ExportError> for CliError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Store(e) => CliError::Store(e),
            e => CliError::Export(e),
        }
    }
}

impl From<OrganiseError> for CliError {
    fn from(e: OrganiseError) -> Self {
        match e {
            OrganiseError::Store(e) => CliError::Store(e),
            e => CliError::Organise(e),
        }
    }
}

impl From<RubricErrors> for CliError {
    fn from(e: RubricErrors) -> Self {
        CliError::Rubric(e)
    }
}

impl From<CaseListErrors> for CliError {
    fn from(e: CaseListErrors) -> Self {
        CliError::CaseList(e)
    }
}

/// Results of commands.
pub type CliResult = Result<(), CliError>;
