//! The media pack on disk: `manifest.json` lists each prompt's clip, its duration, its SHA-256
//! and the message id of its caption. `verify` finds every defect a technician can fix; `import`
//! installs a pack only when it verifies.

use super::decode;
use crate::pack_install::{self, Staging};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = "manifest.json";

/// The pack in use: one a technician imported into the data directory, else the one shipped
/// with the build (synthetic placeholders until the office's recordings are imported).
pub fn active_dir(data_dir: &Path) -> PathBuf {
    let imported = imported_dir(data_dir);
    if imported.join(MANIFEST).is_file() {
        imported
    } else {
        shipped_dir()
    }
}

pub fn imported_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("media")
}

/// The sign-language pack shipped with the terminal (`assets/media`, found as `assets` says).
pub fn shipped_dir() -> PathBuf {
    crate::assets::shipped("media")
}

/// Prompts that have a sign-language guide (the screening wizard's steps, the review and the
/// result) and the message their caption shows: the same string as the screen and the speech.
pub const PROMPTS: [(&str, &str); 11] = [
    ("Matter", "What do you need help with?"),
    (
        "AlreadyRepresented",
        "Is a lawyer or someone else already acting for you in this matter?",
    ),
    (
        "CaseOutsideCity",
        "Is the case handled by a court or authority outside Guangzhou?",
    ),
    (
        "CriminalCircumstances",
        "Does any of this apply to the person suspected or accused?",
    ),
    ("Circumstances", "Does any of this apply to you?"),
    (
        "HighValueAssets",
        "Does your household own valuable property, such as two or more homes, or one home of 144 m² or more?",
    ),
    (
        "HouseholdSize",
        "How many people live in your household, you included?",
    ),
    (
        "Income",
        "What is your household's total income per month, in yuan?",
    ),
    (
        "DeadlineWithinAWeek",
        "Does a time limit end within 7 days: the limitation period, or the last day to sue or to apply for arbitration or administrative review? For a court date, ask staff.",
    ),
    ("Review", "Please check your answers"),
    (
        "Result",
        "This is only a guide. The legal aid office decides within 7 days of receiving your application.",
    ),
];

/// The caption message of a prompt.
pub fn caption_of(id: &str) -> Option<&'static str> {
    PROMPTS.iter().find(|(p, _)| *p == id).map(|(_, c)| *c)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(default)]
    pub source: String,
    pub clips: Vec<ManifestClip>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestClip {
    pub id: String,
    pub file: String,
    pub duration_ms: u64,
    pub sha256: String,
    /// The message id of the caption (translated at run time).
    pub caption: String,
}

impl Manifest {
    pub fn read(dir: &Path) -> Result<Manifest, String> {
        let path = dir.join(MANIFEST);
        let text = crate::fsutil::read_text(&path, crate::fsutil::MANIFEST_LIMIT)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a valid media manifest: {e}", path.display()))
    }

    pub fn clip(&self, id: &str) -> Option<&ManifestClip> {
        self.clips.iter().find(|c| c.id == id)
    }
}

/// Everything wrong with a pack; empty lists mean it can be installed.
#[derive(Debug, Default, Serialize)]
pub struct VerifyReport {
    pub dir: PathBuf,
    pub clips: usize,
    pub manifest_error: Option<String>,
    /// Entries that would reach outside the pack or clash: a clip file must be a plain name of
    /// a regular file inside the pack; ids and files are each used once.
    pub bad_entries: Vec<String>,
    pub missing_files: Vec<String>,
    pub bad_checksums: Vec<String>,
    pub undecodable: Vec<String>,
    pub wrong_duration: Vec<String>,
    pub unknown_ids: Vec<String>,
    pub prompts_without_clip: Vec<String>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.problems().is_empty()
    }

    /// Each defect in a line: what is wrong, then the clip or entry.
    pub fn problems(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .manifest_error
            .iter()
            .map(|e| format!("manifest: {e}"))
            .collect();
        let lists = [
            ("unsafe or clashing entry", &self.bad_entries),
            ("missing file", &self.missing_files),
            ("bad checksum", &self.bad_checksums),
            ("does not decode", &self.undecodable),
            ("wrong duration", &self.wrong_duration),
            ("id no screen uses", &self.unknown_ids),
            ("prompt without a clip", &self.prompts_without_clip),
        ];
        for (what, items) in lists {
            all.extend(items.iter().map(|item| format!("{what}: {item}")));
        }
        all
    }

    /// How many defects, and the first.
    pub fn summary(&self) -> String {
        let problems = self.problems();
        match problems.first() {
            None => "no problems".into(),
            Some(first) => format!("{} problem(s), the first: {first}", problems.len()),
        }
    }
}

/// How far a clip's decoded length may be from its manifest entry.
const DURATION_TOLERANCE_MS: u64 = 250;

/// The SHA-256 of a regular file, read in pieces (a clip can be large).
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let file = crate::fsutil::open_regular(path)?;
    let mut reader = file.take(crate::fsutil::CLIP_LIMIT);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Why a manifest's `file` cannot name a clip of this pack: only a plain file name is allowed,
/// so that verifying and importing never read or write outside the pack's folder.
fn file_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("the file name is empty")
    } else if name == "." || name == ".." || name.contains('/') || name.contains('\\') {
        Some("must be a plain file name inside the pack (no folders, '..' or absolute paths)")
    } else if name.contains('\0') || name.chars().any(char::is_control) {
        Some("has control characters in its name")
    } else if name == MANIFEST {
        Some("names the manifest itself")
    } else {
        None
    }
}

/// Entries that reach outside the pack, links, and ids or files used twice.
fn bad_entries(dir: &Path, manifest: &Manifest) -> Vec<String> {
    let mut bad = Vec::new();
    let (mut ids, mut files) = (HashSet::new(), HashSet::new());
    for clip in &manifest.clips {
        let shown = crate::shorten::echo(&clip.file);
        if let Some(why) = file_name_problem(&clip.file) {
            bad.push(format!("{} → {shown}: {why}", clip.id));
            continue;
        }
        if !ids.insert(clip.id.as_str()) {
            bad.push(format!("{}: the id is listed twice", clip.id));
        }
        if !files.insert(clip.file.as_str()) {
            bad.push(format!("{shown}: two clips name this file"));
        }
        let is_link =
            std::fs::symlink_metadata(dir.join(&clip.file)).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            bad.push(format!("{shown}: is a link; a pack holds its clips as files"));
        }
    }
    bad
}

/// Checks a pack: the manifest, each file's presence, checksum, decoding and length, ids that no
/// screen uses and prompts without a clip.
pub fn verify(dir: &Path) -> VerifyReport {
    let mut r = VerifyReport {
        dir: dir.to_owned(),
        ..VerifyReport::default()
    };
    let manifest = match Manifest::read(dir) {
        Ok(m) => m,
        Err(e) => {
            r.manifest_error = Some(e);
            return r;
        }
    };
    r.clips = manifest.clips.len();
    r.bad_entries = bad_entries(dir, &manifest);
    let known: HashSet<&str> = PROMPTS.iter().map(|(id, _)| *id).collect();
    for clip in &manifest.clips {
        if !known.contains(clip.id.as_str()) {
            r.unknown_ids.push(clip.id.clone());
        }
        if file_name_problem(&clip.file).is_some() {
            continue;
        }
        let path = dir.join(&clip.file);
        if !path.is_file() {
            r.missing_files.push(clip.file.clone());
            continue;
        }
        match sha256_file(&path) {
            Ok(sum) if sum.eq_ignore_ascii_case(&clip.sha256) => {}
            Ok(sum) => r
                .bad_checksums
                .push(format!("{}: {sum}, manifest says {}", clip.file, clip.sha256)),
            Err(e) => r.missing_files.push(format!("{}: {e}", clip.file)),
        }
        match decode::probe(&path) {
            Ok(p) if p.duration_ms.abs_diff(clip.duration_ms) > DURATION_TOLERANCE_MS => {
                r.wrong_duration.push(format!(
                    "{}: {} ms, manifest says {} ms",
                    clip.file, p.duration_ms, clip.duration_ms
                ))
            }
            Ok(_) => {}
            Err(e) => r.undecodable.push(format!("{}: {e}", clip.file)),
        }
    }
    for (id, _) in PROMPTS {
        if manifest.clip(id).is_none() {
            r.prompts_without_clip.push(id.to_owned());
        }
    }
    r
}

/// Puts the pack an import replaced back in use (`pack_install::roll_back`).
pub fn rollback(target: &Path) -> Result<(), String> {
    pack_install::roll_back(target, "sign-language pack")
}

pub fn can_roll_back(target: &Path) -> bool {
    pack_install::can_roll_back(target)
}

/// Installs a verified pack into `target` (replacing what was there as a whole: a half-copied
/// pack is never in use). Returns the report; on any defect nothing is changed and no staging
/// folder is left behind. Each file is checked again after copying, since a USB stick can change
/// between the check and the copy.
pub fn import(from: &Path, target: &Path) -> Result<VerifyReport, Box<VerifyReport>> {
    let report = verify(from);
    if !report.ok() {
        return Err(Box::new(report));
    }
    let fail = |e: String| {
        Box::new(VerifyReport {
            dir: from.to_owned(),
            manifest_error: Some(e),
            ..VerifyReport::default()
        })
    };
    let parent = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
    let staging = Staging::create(parent.join(".media-import")).map_err(|e| fail(e.to_string()))?;
    let manifest = Manifest::read(from).map_err(fail)?;
    if !bad_entries(from, &manifest).is_empty() {
        return Err(fail("the pack changed while it was being imported".into()));
    }
    for clip in &manifest.clips {
        staging
            .copy_in(&from.join(&clip.file), &clip.file)
            .map_err(|e| fail(format!("cannot copy {}: {e}", clip.file)))?;
        let copied = sha256_file(&staging.path.join(&clip.file))
            .map_err(|e| fail(format!("cannot check the copy of {}: {e}", clip.file)))?;
        if !copied.eq_ignore_ascii_case(&clip.sha256) {
            return Err(fail(format!("{} changed while it was being copied", clip.file)));
        }
    }
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| fail(e.to_string()))?;
    std::fs::write(staging.path.join(MANIFEST), text)
        .map_err(|e| fail(format!("cannot write the manifest: {e}")))?;
    staging
        .install_keeping_previous(target)
        .map_err(|e| fail(format!("cannot install {}: {e}", target.display())))?;
    Ok(report)
}
