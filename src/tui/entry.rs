//! The finding entry form: count or amount, note with common problems, 卷 and 页; a draft on
//! every key; the finding written as one effect when Enter confirms it.

use super::keymap::{self, ENTRY_KEYS, EntryAction};
use super::message::Effect;
use super::model::{AutoRepeat, Entry, Mode, Model, Status, Step, Write};
use super::text::TextField;
use crate::ledger::repeat::Notice;
use crate::points::Points;
use crate::rubric::QuantityKind;
use crate::score::{Finding, Quantity, check_finding};
use crate::store::{Draft, FindingRecord, NewFinding, Repeat};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How many characters a note may hold: the store's limit on entered text, counted in the form
/// once a note nears it.
pub const NOTE_LIMIT: usize = crate::text::MAX_CHARS;

/// The draft of the finding being typed, as an effect.
pub(super) fn draft_effect(model: &Model) -> Vec<Effect> {
    // A correction is no new finding: its draft would come back as one.
    let Mode::Entry(e) = &model.mode else { return Vec::new() };
    if e.correcting.is_some() {
        return Vec::new();
    }
    vec![Effect::SaveDraft(Draft {
        case_id: e.case_id.clone(),
        node: e.node.clone(),
        quantity: e.quantity.text().to_owned(),
        note: e.note.text().to_owned(),
        problem: problem_code(model, e),
        volume: e.volume.text().to_owned(),
        page: e.page.text().to_owned(),
        repeat: e.repeat.clone(),
        reason_typed: match e.repeat {
            Repeat::Waived(_) => String::new(),
            _ => e.auto.reason.text().to_owned(),
        },
    })]
}

/// The entry form a saved draft describes, focused on the note.
pub(super) fn entry_from_draft(model: &Model, d: &Draft) -> Entry {
    let problem = d.problem.as_ref().and_then(|code| {
        model
            .rubric
            .scorable(&d.node)
            .and_then(|s| s.problems().position(|p| &p.code == code))
    });
    Entry {
        case_id: d.case_id.clone(),
        node: d.node.clone(),
        step: Step::Note,
        quantity: TextField::new(&d.quantity),
        note: TextField::new(&d.note),
        problem,
        volume: TextField::new(&d.volume),
        page: TextField::new(&d.page),
        repeat: d.repeat.clone(),
        auto: AutoRepeat {
            reason: TextField::new(d.repeat.waived().unwrap_or(&d.reason_typed)),
            restored_waiver: Some(d.repeat.waived().is_some()),
            ..AutoRepeat::default()
        },
        error: None,
        saving: false,
        unplaced_asked: false,
        correcting: None,
        discard: false,
    }
}

/// The entry form holding a recorded finding, to correct it: saving writes a new version of
/// the same finding. Its 从重 and the reason it was removed are settled like a restored draft's.
pub(super) fn entry_to_correct(model: &Model, f: &FindingRecord) -> Entry {
    let quantity = match f.quantity {
        Quantity::One => String::new(),
        Quantity::Count(n) => n.to_string(),
        Quantity::Amount(a) => a.to_string(),
    };
    let problem = f.problem.as_ref().and_then(|code| {
        model
            .rubric
            .scorable(&f.node)
            .and_then(|s| s.problems().position(|p| &p.code == code))
    });
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    Entry {
        case_id: model.case().map(|c| c.id.clone()).unwrap_or_default(),
        node: f.node.to_string(),
        step: Step::Note,
        quantity: TextField::new(&quantity),
        note: TextField::new(&f.note),
        problem,
        volume: TextField::new(&number(f.volume)),
        page: TextField::new(&number(f.page)),
        repeat: f.repeat.clone(),
        auto: AutoRepeat {
            reason: TextField::new(f.repeat.waived().unwrap_or_default()),
            restored_waiver: Some(f.repeat.waived().is_some()),
            ..AutoRepeat::default()
        },
        error: None,
        saving: false,
        unplaced_asked: false,
        correcting: Some(f.id.clone()),
        discard: false,
    }
}

/// Whether the form holds something the reviewer typed, which Esc must not drop unasked.
fn typed(e: &Entry) -> bool {
    e.note.edited() || e.quantity.edited() || e.volume.edited() || e.page.edited()
}

/// Puts common problem `new` into the note in place of `old` (the phrase picked before), or in
/// front of what the reviewer typed: the typed details survive every Tab.
fn put_phrase(note: &mut TextField, old: Option<&str>, new: &str) {
    let text = note.text();
    let joined = match old.filter(|o| !o.is_empty() && text.contains(*o)) {
        Some(o) => text.replacen(o, new, 1),
        None if text.trim().is_empty() => new.to_owned(),
        None => {
            let rest = text.trim_start();
            let punctuated = rest.starts_with(|c: char| c.is_ascii_punctuation() || "，。；：、（）".contains(c));
            format!("{new}{}{rest}", if punctuated { "" } else { "，" })
        }
    };
    note.set(&joined);
}

/// The picked common problem's code, while the note still holds its wording.
fn problem_code(model: &Model, e: &Entry) -> Option<String> {
    let p = model.rubric.scorable(&e.node)?.problems().nth(e.problem?)?;
    e.note.text().contains(p.text.as_str()).then(|| p.code.clone())
}

pub(super) fn entry_paste(model: &mut Model, text: &str) -> Vec<Effect> {
    let lang = model.opts.lang;
    let Some(kind) = (match &model.mode {
        Mode::Entry(e) if !e.saving => model.rubric.scorable(&e.node).map(|s| s.rule().quantity_kind()),
        _ => None,
    }) else {
        return Vec::new();
    };
    let Mode::Entry(e) = &mut model.mode else {
        return Vec::new();
    };
    e.discard = false;
    if let Some(allowed) = digits_of(e.step, kind) {
        let text: String = text.trim().chars().map(keymap::ascii).collect();
        if let Some(bad) = text.chars().find(|&c| !allowed(c)) {
            e.error = Some(not_a_digit(e.step, kind, bad, lang));
            return Vec::new();
        }
        e.error = None;
        field_of(e).insert(&text);
    } else {
        e.error = None;
        field_of(e).insert(text);
    }
    sync_repeat(model);
    draft_effect(model)
}

/// The characters a field takes, when it takes only digits (全角 digits count as digits).
fn digits_of(step: Step, kind: QuantityKind) -> Option<fn(char) -> bool> {
    match (step, kind) {
        (Step::Quantity, QuantityKind::Amount) => Some(|c| c.is_ascii_digit() || c == '.'),
        (Step::Quantity, _) | (Step::Volume, _) | (Step::Page, _) => Some(|c| c.is_ascii_digit()),
        _ => None,
    }
}

/// Why a character was not taken by a digit field, and where text goes instead.
fn not_a_digit(step: Step, kind: QuantityKind, c: char, lang: crate::lang::Lang) -> String {
    let what = match (step, kind) {
        (Step::Quantity, QuantityKind::Amount) => lang.pick("扣分只能填数字和小数点", "points take digits and a dot"),
        (Step::Quantity, _) => lang.pick("处数只能填数字", "the count takes digits"),
        (Step::Volume, _) => lang.pick("卷号只能填数字", "the volume takes digits"),
        _ => lang.pick("页码只能填数字", "the page takes digits"),
    };
    let hint = match step {
        Step::Quantity => lang.pick("问题描述在下一栏（Enter）", "the note is the next field (Enter)"),
        _ => lang.pick("问题描述在上面（↑）", "the note is above (↑)"),
    };
    match lang {
        crate::lang::Lang::Zh => format!("{what}，「{c}」未收入；{hint}"),
        crate::lang::Lang::En => format!("{what}; \"{c}\" not taken; {hint}"),
    }
}

fn field_of(e: &mut Entry) -> &mut TextField {
    match e.step {
        Step::Quantity => &mut e.quantity,
        Step::Note => &mut e.note,
        Step::Volume => &mut e.volume,
        Step::Page => &mut e.page,
        Step::Reason => &mut e.auto.reason,
    }
}

/// Applies or lifts the automatic 从重 when the picked common problem changes: on when it was
/// fed back to the case's unit before (the notice says where), off when it no longer is.
pub(super) fn sync_repeat(model: &mut Model) {
    let lang = model.opts.lang;
    let (Mode::Entry(e), Some(data)) = (&model.mode, &model.data) else {
        return;
    };
    if data.case.id != e.case_id {
        return;
    }
    let earlier = problem_code(model, e).and_then(|code| data.earlier.get(&code));
    let unchanged = match (&e.auto.notice, earlier) {
        (Some(n), Some(list)) => &n.earlier == list,
        (None, None) => true,
        _ => false,
    };
    let unit = data.case.field("unit").trim().to_owned();
    let Mode::Entry(e) = &mut model.mode else { return };
    // A restored draft is settled by the first look at its case's earlier problems.
    let restored = e.auto.restored_waiver.take();
    if unchanged {
        return;
    }
    let reason = e.auto.reason.text().trim().to_owned();
    let notice = earlier.map(|list| Notice {
        unit,
        earlier: list.clone(),
    });
    if let Some(back) = e.auto.back {
        e.step = back;
    }
    e.repeat = match &notice {
        Some(_) if restored == Some(true) && !reason.is_empty() => Repeat::Waived(reason),
        Some(_) => Repeat::Automatic,
        None => Repeat::No,
    };
    if let Some(n) = &notice {
        model.status = Status::Info(n.said(&e.repeat, lang));
    }
    let reason = match (&notice, restored) {
        // A reason being typed when the draft was saved is still there to finish.
        (Some(_), Some(false)) if e.repeat == Repeat::Automatic => e.auto.reason.clone(),
        // A removal kept (a correction, a restored draft) shows its reason.
        (Some(_), _) => TextField::new(e.repeat.waived().unwrap_or_default()),
        _ => TextField::default(),
    };
    e.auto = AutoRepeat {
        notice,
        reason,
        ..AutoRepeat::default()
    };
}

/// Ctrl-R: 从重 on or off. Turning off an automatic 从重 asks why first.
fn toggle_repeat(e: &mut Entry) {
    match (e.auto.notice.is_some(), e.repeat.applies()) {
        (true, true) => {
            e.auto.back = Some(e.step);
            e.step = Step::Reason;
        }
        (true, false) => {
            e.auto.reason.set("");
            e.repeat = Repeat::Automatic;
        }
        (false, true) => e.repeat = Repeat::No,
        (false, false) => e.repeat = Repeat::ByHand,
    }
}

/// Keys while the reason for removing the automatic 从重 is typed: Enter confirms it (it must
/// not be empty), Ctrl-S confirms and saves, Esc or Ctrl-R keeps the 从重.
fn reason_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let lang = model.opts.lang;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let Mode::Entry(e) = &mut model.mode else {
        return Vec::new();
    };
    let back = e.auto.back.unwrap_or(Step::Note);
    let cancel = key.code == KeyCode::Esc || (ctrl && key.code == KeyCode::Char('r'));
    let confirm = key.code == KeyCode::Enter || (ctrl && key.code == KeyCode::Char('s'));
    if cancel {
        e.step = back;
        e.auto.back = None;
        e.auto.reason.set("");
    } else if confirm {
        let why = e.auto.reason.text().trim().to_owned();
        if why.is_empty() {
            e.error = Some(
                lang.pick(
                    "不从重须写明理由（Esc 保留从重）",
                    "say why the 从重 is removed (Esc keeps it)",
                )
                .to_owned(),
            );
            return Vec::new();
        }
        e.repeat = Repeat::Waived(why);
        e.step = back;
        e.auto.back = None;
        if key.code != KeyCode::Enter {
            return entry_key(model, key);
        }
    } else if !e.auto.reason.key(key) {
        return Vec::new();
    }
    draft_effect(model)
}

pub(super) fn entry_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let (mode, s) = model.split();
    let lang = s.opts.lang;
    let Mode::Entry(e) = mode else {
        return Vec::new();
    };
    // The node's rule and common problems, read in place (nothing cloned per key).
    let Some(node) = s.rubric.scorable(&e.node).filter(|_| !e.saving) else {
        return Vec::new();
    };
    let kind = node.rule().quantity_kind();
    e.error = None;
    let asked = std::mem::take(&mut e.discard);
    // A digit field reads full-width digits as digits and refuses other text as it is typed.
    let mut key = key;
    if let (false, KeyCode::Char(c)) = (ctrl, key.code)
        && let Some(allowed) = digits_of(e.step, kind)
    {
        let c = keymap::ascii(c);
        if !allowed(c) {
            e.error = Some(not_a_digit(e.step, kind, c, lang));
            return Vec::new();
        }
        key.code = KeyCode::Char(c);
    }
    if e.step == Step::Reason {
        return reason_key(model, key);
    }
    let first = if kind == QuantityKind::None {
        Step::Note
    } else {
        Step::Quantity
    };
    let action = keymap::table_action(ENTRY_KEYS, key, false);
    let problems = node.problems().count();
    match (e.step, action) {
        (_, Some(EntryAction::Cancel)) if typed(e) && !asked => {
            e.discard = true;
            return Vec::new();
        }
        (_, Some(EntryAction::Cancel)) => {
            let what = if asked {
                lang.pick("已放弃所输入的内容", "typed text discarded")
            } else {
                lang.pick("已取消记录", "cancelled")
            };
            *mode = Mode::Browse;
            model.status = Status::Info(what.to_owned());
            return vec![Effect::ClearDraft];
        }
        (_, Some(EntryAction::Repeat)) => toggle_repeat(e),
        // Save now from any field, with the remembered 卷/页: `Enter Tab Ctrl-S` records the
        // first common problem in three keys.
        (_, Some(EntryAction::Save)) => {
            if kind == QuantityKind::Count && e.quantity.text().trim().is_empty() {
                e.quantity.set("1");
            }
            return match check_quantity(model, kind) {
                Ok(()) => submit(model, kind),
                Err(message) => {
                    set_error(model, message, Step::Quantity);
                    draft_effect(model)
                }
            };
        }
        (Step::Quantity, Some(EntryAction::Count)) if kind == QuantityKind::Count && e.quantity.text().is_empty() => {
            if let KeyCode::Char(c) = key.code {
                e.quantity.set(&c.to_string());
            }
            e.step = Step::Note;
        }
        (Step::Quantity, Some(EntryAction::Next | EntryAction::Down | EntryAction::NextProblem)) => {
            if kind == QuantityKind::Count && e.quantity.text().trim().is_empty() {
                e.quantity.set("1");
            }
            let tab = action == Some(EntryAction::NextProblem);
            match check_quantity(model, kind) {
                Ok(()) => set_step(model, Step::Note),
                Err(message) => set_error(model, message, Step::Quantity),
            }
            // Tab goes on to the note with the first common problem filled in, in front of
            // anything typed there already.
            let (mode, s) = model.split();
            if let (true, Mode::Entry(e)) = (tab, mode)
                && e.step == Step::Note
                && e.problem.is_none()
                && let Some(first) = s.rubric.scorable(&e.node).and_then(|n| n.problems().next())
            {
                put_phrase(&mut e.note, None, &first.text);
                e.problem = Some(0);
            }
        }
        (Step::Note, Some(back @ (EntryAction::NextProblem | EntryAction::PrevProblem))) if problems > 0 => {
            let n = problems;
            let next = match (e.problem, back == EntryAction::PrevProblem) {
                (None, false) => 0,
                (None, true) => n - 1,
                (Some(i), false) => (i + 1) % n,
                (Some(i), true) => (i + n - 1) % n,
            };
            let phrase = |i: usize| node.problems().nth(i).map(|p| p.text.as_str());
            let old = e.problem.and_then(phrase);
            put_phrase(&mut e.note, old, phrase(next).unwrap_or_default());
            e.problem = Some(next);
        }
        // One path whatever is remembered: 问题描述 → 卷 → 页, a remembered 卷/页 shown selected
        // so that typing replaces it and Enter keeps it.
        (Step::Note, Some(EntryAction::Next | EntryAction::Down)) => go(e, Step::Volume),
        (Step::Volume, Some(EntryAction::Next | EntryAction::Down | EntryAction::NextProblem)) => go(e, Step::Page),
        (Step::Note, Some(EntryAction::Up)) if first == Step::Quantity => go(e, Step::Quantity),
        (Step::Volume, Some(EntryAction::Up | EntryAction::PrevProblem)) => go(e, Step::Note),
        (Step::Page, Some(EntryAction::Up | EntryAction::PrevProblem)) => go(e, Step::Volume),
        (Step::Page, Some(EntryAction::Next)) => return submit(model, kind),
        _ => {
            if !field_of(e).key(key) {
                return Vec::new();
            }
        }
    }
    sync_repeat(model);
    draft_effect(model)
}

fn set_step(model: &mut Model, step: Step) {
    if let Mode::Entry(e) = &mut model.mode {
        e.step = step;
    }
}

/// Moves to a field. A count, 卷 or 页 is selected, so typing replaces it and Enter keeps it;
/// the note keeps its cursor at the end, so nothing typed there is replaced by a key.
pub(super) fn go(e: &mut Entry, step: Step) {
    e.step = step;
    match step {
        Step::Quantity => e.quantity.select(),
        Step::Volume => e.volume.select(),
        Step::Page => e.page.select(),
        Step::Note | Step::Reason => {}
    }
}

/// Says why the form was refused, with the cursor on the field at fault.
pub(super) fn set_error(model: &mut Model, message: String, field: Step) {
    if let Mode::Entry(e) = &mut model.mode {
        e.error = Some(message);
        e.saving = false;
        go(e, field);
    }
}

/// Parses the typed quantity; the rule check is the engine's.
fn quantity(model: &Model, kind: QuantityKind) -> Result<Quantity, String> {
    let lang = model.opts.lang;
    let Mode::Entry(e) = &model.mode else {
        return Err(String::new());
    };
    let text = e.quantity.text().trim();
    let q = match kind {
        QuantityKind::None => Quantity::One,
        QuantityKind::Count => Quantity::Count(text.parse().map_err(|_| {
            format!(
                "{}「{text}」",
                lang.pick("处数应为整数：", "count must be a whole number: ")
            )
        })?),
        QuantityKind::Amount => Quantity::Amount(text.parse::<Points>().map_err(|_| {
            format!(
                "{}「{text}」",
                lang.pick("扣分值无效（如 1.5）：", "not a point value (e.g. 1.5): ")
            )
        })?),
    };
    let finding = Finding {
        node: e.node.as_str().into(),
        quantity: q,
        repeat: false,
    };
    check_finding(&model.rubric, &finding).map_err(|err| crate::lang::Localized::localized(&err, lang))?;
    Ok(q)
}

fn check_quantity(model: &Model, kind: QuantityKind) -> Result<(), String> {
    quantity(model, kind).map(drop)
}

fn location(text: &str, what: &str, field: Step) -> Result<Option<u32>, (String, Step)> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| (format!("{what}「{text}」"), field))
}

fn submit(model: &mut Model, kind: QuantityKind) -> Vec<Effect> {
    let lang = model.opts.lang;
    // Traceability to the page is the point of a finding: without 卷/页 the form asks once,
    // unless the rubric says the item is judged on the file as a whole.
    let paged = match &model.mode {
        Mode::Entry(e) => model.rubric.scorable(&e.node).is_some_and(|s| s.paged()),
        _ => false,
    };
    if let Mode::Entry(e) = &mut model.mode
        && paged
        && !e.unplaced_asked
        && e.volume.text().trim().is_empty()
        && e.page.text().trim().is_empty()
    {
        e.unplaced_asked = true;
        e.error = Some(
            lang.pick(
                "未填写卷页，确认保存？再按一次保存，或填写卷/页（↑）",
                "no volume/page: save anyway? Press again to save, or fill them in (↑)",
            )
            .to_owned(),
        );
        return Vec::new();
    }
    let built = (|| {
        let Mode::Entry(e) = &model.mode else {
            return Err((String::new(), Step::Note));
        };
        let q = quantity(model, kind).map_err(|m| (m, Step::Quantity))?;
        let finding = NewFinding {
            node: e.node.clone(),
            quantity: q,
            note: e.note.text().to_owned(),
            volume: location(
                e.volume.text(),
                lang.pick("卷号应为数字：", "volume must be a number: "),
                Step::Volume,
            )?,
            page: location(
                e.page.text(),
                lang.pick("页码应为数字：", "page must be a number: "),
                Step::Page,
            )?,
            problem: problem_code(model, e),
            repeat: e.repeat.clone(),
        };
        let case_id = e.case_id.clone();
        Ok(match &e.correcting {
            Some(id) => Write::CorrectFinding {
                case_id,
                id: id.clone(),
                finding,
            },
            None => Write::AddFinding { case_id, finding },
        })
    })();
    match built {
        Ok(write) => {
            if let Mode::Entry(e) = &mut model.mode {
                e.saving = true;
            }
            vec![Effect::Write { write, undoable: true }]
        }
        Err((message, field)) => {
            set_error(model, message, field);
            Vec::new()
        }
    }
}
