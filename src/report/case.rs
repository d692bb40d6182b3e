//! One case's report: the sheet that counts ([`Store::standing`]), its score and its findings
//! with names and wording; or, for a 未定稿 case, each reviewer's result.

use crate::points::Points;
use crate::rubric::{DocumentWords, Field, FieldKind, FindingKind, GradeBand, Rubric, Scorable};
use crate::score::{Quantity, ScoreSheet, finding_points, node_counts_as};
use crate::shared::SharedStr;
use crate::store::clock::format_beijing;
use crate::store::{
    Case, FindingRecord, MarkKind, Recorded, Repeat, Result, SettledBy, SheetRecord, Stamp, Standing, Store, StoreError,
};
use foldhash::{HashMap, HashSet};
use std::sync::Arc;

/// What a case's problem list and review opinion are made of.
#[derive(Debug, Clone)]
pub struct CaseReport {
    /// The case and its metadata.
    pub case: Case,
    /// The sheet that counts (see [`Store::standing`]).
    pub sheet: SheetRecord,
    /// Why it counts.
    pub settled_by: SettledBy,
    /// Every sheet of the case as "reviewer（stage）", in stage then reviewer order.
    pub reviewers: Vec<String>,
    /// The engine's result for the sheet.
    pub score: ScoreSheet,
    /// The rubric version the sheet is scored against: its name and version.
    pub rubric: SharedStr,
    /// The rubric's metadata fields, in its order ([`CaseReport::metadata`] pairs them with the
    /// case's values); shared by every case of the rubric, as are the bands and words.
    pub fields: Arc<[Field]>,
    /// The findings, in rubric order (category, item, node), then by 卷/页.
    pub findings: Vec<FindingLine>,
    /// The first and last day findings were recorded on (Beijing time, `YYYY-MM-DD`), as the
    /// laptops' clocks said; None without findings.
    pub review_dates: Option<(String, String)>,
    /// The rubric's grade bands, best first: the opinion names the band a total falls in and
    /// praises only a case in one of the two best.
    pub bands: Arc<[GradeBand]>,
    /// The institution's words for its documents (the rubric's `[document]`).
    pub words: Arc<DocumentWords>,
    /// Items marked 不适用 on the sheet, as "category／item", in rubric order.
    pub not_applicable: Vec<String>,
    /// Nodes the reviewer marked 待议 (to raise at the group meeting), by name; 全案 for the
    /// whole case.
    pub pending: Vec<String>,
}

/// One metadata field of a case, with its kind so spreadsheets write numbers and dates as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetaField<'a> {
    /// The rubric's label (案号, 承办单位, …).
    pub label: &'a str,
    /// The value as stored ("" when unset; dates as `YYYY-MM-DD`).
    pub value: &'a str,
    /// The field's kind.
    pub kind: &'a FieldKind,
}

/// One finding as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingLine {
    /// Category id.
    pub category_id: SharedStr,
    /// Category name.
    pub category: SharedStr,
    /// Item id.
    pub item_id: SharedStr,
    /// Item name, with the sub-item after a slash when the finding is on one.
    pub item: SharedStr,
    /// The common-problem code, when the reviewer picked one.
    pub problem_code: Option<SharedStr>,
    /// The problem wording: the common problem's standard text, or "" without a code.
    pub problem: SharedStr,
    /// The reviewer's note.
    pub note: String,
    /// 卷.
    pub volume: Option<u32>,
    /// 页.
    pub page: Option<u32>,
    /// Points this finding deducts by its rule (before the item and category caps).
    pub deduction: Points,
    /// What it is by its node's rule (问题, 加分, 一票否决, 限等).
    pub kind: FindingKind,
    /// True when the finding counts as a problem (问题数): a deducting rule on an applicable
    /// item ([`crate::score::counts_as`]).
    pub is_problem: bool,
    /// 从重, as recorded.
    pub repeat: Repeat,
    /// 处数: occurrences (or missing elements) the finding counts, 1 when it has no count.
    pub occurrences: u32,
    /// The node (item or sub-item) id the finding is on.
    pub node: SharedStr,
}

impl FindingLine {
    /// "卷2第15页"-style location, or "" when neither is known.
    pub fn location(&self) -> String {
        crate::vocab::place(self.volume, self.page, crate::lang::Lang::Zh)
    }
}

impl CaseReport {
    /// The case metadata, in the rubric's field order.
    pub fn metadata(&self) -> impl Iterator<Item = MetaField<'_>> {
        self.fields.iter().map(|f| MetaField {
            label: &f.label,
            value: self.case.field(&f.key),
            kind: &f.kind,
        })
    }

    /// The findings ordered by 卷/页 (unknown locations last), for the feedback meeting.
    pub fn by_page(&self) -> Vec<&FindingLine> {
        let mut lines: Vec<&FindingLine> = self.findings.iter().collect();
        lines.sort_by_key(|f| (f.volume.is_none(), f.volume, f.page.is_none(), f.page));
        lines
    }

    /// The grade that counts: the decided one when there is one.
    pub fn grade(&self) -> &str {
        self.score.final_grade()
    }
}

/// One reviewer's result on a 未定稿 case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetResult {
    /// The reviewer.
    pub reviewer: String,
    /// The stage.
    pub stage: String,
    /// The sheet's total.
    pub total: Points,
    /// The sheet's grade (the decided one when there is one).
    pub grade: String,
}

/// A case no sheet settles yet (未定稿), with each reviewer's result at its top stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsettledCase {
    /// The case.
    pub case: Case,
    /// Each sheet at the top stage, by reviewer.
    pub sheets: Vec<SheetResult>,
}

impl UnsettledCase {
    /// The refusal a settled-only output (problem list, opinion, decision) gives for it.
    pub fn refusal(&self) -> StoreError {
        StoreError::Unsettled {
            case_no: self.case.case_no.clone(),
            sheets: self
                .sheets
                .iter()
                .map(|s| format!("{}（{}）", s.reviewer, s.stage))
                .collect(),
        }
    }
}

/// Where a case stands, as every output reads it.
#[derive(Debug, Clone)]
pub enum CaseStanding {
    /// 已定稿: its report.
    Settled(Box<CaseReport>),
    /// 未定稿: each reviewer's result.
    Unsettled(UnsettledCase),
    /// 未评查: nothing recorded on any sheet.
    Unreviewed,
}

/// Reads where a case stands ([`Store::standing`]) and builds its report when it is settled.
pub fn case_standing(store: &Store, case: &Case) -> Result<CaseStanding> {
    standing_of(
        store,
        &mut store.recorded_case(&case.id)?,
        &mut NodeIndexes::default(),
        case.clone(),
    )
}

/// Where every case of the round stands, in case-list order, from one read of every sheet
/// ([`Store::recorded`]).
pub fn case_standings(store: &Store) -> Result<Vec<CaseStanding>> {
    standings(store, store.recorded()?, store.cases()?)
}

/// Where each of `cases` stands, from the sheets read already (each settled sheet's findings
/// move into its report, and each case into its standing).
pub(super) fn standings(store: &Store, mut recorded: Recorded, cases: Vec<Case>) -> Result<Vec<CaseStanding>> {
    let mut nodes = NodeIndexes::default();
    cases
        .into_iter()
        .map(|case| standing_of(store, &mut recorded, &mut nodes, case))
        .collect()
}

/// [`case_standing`] from the sheets read already, with the node indexes built so far; the
/// settled sheet's findings move into the report.
fn standing_of<'s>(
    store: &'s Store,
    recorded: &mut Recorded,
    nodes: &mut NodeIndexes<'s>,
    case: Case,
) -> Result<CaseStanding> {
    Ok(match recorded.standing(&case.id) {
        Standing::Unreviewed => CaseStanding::Unreviewed,
        Standing::Unsettled { sheets } => {
            let mut results = Vec::with_capacity(sheets.len());
            for sheet in sheets {
                let score = store.score_recorded(recorded, &sheet)?;
                results.push(SheetResult {
                    grade: score.final_grade().to_owned(),
                    total: score.total,
                    reviewer: sheet.reviewer,
                    stage: sheet.stage.name().to_owned(),
                });
            }
            CaseStanding::Unsettled(UnsettledCase { case, sheets: results })
        }
        Standing::Settled { sheet, by } => {
            CaseStanding::Settled(Box::new(settled_report(store, recorded, nodes, case, sheet, by)?))
        }
    })
}

/// The report of a settled case; a 未定稿 case is refused ([`StoreError::Unsettled`]) and a
/// case without anything recorded gives `None`.
pub fn case_report(store: &Store, case: &Case) -> Result<Option<CaseReport>> {
    match case_standing(store, case)? {
        CaseStanding::Settled(r) => Ok(Some(*r)),
        CaseStanding::Unsettled(u) => Err(u.refusal()),
        CaseStanding::Unreviewed => Ok(None),
    }
}

/// A rubric's scorable nodes by id, each with its rank in rubric order and its name as a
/// finding line shows it: built once per rubric, so placing a finding is a lookup rather than a
/// search through the rubric, and its name is shared rather than formatted again.
struct NodeIndex<'r> {
    nodes: HashMap<&'r str, IndexedNode<'r>>,
    /// What every case report of the rubric shares rather than copies.
    name: SharedStr,
    fields: Arc<[Field]>,
    bands: Arc<[GradeBand]>,
    words: Arc<DocumentWords>,
}

/// A node of a [`NodeIndex`].
struct IndexedNode<'r> {
    rank: usize,
    node: Scorable<'r>,
    /// The item's name, with the sub-item's after a slash.
    label: SharedStr,
}

impl<'r> NodeIndex<'r> {
    fn new(rubric: &'r Rubric) -> Self {
        let mut nodes = HashMap::default();
        for (rank, node) in rubric.scorables().enumerate() {
            nodes.entry(node.id()).or_insert_with(|| IndexedNode {
                rank,
                label: match node.subitem {
                    Some(sub) => format!("{}／{}", node.item.name, sub.name).into(),
                    None => node.item.name.clone(),
                },
                node,
            });
        }
        NodeIndex {
            nodes,
            name: format!("{} {}", rubric.name, rubric.version).into(),
            fields: rubric.fields.as_slice().into(),
            bands: rubric.grades.as_slice().into(),
            words: Arc::new(rubric.document.clone()),
        }
    }

    /// The node with this id, if the rubric has it.
    fn get(&self, id: &str) -> Option<&IndexedNode<'r>> {
        self.nodes.get(id)
    }
}

/// Node indexes by rubric hash.
type NodeIndexes<'r> = HashMap<String, NodeIndex<'r>>;

fn settled_report<'s>(
    store: &'s Store,
    recorded: &mut Recorded,
    nodes: &mut NodeIndexes<'s>,
    case: Case,
    sheet: SheetRecord,
    settled_by: SettledBy,
) -> Result<CaseReport> {
    let rubric = store.rubric_by_hash(&sheet.rubric_hash)?;
    let index = nodes
        .entry(sheet.rubric_hash.clone())
        .or_insert_with(|| NodeIndex::new(rubric));
    let input = recorded.sheet_input(&sheet.id);
    let records = recorded.take_findings(&sheet.id);
    let score = crate::score::score(rubric, &input);
    let day = |hlc: i64| format_beijing(Stamp(hlc).millis()).chars().take(10).collect::<String>();
    let first = records.iter().map(|f| f.hlc).min();
    let last = records.iter().map(|f| f.hlc).max();
    let review_dates = first.zip(last).map(|(a, b)| (day(a), day(b)));
    let findings = finding_lines(index, &input.not_applicable, records);
    let not_applicable_items: HashSet<&str> = score
        .categories
        .iter()
        .flat_map(|c| &c.items)
        .filter(|s| s.not_applicable)
        .map(|s| s.id.as_str())
        .collect();
    let not_applicable = rubric
        .categories
        .iter()
        .flat_map(|c| c.items.iter().map(move |i| (c, i)))
        .filter(|(_, i)| not_applicable_items.contains(i.id.as_str()))
        .map(|(c, i)| format!("{}／{}", c.name, i.name))
        .collect();
    let pending = recorded
        .marked(&sheet.id, MarkKind::Pending)
        .map(|node| node_name(rubric, node))
        .collect();
    Ok(CaseReport {
        reviewers: recorded
            .sheets_of_case(&case.id)
            .iter()
            .map(|s| format!("{}（{}）", s.reviewer, s.stage))
            .collect(),
        sheet,
        settled_by,
        score,
        rubric: index.name.clone(),
        fields: index.fields.clone(),
        findings,
        review_dates,
        bands: index.bands.clone(),
        words: index.words.clone(),
        not_applicable,
        pending,
        case,
    })
}

/// A node's name as people read it: "category／item／sub-item", 全案 for the whole case (`""`),
/// the id itself for a node the rubric lacks.
fn node_name(rubric: &Rubric, node: &str) -> String {
    if node.is_empty() {
        return "全案".to_owned();
    }
    if let Some(c) = rubric.categories.iter().find(|c| c.id == node) {
        return c.name.to_string();
    }
    match rubric.scorable(node) {
        Some(s) => match s.subitem {
            Some(sub) => format!("{}／{}／{}", s.category.name, s.item.name, sub.name),
            None => format!("{}／{}", s.category.name, s.item.name),
        },
        None => rubric
            .item(node)
            .map_or_else(|| node.to_owned(), |(c, i)| format!("{}／{}", c.name, i.name)),
    }
}

/// 处数 of a finding: its count, or 1.
fn occurrences(q: Quantity) -> u32 {
    match q {
        Quantity::Count(n) => n,
        _ => 1,
    }
}

/// Names, wording and deductions for the findings of a sheet, in rubric order then by 卷/页.
/// Findings on nodes the rubric lacks are kept at the end, named by their node id.
fn finding_lines(
    index: &NodeIndex<'_>,
    not_applicable: &std::collections::BTreeSet<String>,
    records: Vec<FindingRecord>,
) -> Vec<FindingLine> {
    let mut keyed: Vec<(usize, FindingLine)> = records
        .into_iter()
        .map(|f| match index.get(&f.node) {
            Some(&IndexedNode { rank, node, ref label }) => {
                let wording = f
                    .problem
                    .as_deref()
                    .and_then(|code| node.problems().find(|p| p.code == code))
                    .map_or_else(SharedStr::default, |p| p.text.clone());
                let line = FindingLine {
                    category_id: node.category.id.clone(),
                    category: node.category.name.clone(),
                    item_id: node.item.id.clone(),
                    item: label.clone(),
                    problem_code: f.problem,
                    problem: wording,
                    note: f.note,
                    volume: f.volume,
                    page: f.page,
                    deduction: if node.rule().deducts() {
                        finding_points(&node, f.quantity)
                    } else {
                        Points::ZERO
                    },
                    kind: node.rule().finding_kind(),
                    is_problem: node_counts_as(&node, not_applicable) == Some(FindingKind::Problem),
                    repeat: f.repeat,
                    occurrences: occurrences(f.quantity),
                    node: f.node,
                };
                (rank, line)
            }
            // After every node of the rubric.
            None => (
                usize::MAX,
                FindingLine {
                    category_id: SharedStr::default(),
                    category: SharedStr::default(),
                    item_id: f.node.as_str().into(),
                    item: f.node.as_str().into(),
                    problem_code: f.problem,
                    problem: SharedStr::default(),
                    note: f.note,
                    volume: f.volume,
                    page: f.page,
                    deduction: Points::ZERO,
                    kind: FindingKind::Problem,
                    is_problem: false,
                    repeat: f.repeat,
                    occurrences: occurrences(f.quantity),
                    node: f.node,
                },
            ),
        })
        .collect();
    // The keys are sorted, not the lines (large to move): forty swaps rather than hundreds.
    keyed.sort_by_cached_key(|(rank, f)| (*rank, f.volume.is_none(), f.volume, f.page.is_none(), f.page));
    keyed.into_iter().map(|(_, f)| f).collect()
}
