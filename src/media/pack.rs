//! The media pack on disk: `manifest.json` lists each prompt's clip, its duration, its SHA-256
//! and the message id of its caption. `verify` finds every defect a technician can fix; `import`
//! installs a pack only when it verifies.

use super::decode;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
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

pub fn shipped_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/media")
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
        "Is there a deadline in the next 7 days (a court date, or the last day to file)?",
    ),
    ("Review", "Please check your answers"),
    (
        "Result",
        "This is advice only. The legal aid office decides, within 7 days.",
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
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
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
    pub missing_files: Vec<String>,
    pub bad_checksums: Vec<String>,
    pub undecodable: Vec<String>,
    pub wrong_duration: Vec<String>,
    pub unknown_ids: Vec<String>,
    pub prompts_without_clip: Vec<String>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.manifest_error.is_none()
            && self.missing_files.is_empty()
            && self.bad_checksums.is_empty()
            && self.undecodable.is_empty()
            && self.wrong_duration.is_empty()
            && self.unknown_ids.is_empty()
            && self.prompts_without_clip.is_empty()
    }
}

/// How far a clip's decoded length may be from its manifest entry.
const DURATION_TOLERANCE_MS: u64 = 250;

pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
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
    let known: HashSet<&str> = PROMPTS.iter().map(|(id, _)| *id).collect();
    for clip in &manifest.clips {
        if !known.contains(clip.id.as_str()) {
            r.unknown_ids.push(clip.id.clone());
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

/// Installs a verified pack into `target` (replacing what was there as a whole: a half-copied
/// pack is never in use). Returns the report; on any defect nothing is changed.
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
    let staging = parent.join(".media-import");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| fail(e.to_string()))?;
    let manifest = Manifest::read(from).map_err(fail)?;
    let files = manifest.clips.iter().map(|c| c.file.as_str()).chain([MANIFEST]);
    for file in files {
        std::fs::copy(from.join(file), staging.join(file))
            .map_err(|e| fail(format!("cannot copy {file}: {e}")))?;
    }
    let old = parent.join(".media-previous");
    let _ = std::fs::remove_dir_all(&old);
    if target.exists() {
        std::fs::rename(target, &old)
            .map_err(|e| fail(format!("cannot replace {}: {e}", target.display())))?;
    }
    std::fs::rename(&staging, target)
        .map_err(|e| fail(format!("cannot install {}: {e}", target.display())))?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(report)
}
