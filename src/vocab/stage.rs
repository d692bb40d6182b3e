//! The review stages a case goes through.

use super::word::{UnknownWord, Word, stored_as_name};

/// A review stage: whose sheet it is in the case's life, and which sheet wins (the later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// 自评: the handling unit's self-review.
    SelfReview,
    /// 初评: initial review.
    Initial,
    /// 复核: re-check.
    Recheck,
    /// 终评: final assessment, what reports use.
    Final,
}

impl Stage {
    /// Every stage in order.
    pub const ALL: [Stage; 4] = [Stage::SelfReview, Stage::Initial, Stage::Recheck, Stage::Final];

    /// The Chinese name, as stored and shown.
    pub fn name(self) -> &'static str {
        match self {
            Stage::SelfReview => "自评",
            Stage::Initial => "初评",
            Stage::Recheck => "复核",
            Stage::Final => "终评",
        }
    }

    /// The English name, as the command line also takes it.
    pub fn key(self) -> &'static str {
        match self {
            Stage::SelfReview => "self",
            Stage::Initial => "initial",
            Stage::Recheck => "recheck",
            Stage::Final => "final",
        }
    }

    /// Parses a stage from its Chinese or English name.
    pub fn parse(s: &str) -> Result<Stage, UnknownWord> {
        Stage::ALL
            .into_iter()
            .find(|st| st.name() == s.trim() || st.key() == s.trim())
            .ok_or_else(|| UnknownWord::new(Word::Stage, s))
    }
}

stored_as_name!(Stage);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_strays_are_refused() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.name()), Ok(s));
            assert_eq!(Stage::parse(s.key()), Ok(s));
        }
        assert_eq!(Stage::parse(" 终评 "), Ok(Stage::Final));
        let e = Stage::parse("终审").unwrap_err();
        assert_eq!(e.word, Word::Stage);
        assert!(crate::lang::Localized::localized(&e, crate::lang::Lang::Zh).contains("自评、初评、复核、终评"));
    }
}
