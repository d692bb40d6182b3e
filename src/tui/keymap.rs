//! Keys to actions. One table, [`KEYMAP`], drives both the browsing keys and the `?` help
//! overlay, so the help can never disagree with what the keys do; [`FORM_KEYS`] lists the keys
//! of the entry forms the same way.

use crate::lang::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key does while browsing the rubric tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Move up one line.
    Up,
    /// Move down one line.
    Down,
    /// Go to the first line.
    Top,
    /// Go to the last line.
    Bottom,
    /// Fold the category (or go to it).
    Fold,
    /// Unfold the category.
    Unfold,
    /// Filter items by text or pinyin initials.
    Filter,
    /// Record a finding on the selected node.
    Add,
    /// Toggle 不适用 on the selected item or category.
    NotApplicable,
    /// Record a veto finding.
    Veto,
    /// Record a bonus.
    Bonus,
    /// Select the next finding of the selected node.
    NextFinding,
    /// Select the previous finding of the selected node.
    PrevFinding,
    /// Delete the selected finding.
    Delete,
    /// Undo the last change.
    Undo,
    /// Previous case.
    PrevCase,
    /// Next case.
    NextCase,
    /// The case list.
    Cases,
    /// Edit the case's metadata.
    EditMeta,
    /// Decide the grade.
    Grade,
    /// Toggle 待议 on the selected node (or the whole case).
    Pending,
    /// Everything 待议 in the round.
    PendingList,
    /// Search the notes of the round.
    Search,
    /// Mark the case done (or not).
    Done,
    /// Show the keys.
    Help,
    /// Quit.
    Quit,
}

/// One row of the key table: the keys, the action, and what the help says.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The keys, as shown in the help.
    pub label: &'static str,
    /// The keys themselves.
    pub keys: &'static [KeyCode],
    /// The action.
    pub action: Action,
    /// Help text, Chinese.
    pub zh: &'static str,
    /// Help text, English.
    pub en: &'static str,
}

impl Binding {
    /// The help text in `lang`.
    pub fn help(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }
}

use KeyCode::{Char as C, Down as KDown, End as KEnd, Enter, Home, Left, Right, Up as KUp};

/// The browsing keys. `G` is the grade decision (as the issue names it), so the last line is
/// `End`; `g`/`Home` is the first.
pub const KEYMAP: &[Binding] = &[
    Binding {
        label: "j k ↑ ↓",
        keys: &[C('j'), KDown],
        action: Action::Down,
        zh: "上下移动",
        en: "move",
    },
    Binding {
        label: "",
        keys: &[C('k'), KUp],
        action: Action::Up,
        zh: "",
        en: "",
    },
    Binding {
        label: "g Home / End",
        keys: &[C('g'), Home],
        action: Action::Top,
        zh: "到顶 / 到底",
        en: "first / last line",
    },
    Binding {
        label: "",
        keys: &[KEnd],
        action: Action::Bottom,
        zh: "",
        en: "",
    },
    Binding {
        label: "h l ← →",
        keys: &[C('h'), Left],
        action: Action::Fold,
        zh: "折叠 / 展开大项",
        en: "fold / unfold a category",
    },
    Binding {
        label: "",
        keys: &[C('l'), Right],
        action: Action::Unfold,
        zh: "",
        en: "",
    },
    Binding {
        label: "/",
        keys: &[C('/')],
        action: Action::Filter,
        zh: "筛选项目（文字或拼音首字母，如 sszj）",
        en: "filter items (text or pinyin initials, e.g. sszj)",
    },
    Binding {
        label: "Enter",
        keys: &[Enter],
        action: Action::Add,
        zh: "记录扣分问题",
        en: "record a finding",
    },
    Binding {
        label: "n",
        keys: &[C('n')],
        action: Action::NotApplicable,
        zh: "不适用（切换）",
        en: "toggle not applicable",
    },
    Binding {
        label: "v",
        keys: &[C('v')],
        action: Action::Veto,
        zh: "一票否决项",
        en: "veto finding",
    },
    Binding {
        label: "b",
        keys: &[C('b')],
        action: Action::Bonus,
        zh: "加分项",
        en: "bonus",
    },
    Binding {
        label: "J K",
        keys: &[C('J')],
        action: Action::NextFinding,
        zh: "选择本项的问题记录",
        en: "select a finding of the item",
    },
    Binding {
        label: "",
        keys: &[C('K')],
        action: Action::PrevFinding,
        zh: "",
        en: "",
    },
    Binding {
        label: "x d",
        keys: &[C('x'), C('d')],
        action: Action::Delete,
        zh: "删除所选问题记录",
        en: "delete the selected finding",
    },
    Binding {
        label: "u",
        keys: &[C('u')],
        action: Action::Undo,
        zh: "撤销上一步",
        en: "undo the last change",
    },
    Binding {
        label: "[ ]",
        keys: &[C('[')],
        action: Action::PrevCase,
        zh: "上一案 / 下一案",
        en: "previous / next case",
    },
    Binding {
        label: "",
        keys: &[C(']')],
        action: Action::NextCase,
        zh: "",
        en: "",
    },
    Binding {
        label: "c",
        keys: &[C('c')],
        action: Action::Cases,
        zh: "案件列表（模糊查找、进度）",
        en: "case list (fuzzy search, progress)",
    },
    Binding {
        label: "e",
        keys: &[C('e')],
        action: Action::EditMeta,
        zh: "编辑案件信息",
        en: "edit case metadata",
    },
    Binding {
        label: "G",
        keys: &[C('G')],
        action: Action::Grade,
        zh: "认定等次（须填理由）",
        en: "decide the grade (reason required)",
    },
    Binding {
        label: "!",
        keys: &[C('!')],
        action: Action::Pending,
        zh: "标记待议（所选项目或全案）",
        en: "mark for discussion (item or case)",
    },
    Binding {
        label: "p",
        keys: &[C('p')],
        action: Action::PendingList,
        zh: "本轮全部待议",
        en: "everything marked for discussion",
    },
    Binding {
        label: "s",
        keys: &[C('s')],
        action: Action::Search,
        zh: "搜索本轮问题描述",
        en: "search notes of the round",
    },
    Binding {
        label: "f",
        keys: &[C('f')],
        action: Action::Done,
        zh: "本案评查完成（切换）",
        en: "mark the case done (toggle)",
    },
    Binding {
        label: "?",
        keys: &[C('?')],
        action: Action::Help,
        zh: "帮助",
        en: "help",
    },
    Binding {
        label: "q",
        keys: &[C('q')],
        action: Action::Quit,
        zh: "退出（随时已保存）",
        en: "quit (everything is saved)",
    },
];

/// Keys inside forms and lists, for the help overlay: (keys, zh, en).
pub const FORM_KEYS: &[(&str, &str, &str)] = &[
    ("1–9", "处数（按项扣分时）", "count (per-occurrence items)"),
    (
        "Tab Ctrl-N / S-Tab Ctrl-P",
        "轮换常见问题（填入描述和代码）",
        "cycle common problems (note and code)",
    ),
    ("Enter", "下一栏 / 保存", "next field / save"),
    ("↑ ↓", "切换栏目或列表项", "move between fields or list rows"),
    ("Esc", "取消（草稿随之清除）", "cancel (drops the draft)"),
];

/// The action bound to a key while browsing.
pub fn action(key: KeyEvent) -> Option<Action> {
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return None;
    }
    KEYMAP.iter().find(|b| b.keys.contains(&key.code)).map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_bound_once_and_every_action_has_help() {
        let mut seen = Vec::new();
        for b in KEYMAP {
            for k in b.keys {
                assert!(!seen.contains(k), "{k:?} bound twice");
                seen.push(*k);
            }
        }
        assert_eq!(action(KeyEvent::from(C('G'))), Some(Action::Grade));
        assert_eq!(action(KeyEvent::from(KDown)), Some(Action::Down));
        assert!(
            KEYMAP
                .iter()
                .filter(|b| !b.label.is_empty())
                .all(|b| !b.zh.is_empty() && !b.en.is_empty())
        );
    }
}
