//! The round's reviewers (评查人员), with the group (评查组) they sit in.

use super::{Result, Store, ids};
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
}

impl Store {
    /// Adds reviewers to the round (names already there keep their record).
    pub fn add_reviewers(&mut self, names: &[String], group: &str) -> Result<()> {
        let round_id = self.round()?.id;
        self.write(|tx, w| {
            for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
                tx.execute(
                    "INSERT OR IGNORE INTO reviewer (id, name, grp, hlc, replica) VALUES (?1, ?2, ?3, ?4, ?5)",
                    (
                        ids::reviewer_id(&round_id, name),
                        name,
                        group.trim(),
                        w.stamp.0,
                        w.replica,
                    ),
                )
                .map_err(w.err())?;
            }
            Ok(())
        })
    }

    /// The round's live reviewers, by name.
    pub fn reviewers(&self) -> Result<Vec<Reviewer>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, grp FROM reviewer WHERE deleted = 0 ORDER BY name")
            .map_err(self.err())?;
        stmt.query_map([], |r| {
            Ok(Reviewer {
                id: r.get(0)?,
                name: r.get(1)?,
                group: r.get(2)?,
            })
        })
        .map_err(self.err())?
        .collect::<rusqlite::Result<_>>()
        .map_err(self.err())
    }
}
