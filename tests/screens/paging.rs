//! The visitor screen through Slint's testing backend, by accessible-id. The paging buttons of a
//! screen whose content is longer than its area: absent where everything fits; under the list
//! in portrait, as arrows in the bottom bar in landscape; their action (a touch, or assistive
//! technology, which has no other way to scroll) brings the rest of the list into view.

use crate::ui;

use i_slint_backend_testing::ElementHandle;
use kiosk::config::Config;
use kiosk::ui::Screen;
use slint::ComponentHandle;
use ui::*;

fn top(e: &ElementHandle) -> f32 {
    e.absolute_position().y
}

fn bottom(e: &ElementHandle) -> f32 {
    e.absolute_position().y + e.size().height
}

/// A paging button with nothing more its way is hidden: out of the tree.
fn shown(k: &Kiosk, id: &str) -> bool {
    element_in(&k.ui.window, id).is_some()
}

/// Presses a paging button (its accessible action) until it is hidden; returns the presses.
fn page_to_the_end(k: &Kiosk, id: &str) -> usize {
    let mut presses = 0;
    while shown(k, id) {
        assert!(presses < 10, "{id} never reached the end of the list");
        tap(k, id);
        presses += 1;
    }
    presses
}

pub fn paging_buttons_bring_the_rest_of_a_long_list_into_view() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let k = kiosk_with(Config::default());
    k.ui.window
        .window()
        .set_size(slint::LogicalSize::new(1080.0, 1920.0));

    // The home screen fits: nothing to page.
    wait_for_element(&k, "home-screening");
    assert!(
        element_in(&k.ui.window, "page-down").is_none(),
        "the home screen fits, yet it shows paging buttons"
    );

    // The matters do not fit in portrait: the row under them, "above" off at the top.
    tap(&k, "home-screening");
    wait_for_screen(&k, Screen::WizardMatter);
    let down = wait_for_element(&k, "page-down");
    let row_top = top(&down);
    assert!(
        !shown(&k, "page-up"),
        "already at the top, yet 'see above' is shown"
    );
    assert!(shown(&k, "page-down"));
    // (A control scrolled wholly out of view is not in the tree, as for assistive technology.)
    assert!(
        element_in(&k.ui.window, "matter-other").is_none(),
        "the last matter was expected below the fold"
    );
    assert!(
        row_top < top(&find(&k, "nav-back")),
        "the paging row belongs above the bottom bar"
    );
    let label = down.accessible_label().unwrap_or_default();
    assert!(
        !label.trim().is_empty(),
        "the paging button has no accessible name"
    );

    // Down to the end: the last matter in view above the row, the first scrolled away.
    let first_top = top(&find(&k, "matter-unsure"));
    assert!(page_to_the_end(&k, "page-down") >= 1);
    assert!(bottom(&find(&k, "matter-other")) <= row_top);
    assert!(element_in(&k.ui.window, "matter-unsure").is_none());
    assert!(shown(&k, "page-up"));

    // And back up: the first matter where it started.
    assert!(page_to_the_end(&k, "page-up") >= 1);
    assert_eq!(top(&find(&k, "matter-unsure")), first_top);
    assert!(shown(&k, "page-down"));

    // Landscape: arrows in the bottom bar, level with Back, still named for assistive technology.
    k.ui.window
        .window()
        .set_size(slint::LogicalSize::new(1920.0, 1080.0));
    let w = k.ui.window.as_weak();
    let in_bar = wait_until(move || {
        w.upgrade().is_some_and(|w| {
            let (down, back) = (element_in(&w, "page-down"), element_in(&w, "nav-back"));
            down.zip(back).is_some_and(|(d, b)| top(&d) == top(&b))
        })
    });
    assert!(
        in_bar,
        "in landscape the arrows sit in the bottom bar, level with Back"
    );
    let down = find(&k, "page-down");
    let back = find(&k, "nav-back");
    assert_eq!(down.accessible_label(), Some(label));
    assert!(page_to_the_end(&k, "page-down") >= 1);
    assert!(bottom(&find(&k, "matter-other")) <= top(&back));
}
