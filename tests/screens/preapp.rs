//! The visitor screen through Slint's testing backend, by accessible-id. A pre-application sent from the result screen, and the phone number gone afterwards.

use crate::ui;

use kiosk::config::Config;
use kiosk::lang::Lang;
use kiosk::ui::{PreappAdapter, Screen};
use slint::ComponentHandle;
use ui::*;

pub fn a_pre_application_is_sent_from_the_result_screen() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let (k, receiver) = kiosk_with_agency(Config::default());

    // Legal advice needs no means test: the shortest way to a result.
    tap(&k, "home-screening");
    wait_for_screen(&k, Screen::WizardMatter);
    tap(&k, "matter-consultation");
    wait_for_screen(&k, Screen::WizardReview);
    tap(&k, "review-confirm");
    wait_for_screen(&k, Screen::WizardResult);
    tap(&k, "result-send");
    wait_for_screen(&k, Screen::PreappPhone);
    for d in "1381234567".chars() {
        tap(&k, &format!("preapp-key-{d}"));
    }
    tap(&k, "preapp-continue");
    find(&k, "preapp-error");
    tap(&k, "preapp-key-8");
    tap(&k, "preapp-continue");
    wait_for_screen(&k, Screen::PreappId);
    // A wrong check digit is caught; the right one (X) passes.
    for d in "110105194912310021".chars() {
        tap(&k, &format!("preapp-key-{d}"));
    }
    tap(&k, "preapp-continue");
    let error = find(&k, "preapp-error").accessible_label().unwrap();
    assert_eq!(
        error,
        kiosk::i18n::tr(
            Lang::ZhCn,
            "This ID number is not valid. Please check each digit."
        )
    );
    tap(&k, "preapp-key-delete");
    tap(&k, "preapp-key-x");
    tap(&k, "preapp-continue");
    wait_for_screen(&k, Screen::PreappConsent);
    tap(&k, "preapp-agree");
    let w = k.ui.window.as_weak();
    assert!(
        wait_until(move || w
            .upgrade()
            .is_some_and(|w| w.global::<PreappAdapter>().get_delivered())),
        "the office acknowledged it"
    );
    let reference = find(&k, "preapp-reference").accessible_label().unwrap();
    assert!(reference.starts_with("GZLA-"), "{reference}");
    assert_eq!(receiver.stats().accepted, 1);

    // The phone and ID numbers leave the terminal's files once acknowledged.
    let data = k.dir.path().to_path_buf();
    let gone = move || {
        std::fs::read_dir(&data).unwrap().all(|e| {
            let bytes = std::fs::read(e.unwrap().path()).unwrap_or_default();
            !bytes.windows(11).any(|w| w == b"13812345678")
        })
    };
    assert!(
        wait_until(gone),
        "the phone number is still in the data directory"
    );

    // The session wipe forgets everything typed.
    tap(&k, "preapp-done");
    wait_for_screen(&k, Screen::Home);
    assert_eq!(k.ui.window.global::<PreappAdapter>().get_reference(), "");
}
