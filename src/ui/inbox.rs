//! Messages from the worker threads (queue replies, printer reports) to one window. A worker
//! thread cannot hold the window's Rust state (it lives on the UI thread, in `Rc`s), so it posts
//! the message into this window's channel and wakes the window; the window's handler, which
//! owns that state, takes the messages in order. No thread-local: two windows on one thread
//! each get their own messages.

use super::worker::Reply;
use super::{KioskWindow, Nav};
use crate::printer::Report;
use slint::ComponentHandle;
use std::sync::mpsc;

pub(super) enum Message {
    Queue(Reply),
    Printer(Report),
}

/// The sending end, for worker threads.
#[derive(Clone)]
pub(super) struct Poster {
    messages: mpsc::Sender<Message>,
    window: slint::Weak<KioskWindow>,
}

impl Poster {
    pub(super) fn post(&self, message: Message) {
        if self.messages.send(message).is_ok() {
            // The window may be gone (shut down): then nobody is waiting for the message.
            let _ = self
                .window
                .upgrade_in_event_loop(|w| w.global::<Nav>().invoke_messages_waiting());
        }
    }
}

/// The receiving end, until the window's handler takes it.
pub(super) struct Inbox {
    messages: mpsc::Receiver<Message>,
}

pub(super) fn open(window: &KioskWindow) -> (Poster, Inbox) {
    let (messages, inbox) = mpsc::channel();
    let poster = Poster {
        messages,
        window: window.as_weak(),
    };
    (poster, Inbox { messages: inbox })
}

impl Inbox {
    /// Hands every message, on the UI thread, to `handle`.
    pub(super) fn deliver_to(self, window: &KioskWindow, handle: impl Fn(&KioskWindow, Message) + 'static) {
        let weak = window.as_weak();
        window.global::<Nav>().on_messages_waiting(move || {
            let Some(w) = weak.upgrade() else { return };
            while let Ok(message) = self.messages.try_recv() {
                handle(&w, message);
            }
        });
    }
}
