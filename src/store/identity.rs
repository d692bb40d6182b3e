//! Who is writing: the machine (a random id kept in the local data dir) and the reviewer.
//!
//! A round file is copied from the organiser to every laptop. Each (machine, reviewer, path)
//! that writes to a file gets a replica id of its own the first time it opens the file, so two
//! laptops never write under the same replica id even though their files started as copies.

use std::path::{Path, PathBuf};

/// The environment variable that overrides the data directory (tests, portable installs).
pub const DATA_DIR_ENV: &str = "PINGCHA_DATA_DIR";

/// The per-user data directory: `$PINGCHA_DATA_DIR`, else the platform's
/// (`~/.local/share/pingcha`, `%APPDATA%\pingcha\data`, …).
pub fn data_dir() -> std::io::Result<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV) {
        return Ok(PathBuf::from(dir));
    }
    Ok(project_dirs()?.data_dir().to_path_buf())
}

/// The platform's directories for pingcha.
fn project_dirs() -> std::io::Result<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "pingcha")
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no home directory"))
}

/// Where the machine id is kept, and where an older version kept it.
///
/// The id names this machine, so it belongs in the local data directory
/// (`%LOCALAPPDATA%\pingcha\data`): the roaming one (`%APPDATA%`) follows the user to every
/// laptop of a domain with roaming profiles, and two laptops would then write under one id.
/// Versions before kept it in the roaming directory; an id found only there is still read, so
/// a laptop keeps its identity. On Linux and macOS both are the same directory.
struct MachineIdDirs {
    /// Where a new id is written and looked for first.
    local: PathBuf,
    /// Where an existing id may have been written by an older version.
    roaming: PathBuf,
}

impl MachineIdDirs {
    /// `$PINGCHA_DATA_DIR` for both, else the platform's local and roaming data directories.
    fn here() -> std::io::Result<MachineIdDirs> {
        if let Some(dir) = std::env::var_os(DATA_DIR_ENV) {
            let dir = PathBuf::from(dir);
            return Ok(MachineIdDirs {
                local: dir.clone(),
                roaming: dir,
            });
        }
        let dirs = project_dirs()?;
        Ok(MachineIdDirs {
            local: dirs.data_local_dir().to_path_buf(),
            roaming: dirs.data_dir().to_path_buf(),
        })
    }

    /// The id kept in the local directory, else in the roaming one, else a new one written
    /// into the local directory.
    fn machine_id(&self) -> std::io::Result<String> {
        if let Some(id) = read_id(&self.local) {
            return Ok(id);
        }
        if self.roaming != self.local
            && let Some(id) = read_id(&self.roaming)
        {
            return Ok(id);
        }
        let dir = &self.local;
        std::fs::create_dir_all(dir)?;
        let id = super::ids::random_id();
        let tmp = dir.join(format!("{MACHINE_ID_FILE}.{id}.tmp"));
        std::fs::write(&tmp, &id)?;
        std::fs::rename(&tmp, dir.join(MACHINE_ID_FILE))?;
        Ok(std::fs::read_to_string(dir.join(MACHINE_ID_FILE))?.trim().to_owned())
    }
}

/// The name of the file holding the machine id.
const MACHINE_ID_FILE: &str = "machine-id";

/// The id in `dir`, if there is a non-empty one.
fn read_id(dir: &Path) -> Option<String> {
    let id = std::fs::read_to_string(dir.join(MACHINE_ID_FILE)).ok()?;
    let id = id.trim();
    (!id.is_empty()).then(|| id.to_owned())
}

/// This machine's id, created on first use in the local data directory.
pub fn machine_id() -> std::io::Result<String> {
    MachineIdDirs::here()?.machine_id()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(tmp: &tempfile::TempDir) -> MachineIdDirs {
        MachineIdDirs {
            local: tmp.path().join("Local/pingcha/data"),
            roaming: tmp.path().join("Roaming/pingcha/data"),
        }
    }

    #[test]
    fn a_new_id_goes_into_the_local_directory_and_stays() {
        let tmp = tempfile::tempdir().unwrap();
        let d = dirs(&tmp);
        let id = d.machine_id().unwrap();
        assert_eq!(read_id(&d.local).as_deref(), Some(id.as_str()));
        assert!(!d.roaming.exists(), "nothing is written to the roaming directory");
        assert_eq!(d.machine_id().unwrap(), id);
    }

    #[test]
    fn an_id_an_older_version_left_in_the_roaming_directory_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let d = dirs(&tmp);
        std::fs::create_dir_all(&d.roaming).unwrap();
        std::fs::write(d.roaming.join(MACHINE_ID_FILE), "old-roaming-id\n").unwrap();
        assert_eq!(d.machine_id().unwrap(), "old-roaming-id");
        assert_eq!(d.machine_id().unwrap(), "old-roaming-id");
        assert!(!d.local.exists(), "reading the old id writes nothing");
    }

    #[test]
    fn the_local_id_wins_over_a_roaming_one() {
        let tmp = tempfile::tempdir().unwrap();
        let d = dirs(&tmp);
        for (dir, id) in [(&d.local, "local-id"), (&d.roaming, "roaming-id")] {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join(MACHINE_ID_FILE), id).unwrap();
        }
        assert_eq!(d.machine_id().unwrap(), "local-id");
    }

    #[test]
    fn an_empty_id_file_is_replaced_by_a_new_id() {
        let tmp = tempfile::tempdir().unwrap();
        let d = dirs(&tmp);
        std::fs::create_dir_all(&d.local).unwrap();
        std::fs::write(d.local.join(MACHINE_ID_FILE), "  \n").unwrap();
        let id = d.machine_id().unwrap();
        assert!(!id.is_empty());
        assert_eq!(read_id(&d.local).as_deref(), Some(id.as_str()));
    }

    #[test]
    fn without_the_override_a_new_id_goes_to_the_platform_s_local_directory() {
        if std::env::var_os(DATA_DIR_ENV).is_some() {
            return;
        }
        let platform = project_dirs().unwrap();
        let here = MachineIdDirs::here().unwrap();
        assert_eq!(here.local, platform.data_local_dir());
        assert_eq!(here.roaming, platform.data_dir());
        // Windows: %LOCALAPPDATA% and %APPDATA% differ; elsewhere it is one directory, as before.
        assert_eq!(here.local != here.roaming, cfg!(windows));
    }
}
