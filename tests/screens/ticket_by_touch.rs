//! The visitor screen through Slint's testing backend, by accessible-id. A ticket by touch in each language, checked in the queue with its language.

use crate::ui;

use kiosk::config::Config;
use kiosk::lang::Lang;
use kiosk::queue_service::QueueService;
use kiosk::ui::{Screen, TicketAdapter};
use kiosk_store::Store;
use slint::ComponentHandle;
use std::sync::Arc;
use ui::*;

fn ticket_languages(k: &Kiosk) -> Vec<(String, String)> {
    let store = Store::open_in(k.dir.path()).unwrap();
    let mut q = QueueService::new(store, Arc::new(Config::default()), hall_clock()).unwrap();
    q.status()
        .unwrap()
        .tickets
        .into_iter()
        .map(|t| (t.number, t.language))
        .collect()
}

pub fn take_a_ticket_by_touch_in_each_language() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let k = kiosk_with(Config::default());
    let expected = [
        (Lang::ZhCn, "A001", "法律咨询"),
        (Lang::En, "A002", "Legal consultation"),
        (Lang::Ug, "A003", "قانۇن مەسلىھەتى"),
    ];
    for (lang, number, service_name) in expected {
        tap(&k, "home-language");
        wait_for_screen(&k, Screen::Language);
        tap(&k, &format!("language-{}", lang.code()));
        wait_for_screen(&k, Screen::Home);
        assert_eq!(
            k.ui.window.global::<kiosk::ui::Appearance>().get_language(),
            lang.code()
        );
        ask_for_normal_ticket(&k, "A");
        wait_for_screen(&k, Screen::Confirmation);
        let t = k.ui.window.global::<TicketAdapter>();
        assert_eq!(t.get_number(), number);
        assert_eq!(t.get_service_name(), service_name);
        assert_eq!(
            find(&k, "confirmation-number").accessible_label().unwrap(),
            number
        );
        tap(&k, "confirmation-done");
        wait_for_screen(&k, Screen::Home);
    }
    let langs = ticket_languages(&k);
    assert_eq!(
        langs,
        vec![
            ("A001".into(), "zh-CN".into()),
            ("A002".into(), "en".into()),
            ("A003".into(), "ug".into())
        ],
        "each ticket is in the queue with its visitor's language"
    );
}
