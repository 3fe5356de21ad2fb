//! The visitor screen through Slint's testing backend, by accessible-id. Sign-language video beside the question: frames, caption, pause, the next clip, a missing clip.

use crate::ui;

use kiosk::config::Config;
use kiosk::lang::Lang;
use kiosk::ui::{Nav, Screen, Settings};
use slint::ComponentHandle;
use ui::*;

fn media_state(k: &Kiosk) -> kiosk::ui::MediaState {
    k.ui.window.global::<kiosk::ui::MediaAdapter>().get_state()
}

fn wait_for_media(k: &Kiosk, want: kiosk::ui::MediaState) {
    let w = k.ui.window.as_weak();
    let ok = wait_until(move || {
        w.upgrade()
            .is_some_and(|w| w.global::<kiosk::ui::MediaAdapter>().get_state() == want)
    });
    assert!(ok, "expected the video {want:?}, it is {:?}", media_state(k));
}

pub fn sign_language_video_plays_beside_the_question() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    use kiosk::ui::MediaState;
    let k = kiosk_with(Config::default());
    kiosk::ui::media::enable(&k.ui.window, &kiosk::media::pack::shipped_dir()).unwrap();
    tap(&k, "home-accessibility");
    wait_for_screen(&k, Screen::Accessibility);
    tap(&k, "a11y-sign-video");
    assert!(k.ui.window.global::<Settings>().get_sign_video());
    tap(&k, "nav-back");
    wait_for_screen(&k, Screen::Home);
    tap(&k, "home-screening");
    wait_for_screen(&k, Screen::WizardMatter);
    find(&k, "sign-video");
    // Decoded frames reach the panel, with the prompt's caption in the visitor's language.
    wait_for_media(&k, MediaState::Playing);
    let ma = k.ui.window.global::<kiosk::ui::MediaAdapter>();
    let size = ma.get_frame().size();
    assert_eq!((size.width, size.height), kiosk::ui::media::FRAME_SIZE);
    assert_eq!(
        ma.get_caption(),
        kiosk::i18n::tr(Lang::ZhCn, "What do you need help with?")
    );
    tap(&k, "sign-video-pause");
    wait_for_media(&k, MediaState::Paused);
    tap(&k, "sign-video-pause");
    wait_for_media(&k, MediaState::Playing);
    // The next question plays its own clip: the caption follows.
    tap(&k, "matter-family_support");
    wait_for_screen(&k, Screen::WizardQuestion);
    find(&k, "sign-video");
    let w = k.ui.window.as_weak();
    let want = kiosk::i18n::tr(
        Lang::ZhCn,
        "Is a lawyer or someone else already acting for you in this matter?",
    );
    assert!(wait_until(move || w
        .upgrade()
        .is_some_and(
            |w| w.global::<kiosk::ui::MediaAdapter>().get_caption() == want
        )));
    wait_for_media(&k, MediaState::Playing);
    // The session wipe switches the video off.
    k.ui.window.global::<Nav>().invoke_session_timeout();
    find(&k, "home-screening");
    wait_for_media(&k, MediaState::Off);

    // A pack without the first prompt's clip: the panel says so and the screen still works.
    let pack = tempfile::tempdir().unwrap();
    let shipped = kiosk::media::pack::shipped_dir();
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shipped.join("manifest.json")).unwrap()).unwrap();
    m["clips"].as_array_mut().unwrap().retain(|c| c["id"] != "Matter");
    std::fs::write(pack.path().join("manifest.json"), m.to_string()).unwrap();
    let k = kiosk_with(Config::default());
    kiosk::ui::media::enable(&k.ui.window, pack.path()).unwrap();
    k.ui.window.global::<Settings>().set_sign_video(true);
    tap(&k, "home-screening");
    wait_for_screen(&k, Screen::WizardMatter);
    find(&k, "sign-video-missing");
    wait_for_media(&k, MediaState::Missing);
    tap(&k, "matter-family_support");
    wait_for_screen(&k, Screen::WizardQuestion);
}
