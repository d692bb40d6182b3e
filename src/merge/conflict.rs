//! What a merge resolved but people should look at: conflicting field edits, one case number
//! under several ids, one rubric id with several contents, sheets of one case on different
//! rubric versions.

use super::model::{Row, Snapshot, TABLES, table_index};
use crate::lang::{Lang, Localized};
use crate::store::ids::normalise_case_no;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Something the merge resolved but people should look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// Two laptops set one metadata field of a case to different values without seeing each
    /// other's edit. The newer value is kept; the other is in the field's history.
    Field {
        /// 案号.
        case_no: String,
        /// Field key.
        key: String,
        /// The field's label in the rubric (承办人), or the key when no rubric names it.
        label: String,
        /// The value kept.
        kept: String,
        /// The replica that wrote it.
        kept_replica: String,
        /// The reviewers whose sheets that replica wrote (empty when it wrote none).
        kept_by: Vec<String>,
        /// The value that lost.
        lost: String,
        /// The replica that wrote it.
        lost_replica: String,
        /// The reviewers whose sheets that replica wrote.
        lost_by: Vec<String>,
    },
    /// One case number under several case ids.
    CaseNumber {
        /// The normalised case number.
        case_no: String,
        /// The ids.
        ids: Vec<String>,
    },
    /// One rubric id stored with different contents.
    RubricContent {
        /// The rubric id.
        rubric_id: String,
        /// (content hash, version) of each content.
        versions: Vec<(String, String)>,
    },
    /// Sheets of one case scored against different rubric versions.
    SheetRubrics {
        /// 案号.
        case_no: String,
        /// (reviewer, stage, rubric version) of each sheet.
        sheets: Vec<(String, String, String)>,
    },
}

impl Localized for Conflict {
    fn localized(&self, lang: Lang) -> String {
        use super::error::short;
        let zh = lang == Lang::Zh;
        match self {
            Conflict::Field {
                case_no,
                label,
                kept,
                kept_replica,
                kept_by,
                lost,
                lost_replica,
                lost_by,
                ..
            } => {
                let who = |by: &[String], replica: &str| match (by.is_empty(), zh) {
                    (true, true) => format!("副本 {}", short(replica)),
                    (true, false) => format!("replica {}", short(replica)),
                    (false, true) => format!("{}的笔记本", by.join("、")),
                    (false, false) => format!("{}'s laptop", by.join(", ")),
                };
                let (k, l) = (who(kept_by, kept_replica), who(lost_by, lost_replica));
                if zh {
                    format!(
                        "案件「{case_no}」的{label}：两处改为不同的值，保留较新的「{kept}」（{k}），「{lost}」（{l}）已存入历史"
                    )
                } else {
                    format!(
                        "case {case_no}, {label}: set to different values on two laptops; kept the newer `{kept}` ({k}), `{lost}` ({l}) is in the history"
                    )
                }
            }
            Conflict::CaseNumber { case_no, ids } if zh => {
                format!(
                    "案号「{case_no}」对应多个案件编号：{}",
                    ids.iter().map(|i| short(i)).collect::<Vec<_>>().join("、")
                )
            }
            Conflict::CaseNumber { case_no, ids } => format!(
                "case number {case_no} has several case ids: {}",
                ids.iter().map(|i| short(i)).collect::<Vec<_>>().join(", ")
            ),
            Conflict::RubricContent { rubric_id, versions } => {
                let list = versions
                    .iter()
                    .map(|(h, v)| format!("{v} ({})", short(h)))
                    .collect::<Vec<_>>()
                    .join(if zh { "、" } else { ", " });
                if zh {
                    format!("评查标准 {rubric_id} 有不同内容的多个文本：{list}")
                } else {
                    format!("rubric {rubric_id} is stored with different contents: {list}")
                }
            }
            Conflict::SheetRubrics { case_no, sheets } => {
                let list = sheets
                    .iter()
                    .map(|(r, s, v)| format!("{r}（{s}）{v}"))
                    .collect::<Vec<_>>()
                    .join(if zh { "、" } else { ", " });
                if zh {
                    format!("案件「{case_no}」的评查表依据了不同版本的评查标准：{list}")
                } else {
                    format!("case {case_no} has sheets scored against different rubric versions: {list}")
                }
            }
        }
    }
}

/// Conflicts visible in the merged records themselves.
pub(super) fn derived_conflicts(result: &Snapshot, out: &mut Vec<Conflict>) {
    let (Some(c), Some(r), Some(sh)) = (table_index("case_record"), table_index("rubric"), table_index("sheet")) else {
        return;
    };
    let (cs, rs, ss) = (&TABLES[c], &TABLES[r], &TABLES[sh]);
    let live = |spec, row: &Row| row.int(spec, "deleted") == 0;
    let mut by_no: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut case_no: HashMap<&str, &str> = HashMap::new();
    for row in result.tables[c].values().filter(|r| live(cs, r)) {
        by_no
            .entry(normalise_case_no(row.text(cs, "case_no")))
            .or_default()
            .push(row.text(cs, "id").to_owned());
        case_no.insert(row.text(cs, "id"), row.text(cs, "case_no"));
    }
    for (no, ids) in by_no.into_iter().filter(|(_, ids)| ids.len() > 1) {
        out.push(Conflict::CaseNumber { case_no: no, ids });
    }
    let mut by_rubric: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    let mut version: HashMap<&str, &str> = HashMap::new();
    for row in result.tables[r].values() {
        by_rubric
            .entry(row.text(rs, "rubric_id"))
            .or_default()
            .push((row.text(rs, "hash").to_owned(), row.text(rs, "version").to_owned()));
        version.insert(row.text(rs, "hash"), row.text(rs, "version"));
    }
    for (id, versions) in by_rubric.into_iter().filter(|(_, v)| v.len() > 1) {
        out.push(Conflict::RubricContent {
            rubric_id: id.to_owned(),
            versions,
        });
    }
    let mut by_case: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in result.tables[sh].values().filter(|r| live(ss, r)) {
        by_case.entry(row.text(ss, "case_id")).or_default().push(row);
    }
    for (case, sheets) in by_case {
        let hashes: BTreeSet<&str> = sheets.iter().map(|s| s.text(ss, "rubric_hash")).collect();
        if hashes.len() > 1 {
            out.push(Conflict::SheetRubrics {
                case_no: case_no.get(case).copied().unwrap_or(case).to_owned(),
                sheets: sheets
                    .iter()
                    .map(|s| {
                        let h = s.text(ss, "rubric_hash");
                        (
                            s.text(ss, "reviewer").to_owned(),
                            s.text(ss, "stage").to_owned(),
                            version.get(h).map_or_else(|| h.to_owned(), |v| (*v).to_owned()),
                        )
                    })
                    .collect(),
            });
        }
    }
}
