//! What a technician brings on a USB stick: a `legal-aid-kiosk` folder at the top of the stick
//! holding `policy*.toml` (a screening policy), `sign-language/` (a sign-language pack with its
//! `manifest.json`) and `voice/` (voice packs, `voice/<zh|yue|en|ug>/manifest.json`). Sticks are looked for where Debian mounts them (`/media/<label>`,
//! `/media/<user>/<label>`, `/run/media/<user>/<label>`, `/mnt`); nothing else is read.

use std::path::{Path, PathBuf};

/// The folder on the stick that holds what is meant for the terminals.
pub const FOLDER: &str = "legal-aid-kiosk";
pub const SIGN_PACK: &str = "sign-language";
pub const VOICE_PACKS: &str = "voice";

pub fn default_roots() -> Vec<PathBuf> {
    ["/media", "/run/media", "/mnt"].map(PathBuf::from).to_vec()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Policy,
    SignPack,
    VoicePacks,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub path: PathBuf,
}

/// Every importable thing under `roots`, policies first, each list in name order.
pub fn find(roots: &[PathBuf]) -> Vec<Found> {
    let mut found = Vec::new();
    for root in roots {
        for place in mount_points(root) {
            found.extend(in_folder(&place.join(FOLDER)));
        }
    }
    found.sort_by(|a, b| (a.kind as u8, &a.path).cmp(&(b.kind as u8, &b.path)));
    found.dedup();
    found
}

/// `root` itself and the folders up to two levels below it (a label, or a user and a label).
fn mount_points(root: &Path) -> Vec<PathBuf> {
    let mut places = vec![root.to_path_buf()];
    for child in subfolders(root) {
        places.extend(subfolders(&child));
        places.push(child);
    }
    places
}

fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect()
}

fn in_folder(folder: &Path) -> Vec<Found> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && name.starts_with("policy") && name.ends_with(".toml") {
            found.push(Found {
                kind: Kind::Policy,
                path,
            });
        } else if name == SIGN_PACK && path.join(crate::media::pack::MANIFEST).is_file() {
            found.push(Found {
                kind: Kind::SignPack,
                path,
            });
        } else if name == VOICE_PACKS
            && subfolders(&path)
                .iter()
                .any(|v| v.join(crate::speech::pack::MANIFEST).is_file())
        {
            found.push(Found {
                kind: Kind::VoicePacks,
                path,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_policies_and_packs_on_sticks_at_each_depth_and_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        let on_label = root.path().join("STICK").join(FOLDER);
        let on_user = root.path().join("kiosk").join("HALL7").join(FOLDER);
        std::fs::create_dir_all(&on_label).unwrap();
        std::fs::create_dir_all(on_user.join(SIGN_PACK)).unwrap();
        std::fs::write(on_label.join("policy-2027.toml"), "").unwrap();
        std::fs::write(on_label.join("notes.toml"), "").unwrap();
        std::fs::write(on_user.join(SIGN_PACK).join("manifest.json"), "{}").unwrap();
        std::fs::create_dir_all(on_user.join(VOICE_PACKS).join("ug")).unwrap();
        std::fs::write(on_user.join(VOICE_PACKS).join("ug").join("manifest.json"), "{}").unwrap();
        // A voice folder without a pack in it is not offered.
        std::fs::create_dir_all(on_label.join(VOICE_PACKS).join("zh")).unwrap();
        // Too deep: not a mount point.
        let deep = root.path().join("a").join("b").join("c").join(FOLDER);
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(deep.join("policy.toml"), "").unwrap();

        let found = find(&[root.path().to_path_buf(), root.path().join("missing")]);
        assert_eq!(
            found,
            vec![
                Found {
                    kind: Kind::Policy,
                    path: on_label.join("policy-2027.toml")
                },
                Found {
                    kind: Kind::SignPack,
                    path: on_user.join(SIGN_PACK)
                },
                Found {
                    kind: Kind::VoicePacks,
                    path: on_user.join(VOICE_PACKS)
                },
            ]
        );
    }
}
