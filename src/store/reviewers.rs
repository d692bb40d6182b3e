//! The round's roster (评查人员名单): reviewers with their unit (回避), group (评查组) and
//! whether they lead it. Names on the roster are the only ones that may write sheets.

use super::{Result, Store, StoreError, ids};
use serde::Serialize;

/// A reviewer of the round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reviewer {
    /// Stable id (round × name).
    pub id: String,
    /// Name.
    pub name: String,
    /// Review group, or "".
    pub group: String,
    /// The reviewer's own unit, or "": they are never assigned its cases.
    pub unit: String,
    /// Group leader (组长): may delete findings on a 终评 sheet.
    pub leader: bool,
}

/// A roster line as the organiser gives it (`reviewer add`, a roster file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewReviewer {
    /// Name.
    pub name: String,
    /// Unit, or "".
    pub unit: String,
    /// Group, or "".
    pub group: String,
    /// Group leader.
    pub leader: bool,
}

impl NewReviewer {
    /// A roster line with only a name (`round new --reviewers 张三，李四`).
    pub fn named(name: &str) -> NewReviewer {
        NewReviewer {
            name: name.trim().to_owned(),
            ..NewReviewer::default()
        }
    }
}

/// How many names a refusal suggests.
const SUGGESTIONS: usize = 3;

impl Store {
    /// Puts reviewers on the roster; a name already there takes the new unit, group and role.
    pub fn add_reviewers(&mut self, reviewers: &[NewReviewer]) -> Result<()> {
        let round_id = self.round()?.id;
        self.write(|tx, w| {
            for r in reviewers.iter().filter(|r| !r.name.trim().is_empty()) {
                let name = r.name.trim();
                tx.execute(
                    "INSERT INTO reviewer (id, name, grp, unit, leader, listed, deleted, hlc, replica)
                     VALUES (?1, ?2, ?3, ?4, ?5, 1, 0, ?6, ?7)
                     ON CONFLICT (id) DO UPDATE SET grp = excluded.grp, unit = excluded.unit,
                       leader = excluded.leader, listed = 1, deleted = 0, hlc = excluded.hlc, replica = excluded.replica",
                    (
                        ids::reviewer_id(&round_id, name),
                        name,
                        r.group.trim(),
                        r.unit.trim(),
                        r.leader,
                        w.stamp.0,
                        w.replica,
                    ),
                )
                .map_err(w.err())?;
            }
            Ok(())
        })
    }

    /// Takes a reviewer off the roster (a tombstone, so it merges); their sheets stay.
    pub fn remove_reviewer(&mut self, name: &str) -> Result<Reviewer> {
        let reviewer = self.roster_member(name)?;
        self.write(|tx, w| {
            tx.execute(
                "UPDATE reviewer SET deleted = 1, hlc = ?2, replica = ?3 WHERE id = ?1",
                (&reviewer.id, w.stamp.0, w.replica),
            )
            .map_err(w.err())?;
            Ok(())
        })?;
        Ok(reviewer)
    }

    /// The round's live reviewers, by name.
    pub fn reviewers(&self) -> Result<Vec<Reviewer>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, grp, unit, leader FROM reviewer WHERE deleted = 0 ORDER BY name")
            .map_err(self.err())?;
        stmt.query_map([], |r| {
            Ok(Reviewer {
                id: r.get(0)?,
                name: r.get(1)?,
                group: r.get(2)?,
                unit: r.get(3)?,
                leader: r.get(4)?,
            })
        })
        .map_err(self.err())?
        .collect::<rusqlite::Result<_>>()
        .map_err(self.err())
    }

    /// Whether the organiser listed a roster. A round without one (made before rosters, or
    /// without `--reviewers`) accepts any name, as it always did.
    pub fn has_roster(&self) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM reviewer WHERE deleted = 0 AND listed = 1)",
                [],
                |r| r.get(0),
            )
            .map_err(self.err())
    }

    /// The roster's reviewer of this exact name; an unknown or near-miss name ("郭 婷") is
    /// refused with the closest names on the roster. A round without a roster accepts any name.
    pub fn check_reviewer(&self, name: &str) -> Result<Option<Reviewer>> {
        if !self.has_roster()? {
            return Ok(None);
        }
        self.roster_member(name).map(Some)
    }

    fn roster_member(&self, name: &str) -> Result<Reviewer> {
        let roster = self.reviewers()?;
        let name = name.trim();
        if let Some(r) = roster.iter().find(|r| r.name == name) {
            return Ok(r.clone());
        }
        Err(StoreError::NotOnRoster {
            name: name.to_owned(),
            closest: closest(name, roster.iter().map(|r| r.name.as_str())),
        })
    }
}

/// The roster names nearest to `name` (edit distance over characters, white space ignored),
/// at most [`SUGGESTIONS`], nearest first.
fn closest<'a>(name: &str, roster: impl Iterator<Item = &'a str>) -> Vec<String> {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let wanted = squash(name);
    let mut ranked: Vec<(usize, &str)> = roster.map(|r| (strsim::levenshtein(&wanted, &squash(r)), r)).collect();
    ranked.sort_unstable();
    ranked
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, r)| r.to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn a_name_with_a_space_is_nearest_to_the_name_without() {
        let roster = ["张明", "郭婷", "李华", "郭亭亭"];
        assert_eq!(closest("郭 婷", roster.into_iter())[0], "郭婷");
        assert_eq!(closest("赵六", roster.into_iter()).len(), 3);
    }
}
