//! The visitor screen through Slint's testing backend, by accessible-id. A walk of every screen: each button or checkbox has a role, a label and an id.

use crate::ui;

use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementQuery};
use kiosk::config::Config;
use kiosk::ui::{Nav, Screen};
use slint::ComponentHandle;
use ui::*;

pub fn every_interactive_element_has_role_label_and_id() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let k = kiosk_with(Config::default());
    let screens = [
        Screen::Home,
        Screen::Language,
        Screen::Accessibility,
        Screen::Help,
        Screen::Service,
        Screen::Priority,
        Screen::Confirmation,
        Screen::WizardMatter,
        Screen::WizardQuestion,
        Screen::WizardChecklist,
        Screen::WizardNumber,
        Screen::WizardReview,
        Screen::WizardResult,
    ];
    let mut checked = 0;
    for s in screens {
        k.ui.window.global::<Nav>().set_screen(s);
        let w = k.ui.window.as_weak();
        assert!(wait_until(move || w
            .upgrade()
            .is_some_and(|w| w.global::<Nav>().get_screen() == s)));
        let interactive: Vec<ElementHandle> = ElementQuery::from_root(&k.ui.window)
            .match_descendants()
            .match_predicate(|e| {
                matches!(
                    e.accessible_role(),
                    Some(AccessibleRole::Button | AccessibleRole::Checkbox)
                )
            })
            .find_all();
        assert!(!interactive.is_empty(), "{s:?} has no interactive element");
        for e in interactive {
            let label = e.accessible_label().unwrap_or_default();
            let id = e.accessible_id().unwrap_or_default();
            assert!(!label.trim().is_empty(), "{s:?}: element {id:?} has no label");
            assert!(!id.is_empty(), "{s:?}: button '{label}' has no accessible-id");
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked}");
}
