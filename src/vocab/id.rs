//! Record ids as types of their own, so a sheet id is never passed where a case id is meant.
//!
//! Each is the UUID text the round file has always stored, read and written through
//! `ToSql`/`FromSql`, and serialised as that text. Store rows carry them; lookups by an id
//! someone typed (a prefix of a finding or ledger entry) stay plain text.
//!
//! The text is a [`SharedStr`]: each of a sheet's findings names the sheet, and a round read
//! clones one id for all of them rather than allocating it again per finding.

use crate::shared::SharedStr;
use std::borrow::Borrow;
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $t:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $t(SharedStr);

        impl $t {
            /// The id as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The first eight characters, as lists show the id (enough to type it back).
            pub fn short(&self) -> &str {
                self.0.get(..8).unwrap_or(&self.0)
            }
        }

        impl From<String> for $t {
            fn from(s: String) -> Self {
                $t(s.into())
            }
        }

        impl From<&str> for $t {
            fn from(s: &str) -> Self {
                $t(s.into())
            }
        }

        impl From<SharedStr> for $t {
            fn from(s: SharedStr) -> Self {
                $t(s)
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        /// Maps keyed by the id can be looked up with its text.
        impl Borrow<str> for $t {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl rusqlite::ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl rusqlite::types::FromSql for $t {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                SharedStr::column_result(value).map($t)
            }
        }
    };
}

id_type!(
    /// A case of the round (derived from the round and the normalised 案号).
    CaseId
);
id_type!(
    /// One reviewer's sheet of a case at a stage (derived from the three).
    SheetId
);
id_type!(
    /// A recorded finding (random; a correction keeps it).
    FindingId
);
id_type!(
    /// A rectification-ledger entry (derived from its finding's id).
    EntryId
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn an_id_is_its_text_in_the_file_and_in_json() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let id = CaseId::from("3f0c-案");
        let back: CaseId = conn.query_row("SELECT ?1", [&id], |r| r.get(0)).unwrap();
        assert_eq!(back, id);
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"3f0c-案\"");
        let by_id = HashMap::from([(id.clone(), 1)]);
        assert_eq!(by_id.get("3f0c-案"), Some(&1), "looked up by its text");
    }
}
