//! What a change did, in words: the status line after a write ("已记录 …", "已删除 …") and the
//! undo message ("已撤销：删除 第2卷第5页 …") are made here, once, from the write itself.

use super::model::Write;
use super::text::truncate;
use crate::lang::Lang;
use crate::rubric::Rubric;
use crate::store::{FindingRecord, MarkKind};

/// How many cells of a note a message quotes.
const NOTE_CELLS: usize = 24;

pub use crate::vocab::place;

/// A finding in a few words: where, and the start of its note.
pub fn finding(volume: Option<u32>, page: Option<u32>, note: &str, lang: Lang) -> String {
    let place = place(volume, page, lang);
    let note = truncate(note.trim(), NOTE_CELLS);
    [place, note]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The node a write is about (`""`: the whole case), where the cursor goes to show it.
pub fn node_of(write: &Write, record: Option<&FindingRecord>) -> String {
    match write {
        Write::AddFinding { finding, .. } => finding.node.clone(),
        Write::CorrectFinding { finding, .. } => finding.node.clone(),
        Write::DeleteFinding { .. } | Write::RestoreFinding { .. } => {
            record.map(|f| f.node.to_string()).unwrap_or_default()
        }
        Write::SetMark { node, .. } => node.clone(),
        Write::SetField { .. } | Write::Decide { .. } => String::new(),
    }
}

/// What a write did, starting with its verb: "记录 第2卷第5页 询问笔录…", "标记待议 …".
pub fn change(write: &Write, record: Option<&FindingRecord>, rubric: &Rubric, lang: Lang) -> String {
    let about = |f: Option<&FindingRecord>| f.map(|f| finding(f.volume, f.page, &f.note, lang)).unwrap_or_default();
    let (verb, what) = match write {
        Write::AddFinding { finding: f, .. } => {
            (lang.pick("记录", "recorded"), finding(f.volume, f.page, &f.note, lang))
        }
        Write::CorrectFinding { finding: f, .. } => {
            (lang.pick("更正", "corrected"), finding(f.volume, f.page, &f.note, lang))
        }
        Write::DeleteFinding { .. } => (lang.pick("删除", "deleted"), about(record)),
        Write::RestoreFinding { .. } => (lang.pick("恢复", "restored"), about(record)),
        Write::SetMark { node, kind, on, .. } => {
            let verb = match (kind, on) {
                (MarkKind::Pending, true) => lang.pick("标记待议", "marked 待议"),
                (MarkKind::Pending, false) => lang.pick("取消待议", "cleared 待议"),
                (MarkKind::NotApplicable, true) => lang.pick("标记不适用", "marked not applicable"),
                (MarkKind::NotApplicable, false) => lang.pick("取消不适用", "cleared not applicable"),
                (MarkKind::Done, true) => lang.pick("完成本案", "case done"),
                (MarkKind::Done, false) => lang.pick("取消完成", "case not done"),
            };
            // Done is about the whole case, which the verb already says.
            let what = if *kind == MarkKind::Done {
                String::new()
            } else {
                node_name(rubric, node, lang)
            };
            (verb, what)
        }
        Write::SetField { key, value, .. } => {
            let label = rubric
                .fields
                .iter()
                .find(|f| &f.key == key)
                .map_or(key.as_str(), |f| &f.label);
            (
                lang.pick("修改", "set"),
                format!("{label}「{}」", truncate(value, NOTE_CELLS)),
            )
        }
        Write::Decide { decision, .. } => (lang.pick("认定等次", "decided grade"), decision.grade.clone()),
    };
    if what.is_empty() {
        verb.to_owned()
    } else {
        format!("{verb} {what}")
    }
}

/// The status message after a write: "已记录 …", "已删除 …", "已标记待议 …".
pub fn saved(write: &Write, record: Option<&FindingRecord>, rubric: &Rubric, lang: Lang) -> String {
    let said = change(write, record, rubric, lang);
    match lang {
        Lang::Zh => format!("已{said}"),
        Lang::En => said,
    }
}

/// The name of a node of the rubric (`""`: the whole case).
pub fn node_name(rubric: &Rubric, node: &str, lang: Lang) -> String {
    if node.is_empty() {
        return lang.pick("全案", "whole case").to_owned();
    }
    let name = rubric
        .scorable(node)
        .map(|s| s.name().to_owned())
        .or_else(|| rubric.item(node).map(|(_, i)| i.name.to_string()))
        .or_else(|| {
            rubric
                .categories
                .iter()
                .find(|c| c.id == node)
                .map(|c| c.name.to_string())
        })
        .unwrap_or_else(|| node.to_owned());
    truncate(&name, NOTE_CELLS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_as_volume_and_page_in_either_language() {
        assert_eq!(place(Some(2), Some(5), Lang::Zh), "第2卷第5页");
        assert_eq!(place(None, Some(5), Lang::Zh), "第5页");
        assert_eq!(place(Some(1), Some(3), Lang::En), "vol. 1 p. 3");
        assert_eq!(place(None, None, Lang::En), "");
    }
}
