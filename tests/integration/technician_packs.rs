//! Technician mode's installs from a USB stick, without the screen: what a stick's
//! `legal-aid-kiosk` folder offers, voice packs and a sign-language pack installed whole or not at
//! all, and rollbacks back to the shipped packs.

use kiosk::config::Config;
use kiosk::technician::usb::{self, Found, Kind};
use kiosk::technician::{ImportFailure, Toolbox};
use std::path::Path;
use std::sync::Arc;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn toolbox(data: &Path, stick: &Path) -> Toolbox {
    let clock = Arc::new(kiosk::clock::ManualClock::new(chrono::Utc::now()));
    let mut tools = Toolbox::new(Arc::new(Config::default()), data, clock);
    tools.import_roots = vec![stick.to_path_buf()];
    tools
}

fn found(tools: &Toolbox, kind: Kind) -> Found {
    usb::find(&tools.import_roots)
        .into_iter()
        .find(|f| f.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} on the stick"))
}

#[test]
fn voice_packs_from_a_stick_are_checked_installed_whole_and_rolled_back() {
    let data = tempfile::tempdir().unwrap();
    let stick = tempfile::tempdir().unwrap();
    let config = Config::default();
    let shipped = config.speech.voice_dir();
    let voice = stick.path().join("HALL-STICK/legal-aid-kiosk/voice");
    copy_tree(&shipped, &voice);
    let tools = toolbox(data.path(), stick.path());
    let installed = kiosk::speech::pack::imported_dir(data.path());

    // A Uyghur clip missing: refused by name, nothing installed.
    let manifest = kiosk::speech::pack::read_manifest(&voice.join("ug")).unwrap();
    let gone = &manifest.clips[0].file;
    std::fs::remove_file(voice.join("ug").join(gone)).unwrap();
    match tools.import(&found(&tools, Kind::VoicePacks)) {
        Err(ImportFailure::Refused(why)) => assert!(why.to_string().contains("ug"), "{why}"),
        other => panic!("a pack with a missing clip: {other:?}"),
    }
    assert!(!installed.exists(), "a refused import installs nothing");
    assert_eq!(
        kiosk::speech::pack::voice_dir_in(&config.speech, data.path()),
        shipped
    );

    // Whole again: installed, and the terminal speaks from it.
    std::fs::copy(shipped.join("ug").join(gone), voice.join("ug").join(gone)).unwrap();
    let said = tools.import(&found(&tools, Kind::VoicePacks)).unwrap();
    assert!(said.to_string().contains("voice packs installed"), "{said}");
    assert_eq!(
        kiosk::speech::pack::voice_dir_in(&config.speech, data.path()),
        installed
    );
    for code in ["zh", "yue", "en", "ug"] {
        let required =
            kiosk::speech::catalogue::required(code.parse().unwrap(), |lang| config.spoken_names(lang));
        let check = kiosk::speech::pack::check(&installed.join(code), &required).unwrap();
        assert!(check.missing.is_empty() && check.undecodable.is_empty(), "{code}");
    }
    assert!(
        !data.path().join(".voice-import").exists(),
        "no staging folder is left behind"
    );

    // Rollback: the shipped packs again; a second rollback undoes the first.
    tools.rollback_pack(Kind::VoicePacks).unwrap();
    assert_eq!(
        kiosk::speech::pack::voice_dir_in(&config.speech, data.path()),
        shipped
    );
    tools.rollback_pack(Kind::VoicePacks).unwrap();
    assert_eq!(
        kiosk::speech::pack::voice_dir_in(&config.speech, data.path()),
        installed
    );
}

#[test]
fn a_sign_language_pack_from_a_stick_becomes_the_one_in_use() {
    use kiosk::media::pack;
    let data = tempfile::tempdir().unwrap();
    let stick = tempfile::tempdir().unwrap();
    let folder = stick.path().join("legal-aid-kiosk/sign-language");
    copy_tree(&pack::shipped_dir(), &folder);
    let tools = toolbox(data.path(), stick.path());
    // A clip changed after its checksum was taken: refused.
    let first = pack::Manifest::read(&folder).unwrap().clips[0].file.clone();
    std::fs::write(folder.join(&first), b"not the recorded clip").unwrap();
    assert!(matches!(
        tools.import(&found(&tools, Kind::SignPack)),
        Err(ImportFailure::Refused(_))
    ));
    assert_eq!(pack::active_dir(data.path()), pack::shipped_dir());
    std::fs::copy(pack::shipped_dir().join(&first), folder.join(&first)).unwrap();
    tools.import(&found(&tools, Kind::SignPack)).unwrap();
    assert_eq!(pack::active_dir(data.path()), pack::imported_dir(data.path()));
    tools.rollback_pack(Kind::SignPack).unwrap();
    assert_eq!(pack::active_dir(data.path()), pack::shipped_dir());
}
