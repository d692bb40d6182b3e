//! 从重: a finding that repeats a problem fed back to the unit before is deducted more heavily.
//!
//! One type for what used to be four encodings (a flag and a reason on the finding, three
//! fields on the draft, a flag and a notice on the screen, a mark built in the reports), so the
//! store, the draft, the entry form and every document agree on what a finding's 从重 is.

use crate::lang::Lang;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// Whether and why a finding is deducted as a repeat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Repeat {
    /// Not a repeat.
    #[default]
    No,
    /// Marked 从重 by the reviewer.
    ByHand,
    /// 从重 applied because the problem was fed back to the case's unit before.
    Automatic,
    /// That automatic 从重 removed by the reviewer, with the reason they gave.
    Waived(String),
}

impl Repeat {
    /// True when the heavier deduction applies (by hand or automatic).
    pub fn applies(&self) -> bool {
        matches!(self, Repeat::ByHand | Repeat::Automatic)
    }

    /// The reviewer's reason for removing an automatic 从重, if they did.
    pub fn waived(&self) -> Option<&str> {
        match self {
            Repeat::Waived(why) => Some(why),
            _ => None,
        }
    }

    /// The same with a removal reason trimmed; a blank reason is no removal.
    pub fn trimmed(&self) -> Repeat {
        match self {
            Repeat::Waived(why) if why.trim().is_empty() => Repeat::No,
            Repeat::Waived(why) => Repeat::Waived(why.trim().to_owned()),
            other => other.clone(),
        }
    }

    /// The short label of lists and details: 从重, 不从重, or empty.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            Repeat::No => "",
            Repeat::ByHand | Repeat::Automatic => lang.pick("从重", "repeat"),
            Repeat::Waived(_) => lang.pick("不从重", "repeat removed"),
        }
    }

    /// The 从重 column of the handed-over problem lists: 从重, 不从重：理由, or empty.
    pub fn mark(&self, lang: Lang) -> String {
        match self {
            Repeat::Waived(why) => format!("{}{why}", lang.pick("不从重：", "repeat removed: ")),
            other => other.label(lang).to_owned(),
        }
    }

    /// The two columns a finding (and its draft) stores: the flag (0 none or removed, 1 by
    /// hand, 2 automatic) and the removal reason (`""` when not removed).
    ///
    /// Files written before the flag told hand from automatic hold 1 for both; older readers
    /// take any non-zero flag as 从重, which is still right.
    pub fn columns(&self) -> (i64, &str) {
        match self {
            Repeat::No => (0, ""),
            Repeat::ByHand => (1, ""),
            Repeat::Automatic => (2, ""),
            Repeat::Waived(why) => (0, why),
        }
    }

    /// Reads the two stored columns back (see [`Repeat::columns`]); a reason wins over the flag.
    pub fn from_columns(flag: i64, waived: String) -> Repeat {
        match (flag, waived.trim().is_empty()) {
            (_, false) => Repeat::Waived(waived),
            (0, true) => Repeat::No,
            (2, true) => Repeat::Automatic,
            (_, true) => Repeat::ByHand,
        }
    }
}

/// Serialised as the two fields JSON readers have always seen, `repeat` (whether it applies)
/// and `repeat_waived` (the reason or null), plus `repeat_by` (`"hand"` or `"automatic"` when
/// it applies), flattened into the finding.
impl Serialize for Repeat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("Repeat", 3)?;
        out.serialize_field("repeat", &self.applies())?;
        out.serialize_field("repeat_waived", &self.waived())?;
        let by = match self {
            Repeat::ByHand => Some("hand"),
            Repeat::Automatic => Some("automatic"),
            Repeat::No | Repeat::Waived(_) => None,
        };
        out.serialize_field("repeat_by", &by)?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_comes_back_from_its_columns() {
        for r in [
            Repeat::No,
            Repeat::ByHand,
            Repeat::Automatic,
            Repeat::Waived("本案办理早于整改".into()),
        ] {
            let (flag, why) = r.columns();
            assert_eq!(Repeat::from_columns(flag, why.to_owned()), r);
        }
    }

    #[test]
    fn an_older_file_flag_reads_as_applying() {
        assert!(Repeat::from_columns(1, String::new()).applies());
        assert_eq!(Repeat::from_columns(0, "   ".into()), Repeat::No);
    }

    #[test]
    fn the_marks_say_applies_or_why_not() {
        assert_eq!(Repeat::Automatic.mark(Lang::Zh), "从重");
        assert_eq!(Repeat::No.mark(Lang::Zh), "");
        assert_eq!(Repeat::Waived("整改前办理".into()).mark(Lang::Zh), "不从重：整改前办理");
    }

    #[test]
    fn json_keeps_the_fields_readers_know() {
        #[derive(serde::Serialize)]
        struct F {
            #[serde(flatten)]
            repeat: Repeat,
        }
        let json = serde_json::to_value(F {
            repeat: Repeat::Waived("已整改".into()),
        })
        .unwrap();
        assert_eq!(json["repeat"], false);
        assert_eq!(json["repeat_waived"], "已整改");
        assert!(json["repeat_by"].is_null());
    }
}
