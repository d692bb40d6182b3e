//! Who is writing: the machine (a random id kept in the data dir) and the reviewer.
//!
//! A round file is copied from the organiser to every laptop. Each (machine, reviewer, path)
//! that writes to a file gets a replica id of its own the first time it opens the file, so two
//! laptops never write under the same replica id even though their files started as copies.

use std::path::PathBuf;

/// The environment variable that overrides the data directory (tests, portable installs).
pub const DATA_DIR_ENV: &str = "PINGCHA_DATA_DIR";

/// The per-user data directory: `$PINGCHA_DATA_DIR`, else the platform's
/// (`~/.local/share/pingcha`, `%APPDATA%\pingcha\data`, …).
pub fn data_dir() -> std::io::Result<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "pingcha")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no home directory"))
}

/// This machine's id, created on first use in the data directory.
pub fn machine_id() -> std::io::Result<String> {
    let dir = data_dir()?;
    let path = dir.join("machine-id");
    match std::fs::read_to_string(&path) {
        Ok(id) if !id.trim().is_empty() => Ok(id.trim().to_owned()),
        Ok(_) | Err(_) => {
            std::fs::create_dir_all(&dir)?;
            let id = super::ids::random_id();
            let tmp = dir.join(format!("machine-id.{id}.tmp"));
            std::fs::write(&tmp, &id)?;
            std::fs::rename(&tmp, &path)?;
            Ok(std::fs::read_to_string(&path)?.trim().to_owned())
        }
    }
}

/// The writer of a file: this machine and the reviewer at its keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// This machine's id.
    pub machine_id: String,
    /// The reviewer's name.
    pub reviewer: String,
}

impl Identity {
    /// The identity of `reviewer` on this machine.
    pub fn here(reviewer: &str) -> std::io::Result<Identity> {
        Ok(Identity {
            machine_id: machine_id()?,
            reviewer: reviewer.trim().to_owned(),
        })
    }
}
