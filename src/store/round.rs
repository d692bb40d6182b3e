//! The round (评查轮次) and the rubrics stored by content hash.

use super::{Result, Store, StoreError, ids};
use crate::rubric::{self, Rubric};
use crate::vocab::{Method, RoundKind};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// What the organiser says about a new round.
#[derive(Debug, Clone)]
pub struct NewRound {
    /// Round name, e.g. 2026年第四季度案件质量评查.
    pub name: String,
    /// Review kind: 日常 / 全面 / 专项.
    pub kind: RoundKind,
    /// Review method: 自查 / 交叉 / 抽查 / 协审.
    pub method: Method,
    /// Every case needs a 终评 sheet before its result counts (see [`super::Standing`]).
    pub require_final: bool,
}

/// A stored round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Round {
    /// Random id, shared by every copy of the file.
    pub id: String,
    /// Name.
    pub name: String,
    /// Content hash of the round's rubric.
    pub rubric_hash: String,
    /// Review kind.
    pub kind: RoundKind,
    /// Review method.
    pub method: Method,
    /// Every case needs a 终评 sheet before its result counts (see [`super::Standing`]).
    pub require_final: bool,
}

/// The content hash a rubric is stored under: sha256 of its TOML source, in hex.
pub fn content_hash(source: &str) -> String {
    Sha256::digest(source.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// Stores the round header and its rubric. Called once, when the file is created.
    pub fn init_round(&mut self, new: &NewRound, rubric_source: &str) -> Result<Round> {
        let rubric = rubric::load(rubric_source, "rubric").map_err(StoreError::Rubric)?;
        let hash = content_hash(rubric_source);
        let round = Round {
            id: ids::random_id(),
            name: new.name.trim().to_owned(),
            rubric_hash: hash.clone(),
            kind: new.kind,
            method: new.method,
            require_final: new.require_final,
        };
        self.write(|tx, w| {
            tx.execute(
                "INSERT OR IGNORE INTO rubric (hash, rubric_id, version, name, source) VALUES (?1, ?2, ?3, ?4, ?5)",
                (&hash, &rubric.id, &rubric.version, &rubric.name, rubric_source),
            )
            .map_err(w.err())?;
            tx.execute(
                "INSERT INTO round (id, name, rubric_hash, kind, method, require_final, hlc, replica)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                (
                    &round.id,
                    &round.name,
                    &round.rubric_hash,
                    &round.kind,
                    &round.method,
                    round.require_final,
                    w.stamp.0,
                    w.replica,
                ),
            )
            .map_err(w.err())?;
            Ok(())
        })?;
        Ok(round)
    }

    /// The round this file belongs to.
    pub fn round(&self) -> Result<Round> {
        self.conn
            .query_row(
                "SELECT id, name, rubric_hash, kind, method, require_final FROM round ORDER BY hlc DESC, replica DESC LIMIT 1",
                [],
                |r| {
                    Ok(Round {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        rubric_hash: r.get(2)?,
                        kind: r.get(3)?,
                        method: r.get(4)?,
                        require_final: r.get(5)?,
                    })
                },
            )
            .map_err(self.err())
    }

    /// Every rubric stored in the file, by content hash (loaded once per handle).
    fn rubrics(&self) -> Result<&HashMap<String, Rubric>> {
        if let Some(r) = self.rubrics.get() {
            return Ok(r);
        }
        let mut stmt = self
            .conn
            .prepare("SELECT hash, source FROM rubric")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(self.err())?;
        let mut map = HashMap::new();
        for row in rows {
            let (hash, source) = row.map_err(self.err())?;
            let rubric = rubric::load(&source, &hash).map_err(StoreError::Rubric)?;
            map.insert(hash, rubric);
        }
        Ok(self.rubrics.get_or_init(|| map))
    }

    /// The rubric stored under `hash`.
    pub fn rubric_by_hash(&self, hash: &str) -> Result<&Rubric> {
        self.rubrics()?
            .get(hash)
            .ok_or_else(|| StoreError::Sqlite(self.path.clone(), rusqlite::Error::QueryReturnedNoRows))
    }

    /// The round's rubric.
    pub fn rubric(&self) -> Result<&Rubric> {
        let hash = self.round()?.rubric_hash;
        self.rubric_by_hash(&hash)
    }
}
