//! Keys to actions. One table, [`KEYMAP`], drives both the browsing keys and the `?` help
//! overlay, so the help can never disagree with what the keys do; [`LEDGER_KEYS`] does the same
//! for the rectification ledger view, [`ENTRY_KEYS`] for the finding form, [`PICKER_KEYS`],
//! [`META_KEYS`], [`META_EDIT_KEYS`] and [`GRADE_KEYS`] for the lists and the other forms,
//! [`COMPARE_KEYS`] for the comparison of sheets, [`PROGRESS_KEYS`] for the progress view and
//! [`GLOBAL_KEYS`] for what works everywhere.
//! The hint lines of those views are made from the same rows ([`hint`]).

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
    /// Correct the selected finding (a new version of the same finding).
    Correct,
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
    /// Compare the reviewers' sheets of the case.
    Compare,
    /// The rectification ledger (整改台账).
    Ledger,
    /// The round's progress by reviewer (评查进度, for the group leader).
    TeamProgress,
    /// Clear the item filter.
    ClearFilter,
    /// Collapse or expand the case panel.
    CasePanel,
    /// Show the keys.
    Help,
    /// Quit.
    Quit,
}

/// What a key does in the rectification ledger view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerAction {
    /// Move down one entry.
    Down,
    /// Move up one entry.
    Up,
    /// First entry.
    Top,
    /// Last entry.
    Bottom,
    /// Next handling unit to filter by (after the last: all).
    NextUnit,
    /// Previous handling unit to filter by.
    PrevUnit,
    /// Next state to filter by (after 已销号: all).
    NextState,
    /// Overdue entries only (toggle).
    Overdue,
    /// Clear every filter.
    ClearFilters,
    /// 推进 the selected entry (with a note).
    Advance,
    /// 退回 the selected entry (with a note).
    Return,
    /// 销号 the selected entry (with a note).
    Close,
    /// Set the selected entry's deadline.
    Deadline,
    /// Edit the selected entry's 整改措施.
    Measures,
    /// Edit the selected entry's 佐证材料.
    Evidence,
    /// Add entries for new findings (`pingcha ledger sync`).
    Sync,
    /// Back to the rubric tree.
    Back,
}

/// One row of a key table: the keys, the action, and what the help says.
#[derive(Debug, Clone, Copy)]
pub struct Binding<A = Action> {
    /// The keys, as shown in the help.
    pub label: &'static str,
    /// The keys themselves, without Ctrl.
    pub keys: &'static [KeyCode],
    /// The keys that act with Ctrl held (`^S`, `^←`).
    pub ctrl: &'static [KeyCode],
    /// The action.
    pub action: A,
    /// Help text, Chinese.
    pub zh: &'static str,
    /// Help text, English.
    pub en: &'static str,
    /// The shorter words of a hint line, Chinese and English (empty: the help text).
    pub short: (&'static str, &'static str),
}

impl<A> Binding<A> {
    /// The help text in `lang`.
    pub fn help(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }

    /// The same row with Ctrl keys added.
    const fn with_ctrl(mut self, ctrl: &'static [KeyCode]) -> Self {
        self.ctrl = ctrl;
        self
    }

    /// The same row with shorter words for hint lines.
    const fn short(mut self, zh: &'static str, en: &'static str) -> Self {
        self.short = (zh, en);
        self
    }

    /// The words of a hint line in `lang`.
    pub fn hint_text(&self, lang: Lang) -> &'static str {
        match lang.pick(self.short.0, self.short.1) {
            "" => self.help(lang),
            short => short,
        }
    }
}

use KeyCode::{BackTab, Char as C, Down as KDown, End as KEnd, Enter, Esc, Home, Left, Right, Tab, Up as KUp};

/// A binding; `label` empty means the row above already describes it in the help.
const fn bind<A>(
    label: &'static str,
    keys: &'static [KeyCode],
    action: A,
    zh: &'static str,
    en: &'static str,
) -> Binding<A> {
    Binding {
        label,
        keys,
        ctrl: &[],
        action,
        zh,
        en,
        short: ("", ""),
    }
}

/// The browsing keys. `G` is the grade decision (as the issue names it), so the last line is
/// `End`; `g`/`Home` is the first.
pub const KEYMAP: &[Binding] = &[
    bind("j k ↑ ↓", &[C('j'), KDown], Action::Down, "上下移动", "move"),
    bind("", &[C('k'), KUp], Action::Up, "", ""),
    bind(
        "g / End",
        &[C('g'), Home],
        Action::Top,
        "到顶 / 到底（Home 亦可）",
        "first / last line",
    ),
    bind("", &[KEnd], Action::Bottom, "", ""),
    bind(
        "h l ← →",
        &[C('h'), Left],
        Action::Fold,
        "折叠 / 展开大项",
        "fold / unfold category",
    ),
    bind("", &[C('l'), Right], Action::Unfold, "", ""),
    bind(
        "/ Esc",
        &[C('/')],
        Action::Filter,
        "筛选：文字或拼音（Esc 清除）",
        "filter (text, pinyin sszj; Esc clears)",
    ),
    bind("", &[Esc], Action::ClearFilter, "", ""),
    bind(
        "Enter",
        &[Enter],
        Action::Add,
        "记录问题；大项上折叠/展开",
        "record a finding; on a category fold it",
    ),
    bind(
        "n",
        &[C('n')],
        Action::NotApplicable,
        "不适用（切换；可填理由）",
        "not applicable (toggle; reason optional)",
    ),
    bind("v", &[C('v')], Action::Veto, "一票否决项", "veto finding"),
    bind("b", &[C('b')], Action::Bonus, "加分项", "bonus"),
    bind(
        "J K",
        &[C('J')],
        Action::NextFinding,
        "选择本项的问题记录",
        "select a finding",
    ),
    bind("", &[C('K')], Action::PrevFinding, "", ""),
    bind(
        "x d",
        &[C('x'), C('d')],
        Action::Delete,
        "删除所选问题记录",
        "delete selected finding",
    ),
    bind(
        "r",
        &[C('r')],
        Action::Correct,
        "更正所选问题记录",
        "correct selected finding",
    ),
    bind("u", &[C('u')], Action::Undo, "撤销上一步", "undo last change"),
    bind(
        "[ ]",
        &[C('[')],
        Action::PrevCase,
        "上一案 / 下一案",
        "previous / next case",
    ),
    bind("", &[C(']')], Action::NextCase, "", ""),
    bind(
        "c",
        &[C('c')],
        Action::Cases,
        "案件列表（模糊查找）",
        "case list, fuzzy, progress",
    ),
    bind("e", &[C('e')], Action::EditMeta, "编辑案件信息", "edit case metadata"),
    bind(
        "G",
        &[C('G')],
        Action::Grade,
        "认定等次（须填理由）",
        "decide grade (with reason)",
    ),
    bind(
        "!",
        &[C('!')],
        Action::Pending,
        "待议（项目或全案，附理由）",
        "to discuss (item or case; reason optional)",
    ),
    bind(
        "p",
        &[C('p')],
        Action::PendingList,
        "本轮全部待议",
        "all to discuss in round",
    ),
    bind(
        "s",
        &[C('s')],
        Action::Search,
        "搜索本轮问题描述",
        "search notes of round",
    ),
    bind(
        "f",
        &[C('f')],
        Action::Done,
        "本案评查完成（切换）",
        "case done (toggle)",
    ),
    bind(
        "=",
        &[C('=')],
        Action::Compare,
        "对照各评查人评查表",
        "compare reviewers' sheets",
    ),
    bind(
        "L",
        &[C('L')],
        Action::Ledger,
        "整改台账（按期限着色）",
        "rectification ledger",
    ),
    bind(
        "P",
        &[C('P')],
        Action::TeamProgress,
        "评查进度：各评查人分配、完成、待议（组长用）",
        "round progress by reviewer (for leaders)",
    ),
    bind(
        "i",
        &[C('i')],
        Action::CasePanel,
        "案件栏收起为一行/展开",
        "case panel: one line / full",
    ),
    bind("?", &[C('?')], Action::Help, "帮助", "help"),
    bind(
        "q",
        &[C('q')],
        Action::Quit,
        "退出（随时已保存）",
        "quit (all is saved)",
    ),
];

/// The keys of the rectification ledger view (`L`). 推进, 退回 and 销号 each ask for a note.
pub const LEDGER_KEYS: &[Binding<LedgerAction>] = &[
    bind(
        "j k ↑ ↓",
        &[C('j'), KDown],
        LedgerAction::Down,
        "移动（g End 到顶/底）",
        "move (g End: ends)",
    ),
    bind("", &[C('k'), KUp], LedgerAction::Up, "", ""),
    bind("", &[C('g'), Home], LedgerAction::Top, "", ""),
    bind("", &[KEnd], LedgerAction::Bottom, "", ""),
    bind(
        "u U s o x",
        &[C('u')],
        LedgerAction::NextUnit,
        "筛选：单位/状态/逾期/清除",
        "filter unit/state/overdue/clear",
    )
    .short("单位", "unit"),
    bind("", &[C('U')], LedgerAction::PrevUnit, "", ""),
    bind("", &[C('s')], LedgerAction::NextState, "", "").short("状态", "state"),
    bind("", &[C('o')], LedgerAction::Overdue, "", "").short("逾期", "overdue"),
    bind("", &[C('x')], LedgerAction::ClearFilters, "", "").short("清除", "clear"),
    bind(
        "a r c",
        &[C('a')],
        LedgerAction::Advance,
        "推进/退回/销号（须填说明）",
        "advance/return/close + note",
    )
    .short("推进", "advance"),
    bind("", &[C('r')], LedgerAction::Return, "", "").short("退回", "return"),
    bind("", &[C('c')], LedgerAction::Close, "", "").short("销号", "close"),
    bind("d", &[C('d')], LedgerAction::Deadline, "整改期限", "set deadline").short("期限", "deadline"),
    bind(
        "m v",
        &[C('m')],
        LedgerAction::Measures,
        "整改措施/佐证材料",
        "measures/evidence",
    )
    .short("措施", "measures"),
    bind("", &[C('v')], LedgerAction::Evidence, "", "").short("材料", "evidence"),
    bind(
        "S",
        &[C('S')],
        LedgerAction::Sync,
        "同步台账（先询问）",
        "sync the ledger (asks first)",
    )
    .short("同步", "sync"),
    bind(
        "Esc q",
        &[Esc, C('q')],
        LedgerAction::Back,
        "返回评分表",
        "back to the rubric",
    )
    .short("返回", "back"),
];

/// What a key does in the finding form (the meaning of some depends on the field: Tab on the
/// count goes to the note with the first common problem, on 卷 to 页).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryAction {
    /// A count of 1–9 on an empty count field, moving on to the note.
    Count,
    /// The next common problem (or the next field).
    NextProblem,
    /// The previous common problem (or the field before).
    PrevProblem,
    /// 从重 on or off.
    Repeat,
    /// The next field, or save on the last.
    Next,
    /// A text-editing key of the field itself.
    Edit,
    /// Save now.
    Save,
    /// The field above.
    Up,
    /// The field below.
    Down,
    /// Cancel (asks once when something was typed).
    Cancel,
}

/// The keys of the finding form, in the order the help lists them.
pub const ENTRY_KEYS: &[Binding<EntryAction>] = &[
    bind(
        "1–9",
        &[C('1'), C('2'), C('3'), C('4'), C('5'), C('6'), C('7'), C('8'), C('9')],
        EntryAction::Count,
        "处数；≥10 则 ↑ 后输入整数",
        "count; ≥10: ↑, type it whole",
    ),
    bind(
        "Tab ^N",
        &[Tab],
        EntryAction::NextProblem,
        "下一常见问题，所输文字保留",
        "next common problem (typed text kept after it)",
    )
    .with_ctrl(&[C('n')]),
    bind(
        "S-Tab ^P",
        &[BackTab],
        EntryAction::PrevProblem,
        "上一个常见问题",
        "previous common problem",
    )
    .with_ctrl(&[C('p')]),
    bind(
        "^R",
        &[],
        EntryAction::Repeat,
        "从重（反馈后再次出现）",
        "repeat (fed back before)",
    )
    .with_ctrl(&[C('r')]),
    bind(
        "Enter",
        &[Enter],
        EntryAction::Next,
        "下一栏 / 保存",
        "next field / save",
    )
    .short("下一栏/保存", "next/save"),
    bind(
        "^← ^→",
        &[],
        EntryAction::Edit,
        "按分句移动（Home End）",
        "move by clause (Home End)",
    )
    .with_ctrl(&[Left, Right]),
    bind(
        "^S",
        &[],
        EntryAction::Save,
        "立即保存（沿用上次卷/页）",
        "save now (last volume/page)",
    )
    .with_ctrl(&[C('s')]),
    bind("↑ ↓", &[KUp], EntryAction::Up, "切换栏目或列表项", "other field or row"),
    bind("", &[KDown], EntryAction::Down, "", ""),
    bind(
        "Esc",
        &[Esc],
        EntryAction::Cancel,
        "取消；有输入时须按两次",
        "cancel; with typed text a second Esc discards",
    )
    .short("取消（有输入时问一次）", "cancel (asks if typed)"),
];

/// What works in every view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalAction {
    /// Quit at once; a half-typed finding stays as its draft.
    Quit,
}

/// The keys of every view.
pub const GLOBAL_KEYS: &[Binding<GlobalAction>] = &[bind(
    "^C",
    &[],
    GlobalAction::Quit,
    "随时退出（草稿保留）",
    "quit anywhere (keeps draft)",
)
.with_ctrl(&[C('c')])];

/// What a key does in a list with a query line (cases, 待议, note search); other keys edit
/// the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerAction {
    /// The next row.
    Down,
    /// The row above.
    Up,
    /// Open the selected row.
    Open,
    /// Compare the sheets of the selected case (the case list only).
    Compare,
    /// Only the cases assigned to the reviewer (我的案件), or all (the case list only).
    Mine,
    /// Close the list.
    Close,
}

/// The keys of the lists.
pub const PICKER_KEYS: &[Binding<PickerAction>] = &[
    bind("↑ ↓", &[KDown, Tab], PickerAction::Down, "上下移动", "move").with_ctrl(&[C('n'), C('j')]),
    bind("", &[KUp, BackTab], PickerAction::Up, "", "").with_ctrl(&[C('p'), C('k')]),
    bind("Enter", &[Enter], PickerAction::Open, "打开", "opens"),
    bind("=", &[C('=')], PickerAction::Compare, "对照各评查人", "compares sheets"),
    bind(
        "^O",
        &[],
        PickerAction::Mine,
        "案件列表：只看我的案件 / 全部",
        "case list: only my cases / all",
    )
    .with_ctrl(&[C('o')])
    .short("只看我的/全部", "mine/all"),
    bind("Esc", &[Esc], PickerAction::Close, "关闭", "closes"),
];

/// What a key does in the metadata form while a field is selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaAction {
    /// The next field.
    Down,
    /// The field above.
    Up,
    /// Edit the selected field.
    Edit,
    /// Close the form.
    Close,
}

/// The keys of the metadata form while a field is selected.
pub const META_KEYS: &[Binding<MetaAction>] = &[
    bind(
        "j k",
        &[C('j'), KDown, Tab],
        MetaAction::Down,
        "选择字段",
        "pick a field",
    ),
    bind("", &[C('k'), KUp, BackTab], MetaAction::Up, "", ""),
    bind("Enter", &[Enter], MetaAction::Edit, "编辑", "edits"),
    bind("Esc", &[Esc, C('q')], MetaAction::Close, "关闭", "closes"),
];

/// What a key does while a metadata value is edited; other keys edit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaEditAction {
    /// Save the value.
    Save,
    /// The next choice of a choice field.
    NextChoice,
    /// The previous choice.
    PrevChoice,
    /// Stop editing, keeping the stored value.
    Cancel,
}

/// The keys while a metadata value is edited.
pub const META_EDIT_KEYS: &[Binding<MetaEditAction>] = &[
    bind("Enter", &[Enter], MetaEditAction::Save, "保存", "saves"),
    bind("Tab", &[Tab], MetaEditAction::NextChoice, "轮换选项", "cycles choices"),
    bind("", &[BackTab], MetaEditAction::PrevChoice, "", ""),
    bind("Esc", &[Esc], MetaEditAction::Cancel, "取消", "cancels"),
];

/// What a key does in the grade-decision form; other keys edit the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradeAction {
    /// The next grade.
    Next,
    /// The grade before.
    Prev,
    /// Decide.
    Save,
    /// Close the form.
    Cancel,
}

/// The keys of the grade-decision form.
pub const GRADE_KEYS: &[Binding<GradeAction>] = &[
    bind("Tab/↑↓", &[Tab, KDown], GradeAction::Next, "选择等次", "picks a grade"),
    bind("", &[BackTab, KUp], GradeAction::Prev, "", ""),
    bind("Enter", &[Enter], GradeAction::Save, "保存", "saves"),
    bind("Esc", &[Esc], GradeAction::Cancel, "取消", "cancels"),
];

/// What a key does in the reason form of a 待议 or 不适用 mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkReasonAction {
    /// Set the mark, with the reason typed (none if empty).
    Save,
    /// Leave without marking (asks first when a reason was typed).
    Cancel,
}

/// The keys of the reason form of a 待议 or 不适用 mark (`!`, `n`); every other key types.
pub const MARK_REASON_KEYS: &[Binding<MarkReasonAction>] = &[
    bind(
        "Enter",
        &[Enter],
        MarkReasonAction::Save,
        "标记（理由可不填）",
        "marks it (the reason may be empty)",
    ),
    bind(
        "Esc",
        &[Esc],
        MarkReasonAction::Cancel,
        "不标记（已输入理由时先询问）",
        "leaves it unmarked (asks if a reason was typed)",
    )
    .short("不标记", "leaves it unmarked"),
];

/// What a key does in the comparison of sheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareAction {
    /// The next item.
    Down,
    /// The item above.
    Up,
    /// Every item, or only those some sheet says something about (toggle).
    All,
    /// Scroll the sheets right.
    Right,
    /// Scroll the sheets left.
    Left,
    /// Back to where it was opened from.
    Back,
}

/// The keys of the comparison of sheets.
pub const COMPARE_KEYS: &[Binding<CompareAction>] = &[
    bind("j k", &[C('j'), KDown], CompareAction::Down, "移动", "move"),
    bind("", &[C('k'), KUp], CompareAction::Up, "", ""),
    bind("a", &[C('a')], CompareAction::All, "全部项目", "all items"),
    bind(
        "h l",
        &[C('l'), Right],
        CompareAction::Right,
        "左右翻看评查表",
        "scroll sheets",
    ),
    bind("", &[C('h'), Left], CompareAction::Left, "", ""),
    bind("Esc", &[Esc, C('q')], CompareAction::Back, "返回", "back"),
];

/// What a key does in the progress view (`P`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressAction {
    /// The next reviewer.
    Down,
    /// The reviewer above.
    Up,
    /// The first line.
    Top,
    /// The last line.
    Bottom,
    /// Back to the rubric tree.
    Back,
}

/// The keys of the progress view.
pub const PROGRESS_KEYS: &[Binding<ProgressAction>] = &[
    bind("j k", &[C('j'), KDown], ProgressAction::Down, "移动", "move"),
    bind("", &[C('k'), KUp], ProgressAction::Up, "", ""),
    bind("", &[C('g'), Home], ProgressAction::Top, "", ""),
    bind("", &[KEnd], ProgressAction::Bottom, "", ""),
    bind("Esc q", &[Esc, C('q')], ProgressAction::Back, "返回", "back"),
];

/// One part of a hint line: the keys of `action` as the help labels them, and what they do.
pub fn hint<A: PartialEq>(table: &[Binding<A>], action: A, lang: Lang) -> String {
    table
        .iter()
        .find(|b| b.action == action)
        .map(|b| format!("{} {}", b.label, b.hint_text(lang)))
        .unwrap_or_default()
}

/// The ledger view's key line, made from [`LEDGER_KEYS`]: every row with short words, as
/// "a推进" / "a advance" (the moving keys go without saying), broken into lines of at most
/// `width` cells between keys.
pub fn ledger_key_lines(lang: Lang, width: usize) -> Vec<String> {
    let sep = lang.pick("", " ");
    let items: Vec<String> = LEDGER_KEYS
        .iter()
        .filter(|b| !lang.pick(b.short.0, b.short.1).is_empty())
        .filter_map(|b| {
            let key = match b.keys.first()? {
                C(c) => c.to_string(),
                Esc => "Esc".to_owned(),
                _ => return None,
            };
            Some(format!("{key}{sep}{}", b.hint_text(lang)))
        })
        .collect();
    let mut lines: Vec<String> = Vec::new();
    for item in items {
        match lines.last_mut() {
            Some(line) if super::text::width(line) + 1 + super::text::width(&item) <= width => {
                line.push(' ');
                line.push_str(&item);
            }
            _ => lines.push(item),
        }
    }
    lines
}

/// The keys of `action`, as the help labels them.
pub fn label<A: PartialEq>(table: &[Binding<A>], action: A) -> &'static str {
    table.iter().find(|b| b.action == action).map_or("", |b| b.label)
}

/// The action bound to a key while browsing.
pub fn action(key: KeyEvent) -> Option<Action> {
    lookup(KEYMAP, key)
}

/// The action bound to a key in the ledger view.
pub fn ledger_action(key: KeyEvent) -> Option<LedgerAction> {
    lookup(LEDGER_KEYS, key)
}

/// The action bound to a key in a view with its own table: `ascii` reads full-width keys as
/// their ASCII ones (commands; not in the finding form, where they are text). A Ctrl key is
/// looked up among the table's Ctrl keys; Ctrl with an arrow or Enter that is not one of them
/// acts as the plain key.
pub fn table_action<A: Copy>(table: &[Binding<A>], key: KeyEvent, ascii: bool) -> Option<A> {
    let key = if ascii { ascii_key(key) } else { key };
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        let held = table.iter().find(|b| b.ctrl.contains(&key.code)).map(|b| b.action);
        if held.is_some() || matches!(key.code, KeyCode::Char(_)) {
            return held;
        }
    }
    table.iter().find(|b| b.keys.contains(&key.code)).map(|b| b.action)
}

/// What works everywhere: Ctrl-C.
pub fn global_action(key: KeyEvent) -> Option<GlobalAction> {
    key.modifiers
        .contains(KeyModifiers::CONTROL)
        .then(|| table_action(GLOBAL_KEYS, key, false))
        .flatten()
}

fn lookup<A: Copy>(table: &[Binding<A>], key: KeyEvent) -> Option<A> {
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return None;
    }
    let key = ascii_key(key);
    table.iter().find(|b| b.keys.contains(&key.code)).map(|b| b.action)
}

/// The ASCII character a Chinese input method sends in full-width form (`】` for `]`, `？` for
/// `?`, `ｊ` for `j`, `２` for `2`), or `c` itself.
pub fn ascii(c: char) -> char {
    match c {
        // The full-width block mirrors ASCII 0x21–0x7E.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '】' => ']',
        '【' => '[',
        '。' => '.',
        '、' => '\\',
        '《' => '<',
        '》' => '>',
        '“' | '”' => '"',
        '‘' | '’' => '\'',
        '·' => '`',
        '…' => '^',
        '￥' => '$',
        c => c,
    }
}

/// A key read as a command: a full-width character taken as its ASCII key (see [`ascii`]).
pub fn ascii_key(mut key: KeyEvent) -> KeyEvent {
    if let KeyCode::Char(c) = key.code {
        key.code = KeyCode::Char(ascii(c));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_keys_are_read_as_their_ascii_keys() {
        let key = |c| KeyEvent::from(KeyCode::Char(c));
        assert_eq!(action(key('】')), Some(Action::NextCase));
        assert_eq!(action(key('【')), Some(Action::PrevCase));
        assert_eq!(action(key('？')), Some(Action::Help));
        assert_eq!(action(key('！')), Some(Action::Pending));
        assert_eq!(action(key('ｊ')), Some(Action::Down));
        assert_eq!(action(key('Ｊ')), Some(Action::NextFinding));
        assert_eq!(ascii('２'), '2');
        assert_eq!(ascii('．'), '.');
        assert_eq!(ascii('说'), '说');
    }

    fn bound_once<A>(table: &[Binding<A>]) {
        let mut seen = Vec::new();
        for b in table {
            for k in b
                .keys
                .iter()
                .map(|k| (false, k))
                .chain(b.ctrl.iter().map(|k| (true, k)))
            {
                assert!(!seen.contains(&k), "{k:?} bound twice");
                seen.push(k);
            }
        }
        assert!(
            table
                .iter()
                .filter(|b| !b.label.is_empty())
                .all(|b| !b.zh.is_empty() && !b.en.is_empty())
        );
    }

    #[test]
    fn every_key_is_bound_once_and_every_action_has_help() {
        bound_once(KEYMAP);
        bound_once(LEDGER_KEYS);
        bound_once(ENTRY_KEYS);
        bound_once(GLOBAL_KEYS);
        bound_once(PICKER_KEYS);
        bound_once(META_KEYS);
        bound_once(META_EDIT_KEYS);
        bound_once(GRADE_KEYS);
        bound_once(MARK_REASON_KEYS);
        bound_once(COMPARE_KEYS);
        bound_once(PROGRESS_KEYS);
        assert_eq!(action(KeyEvent::from(C('P'))), Some(Action::TeamProgress));
        assert_eq!(
            table_action(PICKER_KEYS, KeyEvent::new(C('o'), KeyModifiers::CONTROL), false),
            Some(PickerAction::Mine)
        );
        assert_eq!(action(KeyEvent::from(C('L'))), Some(Action::Ledger));
        assert_eq!(ledger_action(KeyEvent::from(C('c'))), Some(LedgerAction::Close));
        assert_eq!(ledger_action(KeyEvent::from(Esc)), Some(LedgerAction::Back));
        assert_eq!(action(KeyEvent::from(C('G'))), Some(Action::Grade));
        assert_eq!(action(KeyEvent::from(KDown)), Some(Action::Down));
    }

    #[test]
    fn form_tables_read_ctrl_keys_and_make_the_hint_lines() {
        let ctrl = |code| KeyEvent::new(code, KeyModifiers::CONTROL);
        assert_eq!(table_action(ENTRY_KEYS, ctrl(C('s')), false), Some(EntryAction::Save));
        assert_eq!(table_action(ENTRY_KEYS, ctrl(Left), false), Some(EntryAction::Edit));
        // Ctrl with a key that has no Ctrl binding: Enter stays Enter, a letter is nothing.
        assert_eq!(table_action(ENTRY_KEYS, ctrl(Enter), false), Some(EntryAction::Next));
        assert_eq!(table_action(ENTRY_KEYS, ctrl(C('x')), false), None);
        // In the finding form a full-width digit is not read as a key here (the field does).
        assert_eq!(table_action(ENTRY_KEYS, KeyEvent::from(C('２')), false), None);
        assert_eq!(
            table_action(COMPARE_KEYS, KeyEvent::from(C('ｊ')), true),
            Some(CompareAction::Down)
        );
        assert_eq!(global_action(ctrl(C('c'))), Some(GlobalAction::Quit));
        assert_eq!(global_action(KeyEvent::from(C('c'))), None);
        assert_eq!(hint(ENTRY_KEYS, EntryAction::Next, Lang::Zh), "Enter 下一栏/保存");
        assert_eq!(hint(PICKER_KEYS, PickerAction::Compare, Lang::En), "= compares sheets");
        assert_eq!(label(COMPARE_KEYS, CompareAction::All), "a");
    }

    #[test]
    fn the_readme_key_table_lists_every_key() {
        let readme = include_str!("../../README.md");
        let labels = KEYMAP
            .iter()
            .map(|b| b.label)
            .chain(LEDGER_KEYS.iter().map(|b| b.label));
        for token in labels.flat_map(str::split_whitespace) {
            assert!(readme.contains(&format!("`{token}`")), "README lacks `{token}`");
        }
    }
}
