//! Problems fed back before and found again (从重).
//!
//! - [`read_previous`] reads what an earlier round fed back to the handling units: its ledger
//!   as a [`super::sync`] would leave it (computed, never written to that file; withdrawn
//!   entries left out), and the earlier rounds it brought in itself. `pingcha round new --previous` stores
//!   them in the new round ([`Store::add_prior_problems`]).
//! - [`earlier`] says whether a problem code was fed back to a case's unit before (units match
//!   after trimming, codes exactly) and where.
//! - [`record`] records a finding with the rubric's 从重 applied automatically when it was;
//!   the reviewer can remove it only with a reason, which is stored with the finding.

use super::{LedgerError, as_synced};
use crate::lang::Lang;
use crate::store::{Case, FindingRecord, NewFinding, PriorProblem, Repeat, Round, Stage, Store, StoreError};
use crate::vocab::CaseId;
use std::collections::BTreeMap;
use std::path::Path;

/// An earlier round as `round new --previous` reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    /// The earlier round.
    pub round: Round,
    /// What it fed back, with the problems of rounds before it.
    pub problems: Vec<PriorProblem>,
}

/// Opens an earlier round's file read-only and reads the problems it fed back.
///
/// Refuses, naming the file, a missing file, one that is not pingcha's, one of a newer schema
/// and a damaged one. Nothing is ever written to it: entries its ledger has not synced yet are
/// computed, not added.
pub fn read_previous(path: &Path) -> Result<Previous, LedgerError> {
    let read = || -> Result<Previous, LedgerError> {
        let store = Store::open_untouched(path)?;
        store.verify()?;
        Ok(Previous {
            round: store.round()?,
            problems: fed_back(&store)?,
        })
    };
    read().map_err(|e| match e {
        LedgerError::Store(s) => LedgerError::Previous(path.to_path_buf(), Box::new(s)),
        e => e,
    })
}

/// The problems a round fed back: its ledger as a sync would leave it (已撤销 left out), and
/// the problems of earlier rounds it holds itself.
pub fn fed_back(store: &Store) -> Result<Vec<PriorProblem>, LedgerError> {
    let round = store.round()?;
    let case_nos: BTreeMap<CaseId, String> = store.cases()?.into_iter().map(|c| (c.id, c.case_no)).collect();
    let mut out: Vec<PriorProblem> = as_synced(store)?
        .into_iter()
        .map(|r| PriorProblem {
            round_id: round.id.clone(),
            entry_id: r.id.to_string(),
            round_name: round.name.clone(),
            case_no: case_nos.get(&r.case_id).cloned().unwrap_or_default(),
            unit: r.unit.trim().to_owned(),
            problem_code: r.problem_code,
            problem: r.problem,
            note: r.note,
            state: r.state,
        })
        .collect();
    out.extend(store.prior_problems()?);
    Ok(out)
}

/// The earlier rounds' problems with this code fed back to the case's unit (承办单位, trimmed),
/// by round and case number; empty when there are none or the case has no unit.
pub fn earlier(store: &Store, case: &Case, code: &str) -> crate::store::Result<Vec<PriorProblem>> {
    Ok(by_code(store, case)?.remove(code).unwrap_or_default())
}

/// Every problem code fed back to the case's unit before, with where.
pub fn by_code(store: &Store, case: &Case) -> crate::store::Result<BTreeMap<String, Vec<PriorProblem>>> {
    let unit = case.field("unit").trim();
    let mut out: BTreeMap<String, Vec<PriorProblem>> = BTreeMap::new();
    if unit.is_empty() {
        return Ok(out);
    }
    for p in store.prior_problems_of_unit(unit)? {
        if let Some(code) = p.problem_code.clone() {
            out.entry(code).or_default().push(p);
        }
    }
    Ok(out)
}

/// A problem fed back to the case's unit before: to whom and where. What that did to the
/// finding is its [`Repeat`]; [`Notice::said`] tells both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The case's 承办单位.
    pub unit: String,
    /// Where it was fed back (at least one).
    pub earlier: Vec<PriorProblem>,
}

impl Notice {
    /// Where it was fed back: `（轮次，案号 A、B）`, one group per earlier round.
    fn places(&self, lang: Lang) -> String {
        let mut rounds: Vec<(&str, Vec<&str>)> = Vec::new();
        for p in &self.earlier {
            match rounds.iter_mut().find(|(r, _)| *r == p.round_name) {
                Some((_, cases)) if !cases.contains(&p.case_no.as_str()) => cases.push(&p.case_no),
                Some(_) => {}
                None => rounds.push((&p.round_name, vec![&p.case_no])),
            }
        }
        let groups: Vec<String> = rounds
            .iter()
            .map(|(round, cases)| match lang {
                Lang::Zh => format!("{round}，案号 {}", cases.join("、")),
                Lang::En => format!("{round}, case {}", cases.join(", ")),
            })
            .collect();
        match lang {
            Lang::Zh => format!("（{}）", groups.join("；")),
            Lang::En => format!("({})", groups.join("; ")),
        }
    }

    fn rounds(&self) -> usize {
        let mut names: Vec<&str> = self.earlier.iter().map(|p| p.round_name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names.len()
    }

    /// The first half of the message: fed back to whom, where.
    fn fed_back(&self, lang: Lang) -> String {
        let places = self.places(lang);
        let several = self.rounds() > 1;
        match lang {
            Lang::Zh => format!(
                "该问题{}已向{}反馈{places}",
                if several { "此前" } else { "上一轮" },
                self.unit
            ),
            Lang::En => format!(
                "this problem was fed back to {} {}{places}",
                self.unit,
                if several { "before " } else { "in the previous round " }
            ),
        }
    }
}

impl Notice {
    /// Where the problem was fed back and what the finding's 从重 is: deducted more heavily, or
    /// not, with the reviewer's reason.
    pub fn said(&self, repeat: &Repeat, lang: Lang) -> String {
        let fed_back = self.fed_back(lang);
        match (repeat.waived(), lang) {
            (None, Lang::Zh) => format!("{fed_back}，按从重扣分"),
            (None, Lang::En) => format!("{fed_back}: deducted more heavily (从重)"),
            (Some(why), Lang::Zh) => format!("{fed_back}，已不从重，理由：{why}"),
            (Some(why), Lang::En) => format!("{fed_back}; 从重 removed because: {why}"),
        }
    }
}

/// A recorded finding and, when its problem was fed back to the unit before, what that did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The stored finding.
    pub finding: FindingRecord,
    /// Set when the problem was fed back to the case's unit before.
    pub notice: Option<Notice>,
}

/// Records a finding on the writer's sheet of a case at a stage (created if new), applying
/// the rubric's 从重 when its problem code was fed back to the case's unit before.
///
/// [`Repeat::Waived`] in `new.repeat` says the reviewer removes that 从重: with a reason the
/// finding is stored so, without one it is refused before anything is written; anything else
/// becomes [`Repeat::Automatic`]. When the problem was not fed back before, a hand mark is kept
/// and a waiver or an automatic mark means no 从重.
pub fn record(store: &mut Store, case_id: &CaseId, stage: Stage, new: &NewFinding) -> Result<Recorded, LedgerError> {
    let case = store
        .case_by_id(case_id)?
        .ok_or_else(|| StoreError::CaseNotFound(case_id.to_string()))?;
    let earlier = match &new.problem {
        Some(code) => earlier(store, &case, code)?,
        None => Vec::new(),
    };
    let mut new = new.clone();
    let notice = if earlier.is_empty() {
        if new.repeat != Repeat::ByHand {
            new.repeat = Repeat::No;
        }
        None
    } else {
        let notice = Notice {
            unit: case.field("unit").trim().to_owned(),
            earlier,
        };
        new.repeat = match new.repeat.waived().map(str::trim) {
            Some("") => return Err(LedgerError::WaiverReasonRequired(Box::new(notice))),
            Some(why) => Repeat::Waived(why.to_owned()),
            None => Repeat::Automatic,
        };
        Some(notice)
    };
    let sheet = store.sheet(case_id, stage)?;
    let finding = store.add_finding(&sheet, &new)?;
    Ok(Recorded { finding, notice })
}
