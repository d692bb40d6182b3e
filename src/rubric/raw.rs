//! The rubric file as written: serde structures that keep source positions for validation.

use crate::points::Points;
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    pub rubric: Spanned<RawHeader>,
    #[serde(default)]
    pub grade: Vec<Spanned<RawGrade>>,
    #[serde(default)]
    pub field: Vec<Spanned<RawField>>,
    #[serde(default)]
    pub category: Vec<Spanned<RawCategory>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHeader {
    pub id: Spanned<String>,
    pub name: String,
    pub version: Spanned<String>,
    pub total: Spanned<Points>,
    pub ceiling: Option<Spanned<Points>>,
    pub bonus_cap: Option<Spanned<Points>>,
    pub na_policy: Option<Spanned<String>>,
    pub aggravation: Option<Spanned<RawAggravation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAggravation {
    pub multiplier: Option<i64>,
    pub extra: Option<Points>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGrade {
    pub name: Spanned<String>,
    pub min: Spanned<Points>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawField {
    pub key: Spanned<String>,
    pub label: String,
    pub kind: Spanned<String>,
    #[serde(default)]
    pub required: bool,
    pub choices: Option<Vec<String>>,
    pub not_before: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCategory {
    pub id: Spanned<String>,
    pub name: String,
    pub points: Spanned<Points>,
    pub max_deduction: Option<Spanned<Points>>,
    #[serde(default)]
    pub item: Vec<Spanned<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawItem {
    pub id: Spanned<String>,
    pub name: String,
    pub points: Spanned<Points>,
    pub rule: Option<Spanned<RawRule>>,
    #[serde(default)]
    pub problems: Vec<Spanned<RawProblem>>,
    #[serde(default)]
    pub subitem: Vec<Spanned<RawSubItem>>,
    pub paged: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSubItem {
    pub id: Spanned<String>,
    pub name: String,
    pub points: Option<Spanned<Points>>,
    pub rule: Spanned<RawRule>,
    #[serde(default)]
    pub problems: Vec<Spanned<RawProblem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProblem {
    pub code: Spanned<String>,
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    pub kind: Spanned<String>,
    pub amount: Option<Spanned<Points>>,
    pub min: Option<Spanned<Points>>,
    pub max: Option<Spanned<Points>>,
    pub step: Option<Spanned<Points>>,
    pub elements: Option<Spanned<Vec<String>>>,
    pub effect: Option<Spanned<String>>,
    pub grade: Option<Spanned<String>>,
}
