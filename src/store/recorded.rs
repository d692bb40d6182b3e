//! What is recorded on the live sheets of a round, or of one case: the sheets, their findings,
//! marks and decided grades, read with one query per table. Every output that reads many
//! sheets (the counting rule, the reports, the problem lists, the ledger) reads them through
//! [`Recorded`], so a round of 300 cases costs five queries, not thousands.

use super::sheets::{FINDING_COLUMNS, FindingRows, sheet_from_row};
use super::{FindingRecord, MarkKind, Result, Round, SheetFacts, SheetRecord, Standing, Store, standing};
use crate::score::{self, Decision, Finding, ScoreSheet, Sheet};
use crate::vocab::{CaseId, SheetId};
use foldhash::{HashMap, HashSet};

/// Everything recorded on the live sheets of a round (or of one case), read once.
#[derive(Debug, Clone)]
pub struct Recorded {
    round: Round,
    /// Live sheets by case id, in stage then reviewer order.
    sheets: HashMap<CaseId, Vec<SheetRecord>>,
    /// Live findings by sheet id, oldest first.
    findings: HashMap<SheetId, Vec<FindingRecord>>,
    /// Set marks by sheet id as (kind key, node), in node order.
    marks: HashMap<SheetId, Vec<(String, String)>>,
    /// Decided grades by sheet id.
    decisions: HashMap<SheetId, Decision>,
}

impl Recorded {
    /// The round the sheets belong to.
    pub fn round(&self) -> &Round {
        &self.round
    }

    /// The live sheets of a case, ordered by stage then reviewer.
    pub fn sheets_of_case(&self, case_id: &CaseId) -> &[SheetRecord] {
        self.sheets.get(case_id).map_or(&[], Vec::as_slice)
    }

    /// The live findings of a sheet, oldest first.
    pub fn findings(&self, sheet_id: &SheetId) -> &[FindingRecord] {
        self.findings.get(sheet_id).map_or(&[], Vec::as_slice)
    }

    /// Takes a sheet's findings out, oldest first, for a report that keeps them: the sheet then
    /// reads as having none, so take them only once its case's standing is known.
    pub fn take_findings(&mut self, sheet_id: &SheetId) -> Vec<FindingRecord> {
        self.findings.remove(sheet_id).unwrap_or_default()
    }

    /// The nodes of a sheet that carry a mark of this kind, in node order.
    pub fn marked(&self, sheet_id: &SheetId, kind: MarkKind) -> impl Iterator<Item = &str> {
        self.marks
            .get(sheet_id)
            .into_iter()
            .flatten()
            .filter(move |(k, _)| k == kind.key())
            .map(|(_, node)| node.as_str())
    }

    /// The decided grade of a sheet, if any.
    pub fn decision(&self, sheet_id: &SheetId) -> Option<&Decision> {
        self.decisions.get(sheet_id)
    }

    /// The engine's input for a sheet: its findings, 不适用 marks and decision.
    pub fn sheet_input(&self, sheet_id: &SheetId) -> Sheet {
        Sheet {
            findings: self
                .findings(sheet_id)
                .iter()
                .map(|f| Finding {
                    node: f.node.clone(),
                    quantity: f.quantity,
                    repeat: f.repeat.applies(),
                })
                .collect(),
            not_applicable: self
                .marked(sheet_id, MarkKind::NotApplicable)
                .map(str::to_owned)
                .collect(),
            decision: self.decision(sheet_id).cloned(),
        }
    }

    /// Every live sheet of a case with what the counting rule needs to know about it.
    pub fn facts(&self, case_id: &CaseId) -> Vec<SheetFacts> {
        self.sheets_of_case(case_id)
            .iter()
            .map(|sheet| SheetFacts {
                empty: self.findings(&sheet.id).is_empty()
                    && self.marked(&sheet.id, MarkKind::NotApplicable).next().is_none()
                    && self.marked(&sheet.id, MarkKind::Done).next().is_none(),
                decided: self.decision(&sheet.id).is_some(),
                sheet: sheet.clone(),
            })
            .collect()
    }

    /// Which of a case's sheets counts, by [`standing`] and the round's setting.
    pub fn standing(&self, case_id: &CaseId) -> Standing {
        standing(&self.facts(case_id), self.round.require_final)
    }
}

/// Which sheets a read covers: the whole round, or one case's.
#[derive(Debug, Clone, Copy)]
enum Scope<'a> {
    Round,
    Case(&'a CaseId),
}

impl<'a> Scope<'a> {
    /// The condition on the `sheet` table, beside `deleted = 0`.
    fn sheets(self) -> &'static str {
        match self {
            Scope::Round => "",
            Scope::Case(_) => "AND case_id = ?1",
        }
    }

    /// The condition on a table of records on sheets: those on its sheets. For the round, every
    /// record is read and those on deleted sheets dropped afterwards (cheaper than asking
    /// SQLite to look each sheet up).
    fn on_sheets(self) -> &'static str {
        match self {
            Scope::Round => "",
            Scope::Case(_) => "AND sheet_id IN (SELECT id FROM sheet WHERE case_id = ?1)",
        }
    }

    /// The queries' parameters.
    fn params(self) -> rusqlite::ParamsFromIter<Option<&'a str>> {
        rusqlite::params_from_iter(match self {
            Scope::Round => None,
            Scope::Case(id) => Some(id.as_str()),
        })
    }
}

impl Store {
    /// Everything recorded on the round's live sheets.
    pub fn recorded(&self) -> Result<Recorded> {
        self.read_recorded(Scope::Round)
    }

    /// Everything recorded on the live sheets of one case.
    pub fn recorded_case(&self, case_id: &CaseId) -> Result<Recorded> {
        self.read_recorded(Scope::Case(case_id))
    }

    /// Which of a case's sheets counts, by [`standing`] and the round's setting.
    pub fn standing(&self, case_id: &CaseId) -> Result<Standing> {
        Ok(self.recorded_case(case_id)?.standing(case_id))
    }

    /// Scores a sheet from what was read, against the rubric version it names.
    pub fn score_recorded(&self, recorded: &Recorded, sheet: &SheetRecord) -> Result<ScoreSheet> {
        let rubric = self.rubric_by_hash(&sheet.rubric_hash)?;
        Ok(score::score(rubric, &recorded.sheet_input(&sheet.id)))
    }

    /// Every live sheet of a case, ordered by stage then reviewer.
    pub fn sheets_of_case(&self, case_id: &CaseId) -> Result<Vec<SheetRecord>> {
        Ok(self
            .live_sheets(Scope::Case(case_id))?
            .remove(case_id)
            .unwrap_or_default())
    }

    /// The live sheets in scope by case, each case's in stage then reviewer order.
    fn live_sheets(&self, scope: Scope<'_>) -> Result<HashMap<CaseId, Vec<SheetRecord>>> {
        let mut sheets: HashMap<CaseId, Vec<SheetRecord>> = HashMap::default();
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT id, case_id, reviewer, stage, rubric_hash FROM sheet WHERE deleted = 0 {}",
                scope.sheets()
            ))
            .map_err(self.err())?;
        for sheet in stmt.query_map(scope.params(), sheet_from_row).map_err(self.err())? {
            let sheet = sheet.map_err(self.err())?;
            sheets.entry(sheet.case_id.clone()).or_default().push(sheet);
        }
        for of_case in sheets.values_mut() {
            of_case.sort_by(|a, b| (a.stage, &a.reviewer).cmp(&(b.stage, &b.reviewer)));
        }
        Ok(sheets)
    }

    fn read_recorded(&self, scope: Scope<'_>) -> Result<Recorded> {
        let on_sheets = scope.on_sheets();
        let sheets = self.live_sheets(scope)?;
        let mut findings: HashMap<SheetId, Vec<FindingRecord>> = HashMap::default();
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {FINDING_COLUMNS} FROM finding
                 WHERE deleted = 0 {on_sheets}"
            ))
            .map_err(self.err())?;
        // A sheet's findings mostly come one after another: each run is filed at once.
        let mut run: Vec<FindingRecord> = Vec::new();
        let mut file = |run: &mut Vec<FindingRecord>| {
            if let Some(first) = run.first() {
                findings.entry(first.sheet_id.clone()).or_default().append(run);
            }
        };
        let mut rows = FindingRows::default();
        for f in stmt.query_map(scope.params(), |r| rows.read(r)).map_err(self.err())? {
            let f = f.map_err(self.err())?;
            if run.first().is_some_and(|r| r.sheet_id != f.sheet_id) {
                file(&mut run);
            }
            run.push(f);
        }
        file(&mut run);
        let mut marks: HashMap<SheetId, Vec<(String, String)>> = HashMap::default();
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT sheet_id, kind, node FROM mark
                 WHERE value = 1 {on_sheets} ORDER BY node"
            ))
            .map_err(self.err())?;
        let rows = stmt
            .query_map(scope.params(), |r| {
                Ok((r.get::<_, SheetId>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .map_err(self.err())?;
        for row in rows {
            let (sheet_id, kind, node) = row.map_err(self.err())?;
            marks.entry(sheet_id).or_default().push((kind, node));
        }
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT sheet_id, grade, reason, decider FROM decision
                 WHERE deleted = 0 {on_sheets}"
            ))
            .map_err(self.err())?;
        let mut decisions: HashMap<SheetId, Decision> = stmt
            .query_map(scope.params(), |r| {
                Ok((
                    r.get::<_, SheetId>(0)?,
                    Decision {
                        grade: r.get(1)?,
                        reason: r.get(2)?,
                        decider: r.get(3)?,
                    },
                ))
            })
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())?;
        {
            let live: HashSet<&str> = sheets.values().flatten().map(|s| s.id.as_str()).collect();
            findings.retain(|id, _| live.contains(id.as_str()));
            marks.retain(|id, _| live.contains(id.as_str()));
            decisions.retain(|id, _| live.contains(id.as_str()));
        }
        // Sorted here, sheet by sheet, rather than by SQLite over the whole table.
        for of_sheet in findings.values_mut() {
            of_sheet.sort_by(|a, b| (a.hlc, &a.id).cmp(&(b.hlc, &b.id)));
        }
        Ok(Recorded {
            round: self.round()?,
            sheets,
            findings,
            marks,
            decisions,
        })
    }
}
