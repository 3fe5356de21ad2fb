//! Voice packs on disk: `<dir>/<voice>/manifest.json` lists each clip's id, file and text. When
//! a pack is loaded each clip's file must be there (a regular file, not empty), but it is not
//! read — at boot, reading 1 100 files would compete with the window for the disk — and it stays
//! on disk: a clip is read and decoded when it is played, and the ones played lately stay decoded,
//! so the languages in use are warm and the four packs cost a few kilobytes of names, not their
//! samples. Decoding every clip whole (about 1.7 s of one core) is [`check`]'s, run by `kiosk
//! speak --check` and before an import, not at start, where it would compete with the window.

use super::RATE;
use super::Voice;
use super::catalogue::ClipSpec;
use rodio::buffer::SamplesBuffer;
use rodio::source::{SeekError, UniformSourceIterator};
use rodio::{ChannelCount, Decoder, SampleRate, Source};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const MANIFEST: &str = "manifest.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub voice: Voice,
    /// How the clips were made (generator and voice), for the technician's eye.
    #[serde(default)]
    pub source: String,
    pub clips: Vec<ManifestEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    pub id: String,
    pub file: String,
    pub text: String,
    /// A Mandarin clip's reading, the pinyin it was synthesised from (`scripts/voice-pack.py`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinyin: Option<String>,
    /// What was said when it differs from `text` (see `catalogue::spoken_text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spoken: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("voice pack {dir}: cannot read {MANIFEST}: {source}")]
    Manifest { dir: PathBuf, source: std::io::Error },
    #[error("voice pack {dir}: {MANIFEST} is not valid: {detail}")]
    BadManifest { dir: PathBuf, detail: String },
    #[error("voice pack {dir}: clip '{id}' ({file}) cannot be used: {detail}")]
    Clip {
        dir: PathBuf,
        id: String,
        file: String,
        detail: String,
    },
}

/// The clips of one voice, by id and by the text they say.
pub struct VoicePack {
    pub voice: Voice,
    clips: HashMap<String, Clip>,
    by_text: HashMap<String, String>,
}

impl VoicePack {
    pub fn load(dir: &Path) -> Result<VoicePack, PackError> {
        let manifest = read_manifest(dir)?;
        let mut clips = HashMap::with_capacity(manifest.clips.len());
        let mut by_text = HashMap::with_capacity(manifest.clips.len());
        for entry in &manifest.clips {
            let buffer = Clip::open(&dir.join(&entry.file)).map_err(|detail| PackError::Clip {
                dir: dir.to_owned(),
                id: entry.id.clone(),
                file: entry.file.clone(),
                detail,
            })?;
            by_text
                .entry(entry.text.clone())
                .or_insert_with(|| entry.id.clone());
            clips.insert(entry.id.clone(), buffer);
        }
        Ok(VoicePack {
            voice: manifest.voice,
            clips,
            by_text,
        })
    }

    pub fn clip(&self, id: &str) -> Option<&Clip> {
        self.clips.get(id)
    }

    /// The id of the clip that says exactly `text` (a label as the screen shows it).
    pub fn id_for_text(&self, text: &str) -> Option<&str> {
        self.by_text.get(text.trim()).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.clips.len()
    }

    pub fn is_empty(&self) -> bool {
        self.clips.is_empty()
    }

    /// Every clip, by id.
    pub fn clips(&self) -> impl Iterator<Item = (&str, &Clip)> {
        self.clips.iter().map(|(id, clip)| (id.as_str(), clip))
    }
}

pub fn read_manifest(dir: &Path) -> Result<Manifest, PackError> {
    let text =
        crate::fsutil::read_text(&dir.join(MANIFEST), crate::fsutil::MANIFEST_LIMIT).map_err(|source| {
            PackError::Manifest {
                dir: dir.to_owned(),
                source,
            }
        })?;
    serde_json::from_str(&text).map_err(|e| PackError::BadManifest {
        dir: dir.to_owned(),
        detail: e.to_string(),
    })
}

/// Where a clip's encoded sound (Ogg Vorbis or WAV) is.
#[derive(Clone)]
enum Encoded {
    /// Its file in the pack, read again whenever it is decoded.
    File(Arc<Path>),
    /// In memory (packs built by tests).
    #[cfg(test)]
    Bytes(Arc<[u8]>),
}

/// A clip of a loaded pack, decoded when it is played.
#[derive(Clone)]
pub struct Clip {
    encoded: Encoded,
}

impl Clip {
    /// A clip whose file is there (a regular file, not empty); the clip refers to the file.
    fn open(path: &Path) -> Result<Clip, String> {
        let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
        if !meta.is_file() {
            return Err("it is not a regular file".into());
        }
        if meta.len() == 0 {
            return Err("the file is empty".into());
        }
        Ok(Clip {
            encoded: Encoded::File(Arc::from(path)),
        })
    }

    #[cfg(test)]
    fn from_encoded(bytes: Vec<u8>) -> Result<Clip, String> {
        let bytes: Arc<[u8]> = bytes.into();
        decode_bytes(bytes.clone())?;
        Ok(Clip {
            encoded: Encoded::Bytes(bytes),
        })
    }

    /// The clip decoded, ready to play.
    pub fn decode(&self) -> Result<Pcm, String> {
        match &self.encoded {
            Encoded::File(path) => decode(path),
            #[cfg(test)]
            Encoded::Bytes(bytes) => decode_bytes(bytes.clone()),
        }
    }

    /// Which clip this is, while its pack is loaded (for the cache of decoded clips).
    fn key(&self) -> usize {
        match &self.encoded {
            Encoded::File(path) => Arc::as_ptr(path).cast::<u8>() as usize,
            #[cfg(test)]
            Encoded::Bytes(bytes) => Arc::as_ptr(bytes).cast::<u8>() as usize,
        }
    }
}

/// A decoded clip: mono 16-bit samples at the speaker's rate, shared by every playing copy.
#[derive(Clone)]
pub struct Pcm {
    samples: Arc<[i16]>,
    pos: usize,
}

impl Pcm {
    pub fn from_f32(samples: &[f32]) -> Pcm {
        let samples = samples
            .iter()
            .map(|s| (s.clamp(-1.0, 1.0) * 32767.0).round() as i16)
            .collect();
        Pcm { samples, pos: 0 }
    }

    /// Samples in the whole clip.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }
}

impl Iterator for Pcm {
    type Item = f32;
    fn next(&mut self) -> Option<f32> {
        let s = *self.samples.get(self.pos)?;
        self.pos += 1;
        Some(f32::from(s) / 32767.0)
    }
}

impl Source for Pcm {
    fn current_span_len(&self) -> Option<usize> {
        Some(self.samples.len() - self.pos)
    }
    fn channels(&self) -> ChannelCount {
        ChannelCount::MIN
    }
    fn sample_rate(&self) -> SampleRate {
        SampleRate::new(RATE).unwrap_or(SampleRate::MIN)
    }
    fn total_duration(&self) -> Option<Duration> {
        Some(Duration::from_secs_f64(
            self.samples.len() as f64 / f64::from(RATE),
        ))
    }
    fn try_seek(&mut self, pos: Duration) -> Result<(), SeekError> {
        let at = (pos.as_secs_f64() * f64::from(RATE)) as usize;
        self.pos = at.min(self.samples.len());
        Ok(())
    }
}

/// Decodes a whole clip file (Ogg Vorbis or WAV) into memory, as mono at the speaker's rate: a
/// recording made at another rate or in stereo plays like the generated clips.
pub fn decode(path: &Path) -> Result<Pcm, String> {
    let bytes = crate::fsutil::read_bytes(path, crate::fsutil::CLIP_LIMIT).map_err(|e| e.to_string())?;
    decode_bytes(bytes.into())
}

fn decode_bytes(encoded: Arc<[u8]>) -> Result<Pcm, String> {
    let byte_len = encoded.len() as u64;
    let decoder = Decoder::builder()
        .with_data(Cursor::new(encoded))
        .with_byte_len(byte_len)
        .build()
        .map_err(|e| e.to_string())?;
    let (channels, rate) = (decoder.channels(), decoder.sample_rate());
    let samples: Vec<f32> = decoder.collect();
    if samples.is_empty() {
        return Err("the file holds no sound".into());
    }
    let target = SampleRate::new(RATE).unwrap_or(SampleRate::MIN);
    if channels == ChannelCount::MIN && rate == target {
        return Ok(Pcm::from_f32(&samples));
    }
    let decoded = SamplesBuffer::new(channels, rate, samples);
    let converted: Vec<f32> = UniformSourceIterator::new(decoded, ChannelCount::MIN, target).collect();
    Ok(Pcm::from_f32(&converted))
}

/// How many decoded samples the store keeps for clips played lately: about 130 s of speech
/// (4 MiB), enough for a screen's guide and every call's letters, digits and counters in the
/// languages in use.
const DECODED_BUDGET: usize = 2 * 1024 * 1024;

/// The clips played lately, decoded, oldest first.
#[derive(Default)]
struct Decoded {
    clips: VecDeque<(usize, Arc<[i16]>)>,
    samples: usize,
}

impl Decoded {
    fn get(&mut self, key: usize) -> Option<Arc<[i16]>> {
        let at = self.clips.iter().position(|(k, _)| *k == key)?;
        let entry = self.clips.remove(at)?;
        let samples = entry.1.clone();
        self.clips.push_back(entry);
        Some(samples)
    }

    fn keep(&mut self, key: usize, samples: Arc<[i16]>) {
        self.samples += samples.len();
        self.clips.push_back((key, samples));
        while self.samples > DECODED_BUDGET && self.clips.len() > 1 {
            if let Some((_, old)) = self.clips.pop_front() {
                self.samples -= old.len();
            }
        }
    }
}

/// Every loaded voice pack, and the clips played lately, decoded.
#[derive(Default)]
pub struct ClipStore {
    packs: HashMap<Voice, VoicePack>,
    decoded: Mutex<Decoded>,
}

impl ClipStore {
    /// Loads the packs of `voices` under `root`; a pack that fails is reported and left out.
    pub fn load(root: &Path, voices: &[Voice]) -> (ClipStore, Vec<PackError>) {
        let mut store = ClipStore::default();
        let mut errors = Vec::new();
        for &voice in voices {
            match VoicePack::load(&root.join(voice.code())) {
                Ok(pack) => {
                    store.packs.insert(voice, pack);
                }
                Err(e) => errors.push(e),
            }
        }
        (store, errors)
    }

    pub fn insert(&mut self, pack: VoicePack) {
        self.packs.insert(pack.voice, pack);
    }

    pub fn pack(&self, voice: Voice) -> Option<&VoicePack> {
        self.packs.get(&voice)
    }

    pub fn clip(&self, voice: Voice, id: &str) -> Option<&Clip> {
        self.packs.get(&voice)?.clip(id)
    }

    /// The clip that says `text`: in `voice` when it has one, else in another screen voice (a
    /// language's own name is said in that language).
    pub fn clip_for_text(&self, voice: Voice, text: &str) -> Option<&Clip> {
        let find = |v: Voice| {
            let pack = self.packs.get(&v)?;
            pack.clip(pack.id_for_text(text)?)
        };
        find(voice).or_else(|| {
            [Voice::Zh, Voice::En, Voice::Ug]
                .into_iter()
                .filter(|v| *v != voice)
                .find_map(find)
        })
    }

    /// `clip` ready to play: decoded now, or kept from when it was played lately.
    pub fn pcm(&self, clip: &Clip) -> Result<Pcm, String> {
        let key = clip.key();
        let decoded = || {
            self.decoded
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        };
        if let Some(samples) = decoded().get(key) {
            return Ok(Pcm { samples, pos: 0 });
        }
        // Read and decoded without the lock: a render or a test may share the store.
        let pcm = clip.decode()?;
        decoded().keep(key, pcm.samples.clone());
        Ok(pcm)
    }

    /// Decoded samples the store holds now (the benchmark reports it).
    pub fn decoded_samples(&self) -> usize {
        self.decoded.lock().map_or(0, |decoded| decoded.samples)
    }

    pub fn voices(&self) -> Vec<Voice> {
        let mut v: Vec<Voice> = self.packs.keys().copied().collect();
        v.sort();
        v
    }
}

/// A pack built in memory (tests): each id gets the given samples.
#[cfg(test)]
pub fn pack_from_samples(
    voice: Voice,
    rate: u32,
    clips: impl IntoIterator<Item = (String, String, Vec<f32>)>,
) -> VoicePack {
    debug_assert_eq!(rate, RATE, "packs hold clips at the speaker's rate");
    let mut map = HashMap::new();
    let mut by_text = HashMap::new();
    for (id, text, samples) in clips {
        by_text.insert(text, id.clone());
        let wav = super::wav::wav_bytes(&samples, rate);
        let clip = Clip::from_encoded(wav).unwrap_or_else(|e| panic!("clip {id}: {e}"));
        map.insert(id, clip);
    }
    VoicePack {
        voice,
        clips: map,
        by_text,
    }
}

/// What is missing from, or wrong with, a pack compared with what the kiosk needs.
#[derive(Debug, Default, Serialize)]
pub struct PackCheck {
    pub missing: Vec<String>,
    pub undecodable: Vec<String>,
}

/// Checks that every required clip is listed and every listed file decodes.
pub fn check(dir: &Path, required: &[ClipSpec]) -> Result<PackCheck, PackError> {
    let manifest = read_manifest(dir)?;
    let mut result = PackCheck::default();
    let listed: HashMap<&str, &ManifestEntry> = manifest.clips.iter().map(|e| (e.id.as_str(), e)).collect();
    for spec in required {
        if !listed.contains_key(spec.id.as_str()) {
            result.missing.push(format!("{} ({})", spec.id, spec.text));
        }
    }
    for entry in &manifest.clips {
        if let Err(e) = decode(&dir.join(&entry.file)) {
            result.undecodable.push(format!("{}: {e}", entry.file));
        }
    }
    Ok(result)
}

/// Where voice packs a technician imported are kept: `<data-dir>/voice/<voice>/`.
pub fn imported_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("voice")
}

/// The voice packs this terminal speaks with: the configured ones, else those a technician
/// imported into `<data-dir>/voice`, else the shipped ones.
pub fn voice_dir_in(speech: &crate::config::SpeechConfig, data_dir: &Path) -> PathBuf {
    let imported = imported_dir(data_dir);
    match &speech.voice_dir {
        Some(dir) => dir.clone(),
        None if crate::fsutil::something_at(&imported) => imported,
        None => crate::assets::shipped("voice"),
    }
}

/// Why a voice pack import installed nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The packs are not fit to install: a clip missing or undecodable, a bad manifest.
    Refused(String),
    /// The terminal could not install them (copying or the final rename failed).
    Failed(String),
}

/// Installs the voice packs in `from` (a folder of `<voice>/manifest.json` packs) into `target`,
/// whole or not at all: each of `needed` must be there with every clip it requires, and every
/// clip must decode. The packs replaced are kept for `crate::pack_install::roll_back`. Returns
/// the number of clips installed.
pub fn import(from: &Path, target: &Path, needed: &[(Voice, Vec<ClipSpec>)]) -> Result<usize, ImportError> {
    let mut problems = Vec::new();
    let mut manifests = Vec::new();
    for (voice, required) in needed {
        let dir = from.join(voice.code());
        match check(&dir, required) {
            Err(e) => problems.push(e.to_string()),
            Ok(c) => {
                problems.extend(c.missing.iter().map(|m| format!("{voice}: no clip for {m}")));
                problems.extend(c.undecodable.iter().map(|u| format!("{voice}: {u}")));
            }
        }
        match read_manifest(&dir) {
            Ok(m) => manifests.push((*voice, m)),
            Err(_) => continue,
        }
    }
    for (voice, manifest) in &manifests {
        if manifest.voice != *voice {
            problems.push(format!(
                "{voice}: the manifest says it is the {} pack",
                manifest.voice
            ));
        }
        for entry in &manifest.clips {
            let plain = Path::new(&entry.file).components().count() == 1
                && !entry.file.starts_with('.')
                && !entry.file.contains('/');
            if !plain {
                problems.push(format!("{voice}: {:?} is not a plain file name", entry.file));
            }
        }
    }
    if let Some(first) = problems.first() {
        return Err(ImportError::Refused(format!(
            "{} problem(s), the first: {first}",
            problems.len()
        )));
    }
    let parent = target.parent().unwrap_or(Path::new("."));
    let staging = crate::pack_install::Staging::create(parent.join(".voice-import"))
        .map_err(|e| ImportError::Failed(format!("cannot prepare the import: {e}")))?;
    let mut clips = 0;
    for (voice, manifest) in &manifests {
        let code = voice.code();
        let files = manifest.clips.iter().map(|c| c.file.as_str()).chain([MANIFEST]);
        for file in files {
            staging
                .copy_in(&from.join(code).join(file), &format!("{code}/{file}"))
                .map_err(|e| ImportError::Failed(format!("cannot copy {code}/{file}: {e}")))?;
        }
        clips += manifest.clips.len();
    }
    staging
        .install_keeping_previous(target)
        .map_err(|e| ImportError::Failed(format!("cannot install {}: {e}", target.display())))?;
    Ok(clips)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clips_played_lately_stay_decoded_within_the_budget() {
        let third: Arc<[i16]> = vec![0i16; DECODED_BUDGET / 3].into();
        let mut decoded = Decoded::default();
        for key in 1..=3 {
            decoded.keep(key, third.clone());
        }
        assert!(decoded.get(1).is_some(), "1 is played again: now the most recent");
        decoded.keep(4, third.clone());
        assert!(decoded.samples <= DECODED_BUDGET);
        assert!(decoded.get(2).is_none(), "the least recently played goes first");
        assert!(decoded.get(1).is_some() && decoded.get(3).is_some() && decoded.get(4).is_some());
    }

    #[test]
    fn a_clip_is_decoded_once_while_it_is_kept() {
        let samples = vec![0.25f32; 1600];
        let pack = pack_from_samples(Voice::Zh, RATE, [("a".into(), "A".into(), samples)]);
        let mut store = ClipStore::default();
        store.insert(pack);
        let clip = store.clip(Voice::Zh, "a").unwrap().clone();
        let first = store.pcm(&clip).unwrap();
        assert_eq!(first.len(), 1600);
        let again = store.pcm(&clip).unwrap();
        assert!(
            Arc::ptr_eq(&first.samples, &again.samples),
            "the kept samples are shared"
        );
        assert_eq!(store.decoded_samples(), 1600);
        assert!((again.clone().next().unwrap() - 0.25).abs() < 1e-3);
    }

    /// A pack folder holding `files` (name, bytes) and a manifest listing them, each said by its
    /// name without the extension.
    fn pack_dir(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let clips = files
            .iter()
            .map(|(name, bytes)| {
                std::fs::write(dir.path().join(name), bytes).unwrap();
                let id = name.split('.').next().unwrap().to_owned();
                ManifestEntry {
                    text: id.clone(),
                    id,
                    file: (*name).to_owned(),
                    pinyin: None,
                    spoken: None,
                }
            })
            .collect();
        let manifest = Manifest {
            voice: Voice::Zh,
            source: String::new(),
            clips,
        };
        std::fs::write(dir.path().join(MANIFEST), serde_json::to_vec(&manifest).unwrap()).unwrap();
        dir
    }

    #[test]
    fn a_pack_loads_without_decoding_and_its_clips_decode_when_played() {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/voice/zh/letter-a.ogg");
        let ogg = std::fs::read(shipped).unwrap();
        let cut = ogg[..ogg.len() / 3].to_vec();
        let wav = super::super::wav::wav_bytes(&[0.1f32; 4000], RATE);
        let not_sound = b"ID3 an mp3, which packs do not hold".to_vec();
        let dir = pack_dir(&[
            ("whole.ogg", ogg),
            ("cut.ogg", cut),
            ("wave.wav", wav),
            ("mp3.ogg", not_sound),
        ]);
        let pack = VoicePack::load(dir.path()).unwrap();
        assert!(pack.clip("whole").unwrap().decode().unwrap().len() > 1000);
        assert_eq!(pack.clip("wave").unwrap().decode().unwrap().len(), 4000);
        assert!(pack.clip("cut").is_some(), "loading does not decode");
        assert!(pack.clip("mp3").unwrap().decode().is_err());
        let mut report = check(dir.path(), &[]).unwrap().undecodable;
        report.sort();
        assert_eq!(report.len(), 2, "{report:?}");
        assert!(
            report[0].starts_with("cut.ogg") && report[1].starts_with("mp3.ogg"),
            "{report:?}"
        );
    }

    #[test]
    fn a_clip_file_that_is_empty_or_absent_refuses_its_pack() {
        let refused = |dir: &Path| match VoicePack::load(dir) {
            Err(PackError::Clip { id, .. }) => id,
            Err(e) => panic!("refused for another reason: {e}"),
            Ok(_) => panic!("loaded"),
        };
        let dir = pack_dir(&[("a.ogg", Vec::new()), ("b.ogg", b"OggS".to_vec())]);
        assert_eq!(refused(dir.path()), "a", "a is empty");
        std::fs::write(dir.path().join("a.ogg"), b"OggS").unwrap();
        std::fs::remove_file(dir.path().join("b.ogg")).unwrap();
        assert_eq!(refused(dir.path()), "b", "b is absent");
    }

    #[test]
    fn an_import_the_terminal_cannot_write_failed_rather_than_refused() {
        let dir = tempfile::tempdir().unwrap();
        let not_a_folder = dir.path().join("data");
        std::fs::write(&not_a_folder, b"a file where the data folder should be").unwrap();
        let result = import(dir.path(), &not_a_folder.join("voice"), &[]);
        assert!(matches!(result, Err(ImportError::Failed(_))), "{result:?}");
    }
}
