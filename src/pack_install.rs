//! Installing a folder of files (a sign-language pack, voice packs) into the data directory whole
//! or not at all, keeping the one it replaces for a rollback. The new pack is copied into a
//! staging folder beside the target and renamed into place; the old one is renamed to
//! `<target>-previous` first. A power cut leaves the old pack, the new one, or — between the two
//! renames — none, in which case the shipped pack is used until a rollback puts the old one back.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The folder an import is copied into; removed unless it was installed.
pub struct Staging {
    pub path: PathBuf,
    installed: std::cell::Cell<bool>,
}

impl Staging {
    /// A fresh, empty staging folder at `path` (a leftover from an interrupted import goes).
    pub fn create(path: PathBuf) -> std::io::Result<Staging> {
        if crate::fsutil::something_at(&path) {
            std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path))?;
        }
        std::fs::create_dir_all(&path)?;
        Ok(Staging {
            path,
            installed: std::cell::Cell::new(false),
        })
    }

    /// Copies a regular file (never a link or a device) into the staging folder as `name`, a
    /// plain name or `folder/name`.
    pub fn copy_in(&self, from: &Path, name: &str) -> std::io::Result<()> {
        let to = self.path.join(name);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut source = crate::fsutil::open_regular(from)?;
        let mut copy = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(to)?;
        std::io::copy(&mut (&mut source).take(crate::fsutil::CLIP_LIMIT), &mut copy)?;
        copy.sync_all()
    }

    /// Puts the staged pack at `target`; what was there becomes `<target>-previous`.
    pub fn install_keeping_previous(&self, target: &Path) -> std::io::Result<()> {
        if crate::fsutil::something_at(target) {
            let old = previous_of(target);
            if crate::fsutil::something_at(&old) {
                std::fs::remove_dir_all(&old)?;
            }
            std::fs::rename(target, &old)?;
        }
        std::fs::rename(&self.path, target)?;
        self.installed.set(true);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.installed.get() {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Where the pack an import replaced is kept.
pub fn previous_of(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push("-previous");
    target.with_file_name(name)
}

/// Whether `roll_back` has something to go back to: an earlier import, or the shipped pack.
pub fn can_roll_back(target: &Path) -> bool {
    crate::fsutil::something_at(target) || crate::fsutil::something_at(&previous_of(target))
}

/// Puts the pack an import replaced back in use; the one rolled back from is kept in its place,
/// so a second rollback undoes the first. When the first import replaced the shipped pack, the
/// shipped one is in use again. `what` names the pack in messages.
pub fn roll_back(target: &Path, what: &str) -> Result<(), String> {
    let previous = previous_of(target);
    let swap = previous.with_extension("swap");
    let io = |step: &str, e: std::io::Error| format!("cannot {step} the {what}: {e}");
    match (
        crate::fsutil::something_at(target),
        crate::fsutil::something_at(&previous),
    ) {
        (false, false) => Err(format!("no {what} was imported: the shipped one is in use")),
        (true, false) => std::fs::rename(target, &previous).map_err(|e| io("set aside", e)),
        (false, true) => std::fs::rename(&previous, target).map_err(|e| io("restore", e)),
        (true, true) => {
            let _ = std::fs::remove_dir_all(&swap);
            std::fs::rename(target, &swap).map_err(|e| io("set aside", e))?;
            std::fs::rename(&previous, target).map_err(|e| io("restore", e))?;
            std::fs::rename(&swap, &previous).map_err(|e| io("keep", e))
        }
    }
}
