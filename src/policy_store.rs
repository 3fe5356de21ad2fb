//! The screening policy installed on this terminal (`kiosk policy import`), kept in
//! `<data-dir>/policy/`: `current.toml` screens, `previous.toml` is what `rollback` returns to.
//! Without `current.toml` the shipped policy screens.
//!
//! Every step leaves a whole file in place: the new policy is written beside the old one and
//! renamed over it, and the old one is hard-linked as `previous.toml` first, so a power cut during
//! an import leaves either policy in force, never a half-written one.

use crate::eligibility::{Policy, PolicyError, check_for_install};
use crate::fsutil;
use chrono::{DateTime, SecondsFormat, Utc};
use kiosk_core::digest::sha256_hex;
use std::io;
use std::path::{Path, PathBuf};

const CURRENT: &str = "current.toml";
const PREVIOUS: &str = "previous.toml";

/// Where an installed policy came from: kept as comment lines at the top of the installed file,
/// so the file and its record cannot part.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Provenance {
    pub imported_at: String,
    pub imported_from: String,
    pub sha256: String,
}

/// The policy this terminal screens with, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PolicySource {
    Shipped,
    Installed {
        file: PathBuf,
        #[serde(flatten)]
        provenance: Option<Provenance>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum PolicyStoreError {
    /// The file offered is not a policy this terminal may install (the technician's to fix).
    #[error("{0}")]
    Refused(PolicyError),
    /// The file offered cannot be read (missing, not a file, too large, not UTF-8).
    #[error("cannot read {path}: {source}")]
    Unreadable { path: PathBuf, source: io::Error },
    #[error("there is no earlier policy to go back to")]
    NothingToRollBack,
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

fn io_error(what: &'static str, path: &Path) -> impl FnOnce(io::Error) -> PolicyStoreError + use<> {
    let path = path.to_owned();
    move |source| PolicyStoreError::Io { what, path, source }
}

pub struct PolicyStore {
    dir: PathBuf,
}

impl PolicyStore {
    pub fn in_data_dir(data_dir: &Path) -> Self {
        Self {
            dir: data_dir.join("policy"),
        }
    }

    fn current(&self) -> PathBuf {
        self.dir.join(CURRENT)
    }

    fn previous(&self) -> PathBuf {
        self.dir.join(PREVIOUS)
    }

    /// The policy in force: the installed one, else the shipped one. An installed file that no
    /// longer parses is an error, not a silent fall-back: the technician must hear of it.
    pub fn load(&self) -> Result<(Policy, PolicySource), PolicyError> {
        let current = self.current();
        if !fsutil::something_at(&current) {
            return Ok((Policy::shipped()?, PolicySource::Shipped));
        }
        let origin = current.display().to_string();
        let text = fsutil::read_text(&current, fsutil::POLICY_LIMIT).map_err(|e| PolicyError {
            origin: origin.clone(),
            message: format!("cannot be read: {e}"),
        })?;
        let policy = Policy::from_toml(&text, &origin)?;
        let source = PolicySource::Installed {
            file: current,
            provenance: provenance(&text),
        };
        Ok((policy, source))
    }

    /// Whether `rollback` has something to return to.
    pub fn can_roll_back(&self) -> bool {
        fsutil::something_at(&self.current()) || fsutil::something_at(&self.previous())
    }

    /// Checks `file` as a policy to install and, if it passes, makes it the one in force; the one
    /// it replaces is kept for `rollback`. Nothing changes when the check fails.
    pub fn import(&self, file: &Path, now: DateTime<Utc>) -> Result<Policy, PolicyStoreError> {
        let text =
            fsutil::read_text(file, fsutil::POLICY_LIMIT).map_err(|source| PolicyStoreError::Unreadable {
                path: file.to_owned(),
                source,
            })?;
        let origin = file.display().to_string();
        // The record goes in as comment lines, the file's name as a JSON string (a newline or a
        // quote in it stays inside its line); the whole text is what is checked and installed,
        // byte for byte, so no name can add to or break what screens.
        let installed = format!(
            "# imported-at: {}\n# imported-from: {}\n# sha256: {}\n{text}",
            now.to_rfc3339_opts(SecondsFormat::Secs, true),
            serde_json::Value::String(origin.clone()),
            sha256_hex(text.as_bytes()),
        );
        let policy = check_for_install(&installed, &origin).map_err(PolicyStoreError::Refused)?;
        std::fs::create_dir_all(&self.dir).map_err(io_error("cannot create", &self.dir))?;
        let current = self.current();
        if fsutil::something_at(&current) {
            self.keep_as_previous(&current)?;
        } else {
            // Going back from the first import returns to the shipped policy.
            remove_if_present(&self.previous())?;
        }
        fsutil::write_atomically(&current, installed.as_bytes(), false)
            .map_err(io_error("cannot write", &current))?;
        Ok(policy)
    }

    /// Puts the previous policy back in force (the shipped one, if the first import is undone);
    /// the one it replaces becomes the previous, so a second rollback undoes the first.
    pub fn rollback(&self) -> Result<(), PolicyStoreError> {
        let (current, previous) = (self.current(), self.previous());
        match (fsutil::something_at(&current), fsutil::something_at(&previous)) {
            (false, false) => Err(PolicyStoreError::NothingToRollBack),
            (true, false) => rename(&current, &previous),
            (false, true) => rename(&previous, &current),
            (true, true) => {
                let swap = self.dir.join("swap.part");
                remove_if_present(&swap)?;
                std::fs::hard_link(&current, &swap).map_err(io_error("cannot link", &swap))?;
                rename(&previous, &current)?;
                rename(&swap, &previous)
            }
        }?;
        sync_dir(&self.dir)
    }

    fn keep_as_previous(&self, current: &Path) -> Result<(), PolicyStoreError> {
        let part = self.dir.join("previous.part");
        remove_if_present(&part)?;
        std::fs::hard_link(current, &part).map_err(io_error("cannot link", &part))?;
        rename(&part, &self.previous())
    }
}

fn rename(from: &Path, to: &Path) -> Result<(), PolicyStoreError> {
    std::fs::rename(from, to).map_err(io_error("cannot rename", from))
}

fn remove_if_present(path: &Path) -> Result<(), PolicyStoreError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_error("cannot remove", path)(e)),
        _ => Ok(()),
    }
}

fn sync_dir(dir: &Path) -> Result<(), PolicyStoreError> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_error("cannot sync", dir))
}

/// The comment lines `import` writes at the top of an installed file.
fn provenance(text: &str) -> Option<Provenance> {
    let field = |name: &str| {
        text.lines()
            .take(3)
            .find_map(|l| l.strip_prefix(&format!("# {name}: ")).map(str::to_owned))
    };
    let from = field("imported-from")?;
    Some(Provenance {
        imported_at: field("imported-at")?,
        // Written as a JSON string; files installed before that hold the bare name.
        imported_from: serde_json::from_str(&from).unwrap_or(from),
        sha256: field("sha256")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEXT_YEAR: &str =
        "[[standard]]\nfrom = \"2026-03-01\"\nmonthly_per_capita = 2600\nbasis = \"Decree 220\"\n";

    fn store() -> (tempfile::TempDir, PolicyStore, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let store = PolicyStore::in_data_dir(dir.path());
        let file = dir.path().join("usb-policy.toml");
        (dir, store, file)
    }

    fn figure_on(store: &PolicyStore, day: &str) -> Option<u64> {
        let (policy, _) = store.load().unwrap();
        policy.standard_on(day.parse().unwrap())?.monthly_per_capita
    }

    #[test]
    fn an_import_is_in_force_with_its_provenance_and_rolls_back_to_the_shipped_policy() {
        let (_dir, store, file) = store();
        assert_eq!(store.load().unwrap().1, PolicySource::Shipped);
        assert!(!store.can_roll_back());
        std::fs::write(&file, NEXT_YEAR).unwrap();
        store.import(&file, Utc::now()).unwrap();
        assert_eq!(figure_on(&store, "2026-06-01"), Some(2600));
        let PolicySource::Installed {
            provenance: Some(p), ..
        } = store.load().unwrap().1
        else {
            panic!("not installed")
        };
        assert_eq!(p.imported_from, file.display().to_string());
        assert_eq!(p.sha256, sha256_hex(NEXT_YEAR.as_bytes()));
        store.rollback().unwrap();
        assert_eq!(store.load().unwrap().1, PolicySource::Shipped);
        assert_eq!(
            figure_on(&store, "2026-06-01"),
            None,
            "the shipped 2026 figure is open"
        );
        // A second rollback undoes the first.
        store.rollback().unwrap();
        assert_eq!(figure_on(&store, "2026-06-01"), Some(2600));
    }

    #[test]
    fn a_second_import_keeps_the_first_for_rollback() {
        let (_dir, store, file) = store();
        std::fs::write(&file, NEXT_YEAR).unwrap();
        store.import(&file, Utc::now()).unwrap();
        std::fs::write(&file, NEXT_YEAR.replace("2600", "2650")).unwrap();
        store.import(&file, Utc::now()).unwrap();
        assert_eq!(figure_on(&store, "2026-06-01"), Some(2650));
        store.rollback().unwrap();
        assert_eq!(figure_on(&store, "2026-06-01"), Some(2600));
        store.rollback().unwrap();
        assert_eq!(figure_on(&store, "2026-06-01"), Some(2650));
    }

    /// Every file of a folder with its bytes, by name.
    fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                (path, bytes)
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn a_refused_file_changes_nothing() {
        let (dir, store, file) = store();
        std::fs::write(&file, NEXT_YEAR).unwrap();
        store.import(&file, Utc::now()).unwrap();
        let before = contents(&dir.path().join("policy"));
        std::fs::write(&file, NEXT_YEAR.replace("basis", "bassis")).unwrap();
        let err = store.import(&file, Utc::now()).unwrap_err();
        assert!(matches!(err, PolicyStoreError::Refused(_)), "{err}");
        assert!(err.to_string().contains("bassis"), "{err}");
        assert_eq!(before, contents(&dir.path().join("policy")));
        assert_eq!(figure_on(&store, "2026-06-01"), Some(2600));
    }

    #[test]
    fn a_file_name_cannot_add_to_or_break_the_policy_it_installs() {
        let (dir, store, _) = store();
        let injected =
            "x\n[[standard]]\nfrom = \"2026-01-01\"\nmonthly_per_capita = 1\nbasis = \"injected\"\n#";
        let file = dir.path().join(format!("{injected}.toml"));
        std::fs::write(&file, NEXT_YEAR).unwrap();
        store.import(&file, Utc::now()).unwrap();
        let (policy, source) = store.load().unwrap();
        assert_eq!(policy.standards.len(), 1, "only the file's own standard");
        assert_eq!(figure_on(&store, "2026-06-01"), Some(2600));
        let PolicySource::Installed {
            provenance: Some(p),
            file: installed,
        } = source
        else {
            panic!("not installed")
        };
        assert_eq!(
            p.imported_from,
            file.display().to_string(),
            "the name is kept whole"
        );
        let bytes = std::fs::read_to_string(installed).unwrap();
        assert!(bytes.ends_with(NEXT_YEAR) && bytes.lines().count() == 3 + NEXT_YEAR.lines().count());

        // A name that would break the TOML (an unterminated string) cannot either.
        let current = dir.path().join("policy").join(CURRENT);
        let before = std::fs::read(&current).unwrap();
        let breaking = dir.path().join("y\n\"\"\"broken.toml");
        std::fs::write(&breaking, NEXT_YEAR.replace("2600", "2700")).unwrap();
        store.import(&breaking, Utc::now()).unwrap();
        assert_eq!(figure_on(&store, "2026-06-01"), Some(2700));
        store.rollback().unwrap();
        assert_eq!(
            std::fs::read(&current).unwrap(),
            before,
            "and rolls back to the first, whole"
        );
    }

    #[test]
    fn an_unreadable_file_is_the_technicians_to_fix_and_changes_nothing() {
        let (dir, store, file) = store();
        let err = store.import(&file, Utc::now()).unwrap_err();
        assert!(matches!(err, PolicyStoreError::Unreadable { .. }), "{err}");
        assert!(!dir.path().join("policy").exists());
    }

    #[test]
    fn a_damaged_installed_file_is_an_error_not_the_shipped_policy() {
        let (dir, store, _) = store();
        std::fs::create_dir_all(dir.path().join("policy")).unwrap();
        std::fs::write(dir.path().join("policy/current.toml"), "[[standard]\n").unwrap();
        let err = store.load().unwrap_err();
        assert!(err.origin.ends_with("current.toml"), "{err}");
    }

    #[test]
    fn nothing_to_roll_back_is_said() {
        let (_dir, store, _) = store();
        assert!(matches!(
            store.rollback(),
            Err(PolicyStoreError::NothingToRollBack)
        ));
    }
}
