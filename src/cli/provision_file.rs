//! The provisioning file on disk: read, changed, checked and written back atomically. Used by
//! `kiosk provision`, `kiosk join` and technician mode's first-start setup.

use super::Failure;
use crate::config::{Config, ProvisionChanges};
use std::path::{Path, PathBuf};

/// Applies `changes` to the file at `path` (or to the built-in defaults when `keep` is false or
/// there is no file), checks the result and writes it.
pub(super) fn write_changes(path: &Path, changes: &ProvisionChanges, keep: bool) -> Result<Config, Failure> {
    let mut config = if keep && crate::fsutil::something_at(path) {
        let text = crate::fsutil::read_text(path, crate::fsutil::CONFIG_LIMIT)
            .map_err(|e| Failure::bad_input(format!("cannot read {}: {e}", path.display())))?;
        Config::from_toml(&text)?
    } else {
        Config::default()
    };
    changes.apply(&mut config).map_err(Failure::bad_input)?;
    config.validate(path.parent())?;
    write_atomically(&write_target(path)?, &config.to_toml())?;
    tracing::info!(path = %path.display(), "provisioning file written");
    Ok(config)
}

/// Where to write: through a link to the file it names, so a technician's symlinked
/// `config.toml` stays a link. A dangling link is refused rather than replaced.
fn write_target(path: &Path) -> Result<PathBuf, Failure> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(path.to_path_buf());
    }
    std::fs::canonicalize(path).map_err(|e| {
        Failure::bad_input(format!(
            "{} is a link to a file that cannot be reached ({e}); fix or remove the link",
            path.display()
        ))
    })
}

/// Writes next to the target, syncs, then renames: a power cut leaves the old or the new file.
fn write_atomically(path: &Path, text: &str) -> Result<(), Failure> {
    crate::fsutil::write_atomically(path, text.as_bytes(), false)
        .map_err(|e| Failure::failed(format!("cannot write {}: {e}", path.display())))
}
