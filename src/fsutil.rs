//! Reading files that come from outside the program — a technician's USB stick, a hand-edited
//! configuration, a key file — without hanging on a FIFO or a device, and without reading
//! `/dev/zero` until memory runs out. Every such read goes through here.

use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Limits for the kinds of files the terminal reads.
pub const CONFIG_LIMIT: u64 = 1024 * 1024;
pub const MANIFEST_LIMIT: u64 = 4 * 1024 * 1024;
pub const POLICY_LIMIT: u64 = 4 * 1024 * 1024;
pub const KEY_LIMIT: u64 = 64 * 1024;
/// A sign-language clip (read whole only to check its SHA-256).
pub const CLIP_LIMIT: u64 = 512 * 1024 * 1024;
/// What a command accepts on standard input (a screening or a submission).
pub const STDIN_LIMIT: u64 = 1024 * 1024;

/// Opens `path` for reading only if it is a regular file (after following links). The open
/// itself does not block: a FIFO is opened with `O_NONBLOCK` and then refused.
pub fn open_regular(path: &Path) -> io::Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a pipe, socket or device)"
        };
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {what}"),
        ));
    }
    Ok(file)
}

/// The whole content of a regular file of at most `limit` bytes.
pub fn read_bytes(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    read_limited(file, limit)
}

/// The whole content of a regular UTF-8 text file of at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> io::Result<String> {
    utf8(read_bytes(path, limit)?)
}

fn utf8(bytes: Vec<u8>) -> io::Result<String> {
    String::from_utf8(bytes).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

/// Reads at most `limit` bytes from `from`; more is an error, not a silent cut.
pub fn read_limited(from: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    from.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("it is larger than {}", human_size(limit)),
        ));
    }
    Ok(bytes)
}

/// Standard input as UTF-8 text, at most `STDIN_LIMIT` bytes.
pub fn read_stdin_text() -> io::Result<String> {
    utf8(read_limited(io::stdin().lock(), STDIN_LIMIT)?)
}

/// Whether anything at all is at `path` — a file, a directory, or a link even if it is dangling
/// or loops. (`Path::exists` says no to a broken link, which would hide a broken configuration.)
pub fn something_at(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

/// Writes `bytes` beside `path`, syncs, renames over it and syncs the directory: a power cut
/// leaves the old file or the new one, never half of either. `private` files (keys) are created
/// readable by their owner only, before any byte is written; others keep the mode of the file
/// they replace.
pub fn write_atomically(path: &Path, bytes: &[u8], private: bool) -> io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".part");
    let tmp = dir.join(tmp_name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    if private {
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    if !private && let Ok(old) = std::fs::metadata(path) {
        // A replaced file keeps its mode: the package's provisioning file is not for everyone.
        file.set_permissions(old.permissions())?;
    }
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)?;
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_file_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"new", false).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let err = read_text(&fifo, 10).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn devices_and_directories_are_refused_and_size_is_bounded() {
        let err = read_bytes(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        assert!(
            read_bytes(dir.path(), 10)
                .unwrap_err()
                .to_string()
                .contains("directory")
        );
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 2048]).unwrap();
        assert!(
            read_bytes(&big, 2047)
                .unwrap_err()
                .to_string()
                .contains("larger than")
        );
        assert_eq!(read_bytes(&big, 2048).unwrap().len(), 2048);
    }

    #[test]
    fn a_dangling_link_is_something() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("config.toml");
        std::os::unix::fs::symlink(dir.path().join("gone"), &link).unwrap();
        assert!(!link.exists());
        assert!(something_at(&link));
        assert!(!something_at(&dir.path().join("nothing")));
    }
}
