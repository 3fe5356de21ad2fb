//! The visitor screen through Slint's testing backend, by accessible-id. The eligibility check from the matter to the result and on to the right ticket.

use crate::ui;

use kiosk::config::Config;
use kiosk::ui::{Screen, TicketAdapter};
use slint::ComponentHandle;
use slint::Model;
use slint::platform::Key;
use ui::*;

fn wizard_step(k: &Kiosk) -> kiosk::ui::WizardStep {
    k.ui.window.global::<kiosk::ui::WizardAdapter>().get_step()
}

pub fn screening_wizard_leads_to_the_result_and_the_right_ticket() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let config = with_standard_for_today(Config::default());
    let k = kiosk_with(config);
    tap(&k, "home-screening");
    wait_for_screen(&k, Screen::WizardMatter);
    tap(&k, "matter-family_support");
    wait_for_screen(&k, Screen::WizardQuestion);
    assert_eq!(wizard_step(&k), kiosk::ui::WizardStep::AlreadyRepresented);
    tap(&k, "answer-no");
    assert_eq!(wizard_step(&k), kiosk::ui::WizardStep::CaseOutsideCity);
    tap(&k, "answer-no");
    wait_for_screen(&k, Screen::WizardChecklist);
    assert_eq!(wizard_step(&k), kiosk::ui::WizardStep::Circumstances);
    tap(&k, "checklist-continue");
    wait_for_screen(&k, Screen::WizardQuestion);
    assert_eq!(wizard_step(&k), kiosk::ui::WizardStep::HighValueAssets);
    tap(&k, "answer-no");
    wait_for_screen(&k, Screen::WizardNumber);
    assert_eq!(wizard_step(&k), kiosk::ui::WizardStep::HouseholdSize);
    // 0 people is refused on the spot; then 3.
    tap(&k, "key-0");
    tap(&k, "key-ok");
    find(&k, "number-error");
    tap(&k, "key-delete");
    tap(&k, "key-3");
    assert_eq!(find(&k, "number-display").accessible_label().unwrap(), "3");
    tap(&k, "key-ok");
    assert_eq!(wizard_step(&k), kiosk::ui::WizardStep::Income);
    // Back undoes the last answer: the household size is asked again.
    press(&k, Key::Escape);
    assert_eq!(wizard_step(&k), kiosk::ui::WizardStep::HouseholdSize);
    tap(&k, "key-3");
    tap(&k, "key-ok");
    for key in ["key-4", "key-8", "key-0", "key-0", "key-ok"] {
        tap(&k, key);
    }
    wait_for_screen(&k, Screen::WizardQuestion);
    assert_eq!(wizard_step(&k), kiosk::ui::WizardStep::DeadlineWithinAWeek);
    tap(&k, "answer-no");
    wait_for_screen(&k, Screen::WizardReview);
    assert_eq!(
        k.ui.window
            .global::<kiosk::ui::WizardAdapter>()
            .get_review()
            .row_count(),
        8,
        "the matter and seven answers"
    );
    tap(&k, "review-confirm");
    wait_for_screen(&k, Screen::WizardResult);
    let w = k.ui.window.global::<kiosk::ui::WizardAdapter>();
    assert_eq!(w.get_outcome(), "eligible", "4800 for 3 people is below 2600 × 3");
    find(&k, "result-reason-means_test_passed");
    assert_eq!(w.get_ticket_service(), "B");
    tap(&k, "result-take-ticket");
    wait_for_screen(&k, Screen::Priority);
    tap(&k, "priority-none");
    wait_for_screen(&k, Screen::Confirmation);
    assert_eq!(k.ui.window.global::<TicketAdapter>().get_number(), "B001");

    // The counter that calls B001 sees what the screening said: codes, nothing personal.
    use kiosk::contract::HallQueue;
    let store = kiosk_store::Store::open_in(k.dir.path()).unwrap();
    let service =
        kiosk::queue_service::QueueService::new(store, std::sync::Arc::new(Config::default()), hall_clock())
            .unwrap();
    let mut counter = kiosk::hall_queue::LocalQueue::new(service);
    counter.call_number(1, "B001".parse().unwrap()).unwrap();
    let note = counter.counter_view(1).unwrap().current_screening;
    assert_eq!(
        note,
        Some(kiosk::contract::ScreeningNote {
            outcome: "eligible".into(),
            matter: "family_support".into()
        })
    );
}
