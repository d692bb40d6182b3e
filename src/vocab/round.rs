//! What kind of review a round is and how it is done, as the round file records them.

use super::word::{UnknownWord, Word, stored_as_name};

/// 评查类型: why the round is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoundKind {
    /// 日常评查: routine.
    Routine,
    /// 全面评查: every case of a period.
    Full,
    /// 专项评查: one kind of case or problem.
    Special,
}

impl RoundKind {
    /// Every kind.
    pub const ALL: [RoundKind; 3] = [RoundKind::Routine, RoundKind::Full, RoundKind::Special];

    /// The Chinese name, as stored and shown (the field has no English usage).
    pub fn name(self) -> &'static str {
        match self {
            RoundKind::Routine => "日常",
            RoundKind::Full => "全面",
            RoundKind::Special => "专项",
        }
    }

    /// Parses a kind from its name, with or without the trailing 评查.
    pub fn parse(s: &str) -> Result<RoundKind, UnknownWord> {
        let t = s.trim().trim_end_matches("评查");
        RoundKind::ALL
            .into_iter()
            .find(|k| k.name() == t)
            .ok_or_else(|| UnknownWord::new(Word::RoundKind, s))
    }
}

stored_as_name!(RoundKind);

/// 评查方式: who reviews whose cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// 自查: units review their own cases.
    SelfCheck,
    /// 交叉评查: groups review other units' cases.
    Cross,
    /// 抽查: a sample is drawn.
    Sample,
    /// 协审: reviewers assist another office.
    Assisted,
}

impl Method {
    /// Every method.
    pub const ALL: [Method; 4] = [Method::SelfCheck, Method::Cross, Method::Sample, Method::Assisted];

    /// The Chinese name, as stored and shown.
    pub fn name(self) -> &'static str {
        match self {
            Method::SelfCheck => "自查",
            Method::Cross => "交叉",
            Method::Sample => "抽查",
            Method::Assisted => "协审",
        }
    }

    /// Parses a method from its name, with or without the trailing 评查.
    pub fn parse(s: &str) -> Result<Method, UnknownWord> {
        let t = s.trim().trim_end_matches("评查");
        Method::ALL
            .into_iter()
            .find(|m| m.name() == t)
            .ok_or_else(|| UnknownWord::new(Word::Method, s))
    }
}

stored_as_name!(Method);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_methods_read_with_or_without_the_suffix() {
        assert_eq!(RoundKind::parse("专项评查"), Ok(RoundKind::Special));
        assert_eq!(Method::parse("交叉"), Ok(Method::Cross));
        assert_eq!(Method::parse("交叉评查"), Ok(Method::Cross));
        assert!(Method::parse("互查").is_err());
    }
}
