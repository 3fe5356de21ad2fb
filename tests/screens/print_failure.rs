//! The visitor screen through Slint's testing backend, by accessible-id. Paper out: the number is kept, the message says so, and "Print again" prints it.

use crate::common;
use crate::ui;

use common::fake_printer::{Condition, FakePrinter};
use kiosk::config::Config;
use kiosk::lang::Lang;
use kiosk::ui::{PrintState, Screen, TicketAdapter};
use kiosk_store::Store;
use slint::ComponentHandle;
use ui::*;

fn wait_print_state(k: &Kiosk, want: PrintState) {
    let w = k.ui.window.as_weak();
    let ok = wait_until(move || {
        w.upgrade()
            .is_some_and(|w| w.global::<TicketAdapter>().get_print_state() == want)
    });
    assert!(
        ok,
        "print state {:?}, expected {want:?}",
        k.ui.window.global::<TicketAdapter>().get_print_state()
    );
}

pub fn a_failed_print_keeps_the_number_and_can_be_printed_again() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let fake = FakePrinter::start(Condition::PaperEnd);
    let mut config = Config::default();
    config.printer.kind = kiosk::config::PrinterKind::Serial;
    config.printer.device = Some(fake.device.clone());
    let k = kiosk_printing(config, true);
    ask_for_normal_ticket(&k, "A");
    wait_for_screen(&k, Screen::Confirmation);
    wait_print_state(&k, PrintState::Failed);
    let message = find(&k, "confirmation-print").accessible_label().unwrap();
    let expected = kiosk::i18n::tr(
        Lang::ZhCn,
        "The ticket could not be printed. Please write down your number; it is still valid.",
    );
    assert_eq!(message, expected);
    assert!(
        fake.take().items.is_empty(),
        "nothing printed while the paper is out"
    );
    let events =
        kiosk::printing::printer_attention(&mut Store::open_in(k.dir.path()).unwrap(), "kiosk-1").unwrap();
    assert_eq!(events.and_then(|e| e.problem).as_deref(), Some("paper_end"));

    // Paper loaded: "Print again" prints the same ticket.
    fake.set(Condition::Online);
    tap(&k, "confirmation-reprint");
    wait_print_state(&k, PrintState::Printed);
    let paper = fake.take();
    assert!(paper.texts().contains(&"A001".to_owned()), "{:?}", paper.texts());
    assert_eq!(paper.cuts(), 1);
    // The printer thread records the event before it reports to the screen.
    let open =
        kiosk::printing::printer_attention(&mut Store::open_in(k.dir.path()).unwrap(), "kiosk-1").unwrap();
    assert!(open.is_none(), "the printer recovered: {open:?}");
}
