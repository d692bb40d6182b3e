//! Parsing and validating a rubric file.

use super::error::{RubricError, RubricErrorKind as K, RubricErrors};
use super::model::*;
use super::raw::*;
use crate::points::Points;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// Reads and validates a rubric file; on error, every problem found, each with its position.
pub fn load_file(path: &Path) -> Result<(Rubric, String), RubricErrors> {
    let name = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|e| {
        RubricErrors(vec![RubricError {
            file: name.clone(),
            line: 1,
            column: 1,
            kind: K::Io(e.to_string()),
        }])
    })?;
    let rubric = load(&source, &name)?;
    Ok((rubric, source))
}

/// Parses and validates rubric TOML. `file` is used only in error messages.
pub fn load(source: &str, file: &str) -> Result<Rubric, RubricErrors> {
    let mut v = Validator {
        source,
        file,
        errors: Vec::new(),
    };
    let raw: RawFile = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            v.push(&span, translate_toml_error(e.message()));
            return Err(RubricErrors(v.errors));
        }
    };
    let rubric = v.build(raw);
    if v.errors.is_empty() {
        Ok(rubric)
    } else {
        v.errors.sort_by_key(|e| (e.line, e.column));
        Err(RubricErrors(v.errors))
    }
}

/// Turns serde/toml's English wording into an error kind with a Chinese message.
fn translate_toml_error(message: &str) -> K {
    let quoted = |s: &str| -> Vec<String> { s.split('`').skip(1).step_by(2).map(str::to_owned).collect() };
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let mut names = quoted(rest).into_iter();
        let key = names.next().unwrap_or_default();
        return K::UnknownKey {
            key,
            expected: names.collect::<Vec<_>>().join(", "),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return K::MissingKey(quoted(rest).into_iter().next().unwrap_or_default());
    }
    for hint in ["two decimal", "not a number", "too large", "not finite"] {
        if message.contains(hint) {
            return K::BadPoints(message.trim().to_owned());
        }
    }
    K::Syntax(message.trim().to_owned())
}

struct Validator<'a> {
    source: &'a str,
    file: &'a str,
    errors: Vec<RubricError>,
}

impl Validator<'_> {
    fn position(&self, offset: usize) -> (usize, usize) {
        let before = &self.source[..offset.min(self.source.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }

    fn push(&mut self, span: &Range<usize>, kind: K) {
        let (line, column) = self.position(span.start);
        self.errors.push(RubricError {
            file: self.file.to_owned(),
            line,
            column,
            kind,
        });
    }

    fn build(&mut self, raw: RawFile) -> Rubric {
        let header_span = raw.rubric.span();
        let h = raw.rubric.into_inner();
        let mut ids: HashMap<String, usize> = HashMap::new();
        self.nonempty(&h.id, "rubric.id");
        self.nonempty(&h.version, "rubric.version");

        let total = *h.total.get_ref();
        if total <= Points::ZERO {
            self.push(&h.total.span(), K::NotPositive("total"));
        }
        let ceiling = h.ceiling.as_ref().map_or(total, |c| *c.get_ref());
        if ceiling < total {
            let span = h.ceiling.as_ref().map_or(header_span.clone(), |c| c.span());
            self.push(&span, K::CeilingBelowTotal);
        }
        let bonus_cap = h.bonus_cap.as_ref().map_or(Points::ZERO, |c| *c.get_ref());
        if bonus_cap < Points::ZERO {
            self.push(
                &h.bonus_cap.as_ref().map_or(header_span.clone(), |c| c.span()),
                K::NotPositive("bonus_cap"),
            );
        }
        let na_policy = match h.na_policy.as_ref().map(|p| (p.get_ref().as_str(), p.span())) {
            None | Some(("full_marks", _)) => NaPolicy::FullMarks,
            Some(("rescale", _)) => NaPolicy::Rescale,
            Some((other, span)) => {
                self.push(
                    &span,
                    K::UnknownValue {
                        key: "na_policy".into(),
                        value: other.into(),
                        allowed: "full_marks, rescale",
                    },
                );
                NaPolicy::FullMarks
            }
        };
        let aggravation = h.aggravation.as_ref().and_then(|a| {
            let inner = a.get_ref();
            match (inner.multiplier, inner.extra) {
                (Some(m), None) if m >= 2 => Some(Aggravation::Multiplier(m)),
                (None, Some(e)) if e > Points::ZERO => Some(Aggravation::Extra(e)),
                _ => {
                    self.push(&a.span(), K::BadAggravation);
                    None
                }
            }
        });

        let document = raw.document.map(|d| self.document(d.into_inner())).unwrap_or_default();
        let grades = self.grades(&raw.grade, ceiling, &header_span);
        let fields = self.fields(&raw.field, &header_span);
        let ctx = RuleContext {
            grades: &grades,
            bonus_cap,
        };
        let mut categories = Vec::new();
        for c in raw.category {
            categories.push(self.category(c, &ctx, &mut ids));
        }
        let sum: Points = categories.iter().map(|c| c.points).sum();
        if sum != total {
            self.push(
                &h.total.span(),
                K::PointsDoNotAddUp {
                    node: h.id.get_ref().clone(),
                    declared: total,
                    sum,
                },
            );
        }
        Rubric {
            id: h.id.into_inner(),
            name: h.name,
            version: h.version.into_inner(),
            total,
            ceiling,
            bonus_cap,
            na_policy,
            grades,
            aggravation,
            fields,
            categories,
            document,
        }
    }

    /// The `[document]` table: every value optional, falling back to the neutral default.
    fn document(&mut self, raw: RawDocument) -> DocumentWords {
        let mut words = DocumentWords::default();
        if let Some(organ) = raw.organ {
            self.nonempty(&organ, "document.organ");
            words.organ = organ.into_inner().trim().to_owned();
        }
        if let Some(to) = raw.report_to {
            self.nonempty(&to, "document.report_to");
            words.report_to = to.into_inner().trim().to_owned();
        }
        if let Some(days) = raw.rectify_days {
            if *days.get_ref() == 0 {
                self.push(&days.span(), K::NotPositive("document.rectify_days"));
            }
            words.rectify_days = days.into_inner();
        }
        if let Some(number) = raw.number {
            if !number.get_ref().contains("{n}") {
                self.push(&number.span(), K::NumberWithoutPlaceholder);
            }
            words.number = number.into_inner().trim().to_owned();
        }
        words.follow_up = raw.follow_up.unwrap_or_default().trim().to_owned();
        words
    }

    fn nonempty(&mut self, s: &Spanned<String>, what: &'static str) {
        if s.get_ref().trim().is_empty() {
            self.push(&s.span(), K::Empty(what));
        }
    }

    fn unique_id(&mut self, id: &Spanned<String>, ids: &mut HashMap<String, usize>) {
        self.nonempty(id, "id");
        let (line, _) = self.position(id.span().start);
        if let Some(&first_line) = ids.get(id.get_ref()) {
            self.push(
                &id.span(),
                K::DuplicateId {
                    id: id.get_ref().clone(),
                    first_line,
                },
            );
        } else {
            ids.insert(id.get_ref().clone(), line);
        }
    }

    fn grades(&mut self, raw: &[Spanned<RawGrade>], ceiling: Points, header: &Range<usize>) -> Vec<GradeBand> {
        if raw.is_empty() {
            self.push(header, K::NoGrades);
            return vec![GradeBand {
                name: String::new(),
                min: Points::ZERO,
            }];
        }
        let mut bands: Vec<GradeBand> = Vec::new();
        for g in raw {
            let g = g.get_ref();
            let (name, min) = (g.name.get_ref(), *g.min.get_ref());
            self.nonempty(&g.name, "grade.name");
            if bands.iter().any(|b| &b.name == name) {
                self.push(&g.name.span(), K::DuplicateGrade(name.clone()));
            }
            if bands.last().is_some_and(|b| b.min <= min) {
                self.push(&g.min.span(), K::BandsOutOfOrder { grade: name.clone() });
            }
            if min > ceiling {
                self.push(&g.min.span(), K::BandAboveCeiling(name.clone()));
            }
            bands.push(GradeBand {
                name: name.clone(),
                min,
            });
        }
        if let (Some(last), Some(raw_last)) = (bands.last(), raw.last())
            && last.min != Points::ZERO
        {
            self.push(&raw_last.get_ref().min.span(), K::LowestBandNotZero(last.name.clone()));
        }
        bands
    }

    fn fields(&mut self, raw: &[Spanned<RawField>], header: &Range<usize>) -> Vec<Field> {
        let mut fields: Vec<Field> = Vec::new();
        for f in raw {
            let f = f.get_ref();
            let key = f.key.get_ref();
            self.nonempty(&f.key, "field.key");
            if fields.iter().any(|x| &x.key == key) {
                self.push(
                    &f.key.span(),
                    K::DuplicateId {
                        id: key.clone(),
                        first_line: 0,
                    },
                );
            }
            let kind = match (f.kind.get_ref().as_str(), &f.choices) {
                ("text", None) => FieldKind::Text,
                ("date", None) => FieldKind::Date,
                ("number", None) => FieldKind::Number,
                ("choice", Some(c)) if !c.is_empty() => FieldKind::Choice(c.clone()),
                ("text" | "date" | "number" | "choice", _) => {
                    self.push(&f.kind.span(), K::BadChoices(key.clone()));
                    FieldKind::Text
                }
                (other, _) => {
                    self.push(
                        &f.kind.span(),
                        K::UnknownValue {
                            key: "kind".into(),
                            value: other.into(),
                            allowed: "text, date, number, choice",
                        },
                    );
                    FieldKind::Text
                }
            };
            fields.push(Field {
                key: key.clone(),
                label: f.label.clone(),
                kind,
                required: f.required,
                not_before: f.not_before.as_ref().map(|k| k.get_ref().trim().to_owned()),
            });
        }
        for (f, raw) in fields.iter().zip(raw) {
            let (Some(other), Some(span)) = (&f.not_before, raw.get_ref().not_before.as_ref()) else {
                continue;
            };
            let is_date = |key: &str| fields.iter().any(|x| x.key == key && x.kind == FieldKind::Date);
            if other == &f.key || !is_date(other) || f.kind != FieldKind::Date {
                self.push(&span.span(), K::BadOrder(f.key.clone(), other.clone()));
            }
        }
        if !fields.iter().any(|f| f.key == CASE_NO) {
            self.push(header, K::NoCaseNumberField);
        }
        fields
    }

    fn category(&mut self, raw: Spanned<RawCategory>, ctx: &RuleContext, ids: &mut HashMap<String, usize>) -> Category {
        let c = raw.into_inner();
        self.unique_id(&c.id, ids);
        let points = *c.points.get_ref();
        let items: Vec<Item> = c.item.into_iter().map(|i| self.item(i, ctx, ids)).collect();
        let sum: Points = items.iter().map(|i| i.points).sum();
        if sum != points {
            self.push(
                &c.points.span(),
                K::PointsDoNotAddUp {
                    node: c.id.get_ref().clone(),
                    declared: points,
                    sum,
                },
            );
        }
        let max_deduction = c.max_deduction.map(|m| {
            if *m.get_ref() > points {
                self.push(&m.span(), K::MaxDeductionTooLarge(c.id.get_ref().clone()));
            }
            if *m.get_ref() <= Points::ZERO {
                self.push(&m.span(), K::NotPositive("max_deduction"));
            }
            m.into_inner()
        });
        Category {
            id: c.id.into_inner().into(),
            name: c.name.into(),
            points,
            max_deduction,
            items,
        }
    }

    fn item(&mut self, raw: Spanned<RawItem>, ctx: &RuleContext, ids: &mut HashMap<String, usize>) -> Item {
        let span = raw.span();
        let i = raw.into_inner();
        self.unique_id(&i.id, ids);
        let id = i.id.get_ref().clone();
        let points = *i.points.get_ref();
        if points < Points::ZERO {
            self.push(&i.points.span(), K::NotPositive("points"));
        }
        let problems = self.problems(&i.problems);
        let rule = match (&i.rule, i.subitem.is_empty()) {
            (Some(r), true) => Some(self.rule(r, &id, points, &i.points.span(), ctx)),
            (Some(r), false) => {
                self.push(&r.span(), K::RuleAndSubitems(id.clone()));
                None
            }
            (None, true) => {
                self.push(&span, K::NoRule(id.clone()));
                None
            }
            (None, false) => None,
        };
        let subitems = i
            .subitem
            .into_iter()
            .map(|s| {
                let s = s.into_inner();
                self.unique_id(&s.id, ids);
                let sub_points = s.points.as_ref().map_or(points, |p| *p.get_ref());
                let points_span = s.points.as_ref().map_or(s.rule.span(), |p| p.span());
                if sub_points > points {
                    self.push(&points_span, K::SubitemExceedsItem(s.id.get_ref().clone()));
                }
                // A forfeit sub-item takes the whole item, so it is checked against the item's points.
                let rule = self.rule(&s.rule, s.id.get_ref(), sub_points, &points_span, ctx);
                SubItem {
                    problems: self.problems(&s.problems),
                    id: s.id.into_inner().into(),
                    name: s.name.into(),
                    points: sub_points,
                    rule,
                }
            })
            .collect();
        Item {
            id: id.into(),
            name: i.name.into(),
            points,
            rule,
            subitems,
            problems,
            paged: i.paged.unwrap_or(true),
        }
    }

    fn problems(&mut self, raw: &[Spanned<RawProblem>]) -> Vec<Problem> {
        raw.iter()
            .map(|p| {
                let p = p.get_ref();
                self.nonempty(&p.code, "problems.code");
                Problem {
                    code: p.code.get_ref().clone(),
                    text: p.text.as_str().into(),
                }
            })
            .collect()
    }

    fn rule(
        &mut self,
        raw: &Spanned<RawRule>,
        node: &str,
        points: Points,
        points_span: &Range<usize>,
        ctx: &RuleContext,
    ) -> Rule {
        let r = raw.get_ref();
        let kind = r.kind.get_ref().as_str();
        let params: [(&'static str, Option<Range<usize>>); 7] = [
            ("amount", r.amount.as_ref().map(|x| x.span())),
            ("min", r.min.as_ref().map(|x| x.span())),
            ("max", r.max.as_ref().map(|x| x.span())),
            ("step", r.step.as_ref().map(|x| x.span())),
            ("elements", r.elements.as_ref().map(|x| x.span())),
            ("effect", r.effect.as_ref().map(|x| x.span())),
            ("grade", r.grade.as_ref().map(|x| x.span())),
        ];
        let uses: &[&str] = match kind {
            "pass_fail" | "forfeit" => &[],
            "per_occurrence" | "bonus" => &["amount"],
            "per_missing" => &["amount", "elements"],
            "range" => &["min", "max", "step"],
            "catch_all" => &["step"],
            "veto" => &["effect"],
            "grade_cap" => &["grade"],
            other => {
                self.push(&r.kind.span(), K::UnknownRuleKind(other.into()));
                return Rule::PassFail;
            }
        };
        for (name, span) in &params {
            if let Some(span) = span
                && !uses.contains(name)
            {
                self.push(
                    span,
                    K::RuleParamUnused {
                        kind: kind.into(),
                        param: name,
                    },
                );
            }
        }
        let need = |v: &Option<Spanned<Points>>, param: &'static str, this: &mut Self| -> Points {
            match v {
                Some(p) if *p.get_ref() > Points::ZERO => *p.get_ref(),
                Some(p) => {
                    this.push(&p.span(), K::NotPositive(param));
                    Points::whole(1)
                }
                None => {
                    this.push(
                        &raw.span(),
                        K::RuleParamMissing {
                            kind: kind.into(),
                            param,
                        },
                    );
                    Points::whole(1)
                }
            }
        };
        let rule = match kind {
            "pass_fail" => Rule::PassFail,
            "forfeit" => Rule::Forfeit,
            "per_occurrence" => Rule::PerOccurrence {
                amount: need(&r.amount, "amount", self),
            },
            "per_missing" => {
                let amount = need(&r.amount, "amount", self);
                let elements = r.elements.as_ref().map(|e| e.get_ref().clone()).unwrap_or_default();
                if elements.is_empty() {
                    self.push(&raw.span(), K::EmptyChecklist(node.into()));
                }
                Rule::PerMissing { amount, elements }
            }
            "range" => {
                let min = need(&r.min, "min", self);
                let max = need(&r.max, "max", self);
                let step = need(&r.step, "step", self);
                let problem = if min > max {
                    Some(format!("min {min} > max {max}"))
                } else if max > points {
                    Some(format!("max {max} > {points} ({node})"))
                } else if !(max - min).is_multiple_of(step) || !min.is_multiple_of(step) {
                    Some(format!("step {step}: {min}–{max}"))
                } else {
                    None
                };
                if let Some(why) = problem {
                    self.push(&raw.span(), K::BadRange(why));
                }
                Rule::Range { min, max, step }
            }
            "catch_all" => Rule::CatchAll {
                step: r
                    .step
                    .as_ref()
                    .map_or(Points::from_hundredths(50), |_| need(&r.step, "step", self)),
            },
            "veto" => Rule::Veto {
                effect: match r.effect.as_ref().map(|e| (e.get_ref().as_str(), e.span())) {
                    None | Some(("lowest_grade", _)) => VetoEffect::LowestGrade,
                    Some(("zero_total", _)) => VetoEffect::ZeroTotal,
                    Some((other, span)) => {
                        self.push(
                            &span,
                            K::UnknownValue {
                                key: "effect".into(),
                                value: other.into(),
                                allowed: "lowest_grade, zero_total",
                            },
                        );
                        VetoEffect::LowestGrade
                    }
                },
            },
            "grade_cap" => match &r.grade {
                Some(g) => {
                    let name = g.get_ref();
                    match ctx.grades.iter().position(|b| &b.name == name) {
                        None => self.push(&g.span(), K::UnknownGrade(name.clone())),
                        Some(0) => self.push(&g.span(), K::CapToBestGrade(name.clone())),
                        Some(_) => {}
                    }
                    Rule::GradeCap { grade: name.clone() }
                }
                None => {
                    self.push(
                        &raw.span(),
                        K::RuleParamMissing {
                            kind: kind.into(),
                            param: "grade",
                        },
                    );
                    Rule::PassFail
                }
            },
            _ => Rule::Bonus {
                amount: need(&r.amount, "amount", self),
            },
        };
        self.check_points_fit(&rule, node, points, points_span, ctx);
        rule
    }

    fn check_points_fit(&mut self, rule: &Rule, node: &str, points: Points, span: &Range<usize>, ctx: &RuleContext) {
        if !rule.deducts() {
            if points != Points::ZERO {
                self.push(
                    span,
                    K::PointsOnNonDeducting {
                        node: node.into(),
                        kind: rule.kind_name().into(),
                    },
                );
            }
            if let Rule::Bonus { amount } = rule
                && *amount > ctx.bonus_cap
            {
                self.push(span, K::BonusOverCap(node.into()));
            }
            return;
        }
        if points <= Points::ZERO {
            self.push(span, K::ZeroPoints(node.into()));
            return;
        }
        if let Rule::PerOccurrence { amount } | Rule::PerMissing { amount, .. } = rule
            && *amount > points
        {
            self.push(
                span,
                K::AmountExceedsPoints {
                    node: node.into(),
                    amount: *amount,
                    points,
                },
            );
        }
    }
}

struct RuleContext<'a> {
    grades: &'a [GradeBand],
    bonus_cap: Points,
}
