//! "Send my answers to the legal aid office": phone number, optional resident ID, consent, then
//! the outbox. The contact details live only in this session (and the outbox row) and are wiped
//! with the session; they are never logged.

use super::wizard::Wizard;
use super::{ContactProblem, KioskWindow, Nav, PreappAdapter, Screen};
pub use crate::agency::outbox::OutboxLink;
use crate::agency::outbox::PreApplicationRequest;
use crate::agency::submission::{Contact, ContactError, validate_id_number, validate_phone};
use slint::{ComponentHandle, SharedString};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// How long the done screen waits to show the office's own reference before settling for ours.
const ACK_WAIT: Duration = Duration::from_secs(4);

#[derive(Default)]
struct Entry {
    phone: Option<String>,
    id_number: Option<String>,
}

impl Entry {
    /// Overwrites the numbers before letting them go, so they do not linger in freed memory.
    fn wipe(&mut self) {
        for slot in [&mut self.phone, &mut self.id_number] {
            if let Some(text) = slot.take() {
                let mut bytes = text.into_bytes();
                bytes.fill(0);
                std::hint::black_box(&bytes);
            }
        }
    }

    fn wipe_id(&mut self) {
        let phone = self.phone.take();
        self.wipe();
        self.phone = phone;
    }

    fn is_empty(&self) -> bool {
        self.phone.is_none() && self.id_number.is_none()
    }
}

/// A handle on the contact details this window holds, so tests (and a technician's check) can
/// see that a wipe really forgot them.
#[derive(Clone, Default)]
pub struct ContactHold(Rc<RefCell<Entry>>);

impl ContactHold {
    /// Whether a phone or ID number is held in memory.
    pub fn holds_anything(&self) -> bool {
        !self.0.borrow().is_empty()
    }
}

/// The message the screen shows for a refused entry, to be said aloud.
fn error_message(e: &ContactError) -> &'static str {
    match e {
        ContactError::Phone => super::said::PHONE_FORM,
        ContactError::IdShape => super::said::ID_SHAPE,
        ContactError::IdBirthDate => super::said::ID_BIRTH_DATE,
        ContactError::IdCheckDigit => super::said::ID_CHECK_DIGIT,
    }
}

fn refuse(w: &KioskWindow, guide: &super::speech::Guide, e: &ContactError) {
    w.global::<PreappAdapter>().set_error(problem(e));
    guide.say_message(w, error_message(e));
}

fn problem(e: &ContactError) -> ContactProblem {
    match e {
        ContactError::Phone => ContactProblem::Phone,
        ContactError::IdShape => ContactProblem::IdShape,
        ContactError::IdBirthDate => ContactProblem::IdBirthDate,
        ContactError::IdCheckDigit => ContactProblem::IdCheckDigit,
    }
}

pub(super) fn wire(window: &KioskWindow, wiz: Rc<Wizard>, outbox: Option<OutboxLink>) -> ContactHold {
    let pa = window.global::<PreappAdapter>();
    pa.set_available(outbox.is_some());
    let hold = ContactHold::default();
    let entry = hold.0.clone();
    let (z, e) = (wiz.clone(), entry.clone());
    pa.on_forget(move || {
        e.borrow_mut().wipe();
        z.with_ui(clear);
    });
    let Some(outbox) = outbox else { return hold };

    let (z, e) = (wiz.clone(), entry.clone());
    pa.on_start(move || {
        e.borrow_mut().wipe();
        z.with_ui(|w| {
            clear(w);
            w.global::<Nav>().set_screen(Screen::PreappPhone);
        });
    });
    let z = wiz.clone();
    pa.on_key(move |key| {
        z.with_ui(|w| {
            let pa = w.global::<PreappAdapter>();
            let id_screen = w.global::<Nav>().get_screen() == Screen::PreappId;
            let mut text = pa.get_entry().to_string();
            match key.as_str() {
                "del" => {
                    text.pop();
                }
                "X" if id_screen && text.len() == 17 => text.push('X'),
                d if d.len() == 1 && d.chars().all(|c| c.is_ascii_digit()) => {
                    let max = if id_screen { 18 } else { 12 };
                    if text.len() < max && !text.ends_with('X') {
                        text.push_str(d);
                    }
                }
                _ => {}
            }
            pa.set_entry(text.into());
            pa.set_error(ContactProblem::None);
            z.guide.echo_key(w, &key);
        });
    });
    let (z, e) = (wiz.clone(), entry.clone());
    pa.on_next(move || {
        z.with_ui(|w| {
            let pa = w.global::<PreappAdapter>();
            let nav = w.global::<Nav>();
            let text = pa.get_entry().to_string();
            if nav.get_screen() == Screen::PreappPhone {
                match validate_phone(&text) {
                    Ok(phone) => {
                        e.borrow_mut().phone = Some(phone);
                        pa.set_entry(e.borrow().id_number.clone().unwrap_or_default().into());
                        nav.set_screen(Screen::PreappId);
                    }
                    Err(err) => refuse(w, &z.guide, &err),
                }
            } else if text.is_empty() {
                e.borrow_mut().id_number = None;
                nav.set_screen(Screen::PreappConsent);
            } else {
                match validate_id_number(&text) {
                    Ok(id) => {
                        e.borrow_mut().id_number = Some(id);
                        nav.set_screen(Screen::PreappConsent);
                    }
                    Err(err) => refuse(w, &z.guide, &err),
                }
            }
        });
    });
    let (z, e) = (wiz.clone(), entry.clone());
    pa.on_skip_id(move || {
        e.borrow_mut().wipe_id();
        z.with_ui(|w| {
            w.global::<PreappAdapter>().set_entry(SharedString::new());
            w.global::<Nav>().set_screen(Screen::PreappConsent);
        });
    });
    let (z, e) = (wiz.clone(), entry);
    pa.on_consent(move |agreed| {
        if !agreed {
            e.borrow_mut().wipe();
            z.with_ui(|w| {
                clear(w);
                w.global::<Nav>().set_screen(Screen::WizardResult);
            });
            return;
        }
        let taken = std::mem::take(&mut *e.borrow_mut());
        send(&z, taken, &outbox);
    });
    let z = wiz;
    pa.on_print(move || z.print_summary());
    hold
}

/// The pre-application's on-screen state back to empty (the Rust side: `PreappAdapter.forget`).
fn clear(w: &KioskWindow) {
    let pa = w.global::<PreappAdapter>();
    pa.set_entry(SharedString::new());
    pa.set_error(ContactProblem::None);
    pa.set_reference(SharedString::new());
    pa.set_delivered(false);
    pa.set_save_failed(false);
    pa.set_busy(false);
    pa.set_local_reference(SharedString::new());
    pa.set_agency_reference(SharedString::new());
}

/// Saves on a worker thread (the commit waits for the disk), shows the local reference, then the
/// office's own if it answers within `ACK_WAIT`.
fn send(wiz: &Rc<Wizard>, entry: Entry, outbox: &OutboxLink) {
    let Some((input, output)) = wiz.last_result.borrow().clone() else {
        return;
    };
    let Some(phone) = entry.phone else { return };
    let contact = Contact {
        phone,
        id_number: entry.id_number,
    };
    wiz.with_ui(|w| w.global::<PreappAdapter>().set_busy(true));
    let (clock, link, weak) = (wiz.clock.clone(), outbox.clone(), wiz.window.clone());
    let spawned = std::thread::Builder::new()
        .name("pre-application".into())
        .spawn(move || {
            let now = clock.now();
            let req = PreApplicationRequest {
                input: &input,
                output: &output,
                contact: &contact,
                ticket: None,
                consent_at: now,
            };
            let mut saved = match link.save_pre_application(&req, now) {
                Ok(saved) => saved,
                Err(e) => {
                    tracing::error!(error = %e, "a pre-application could not be saved");
                    let _ = weak.upgrade_in_event_loop(|w| show_done(&w, None, None));
                    return;
                }
            };
            let local = saved.queued.local_reference.clone();
            let l = local.clone();
            let _ = weak.upgrade_in_event_loop(move |w| show_done(&w, Some(l), None));
            let deadline = Instant::now() + ACK_WAIT;
            while Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(200));
                if let Some(reference) = saved.agency_reference() {
                    let _ = weak.upgrade_in_event_loop(move |w| show_done(&w, Some(local), Some(reference)));
                    return;
                }
            }
        });
    if spawned.is_err() {
        wiz.with_ui(|w| show_done(w, None, None));
    }
}

fn show_done(w: &KioskWindow, local: Option<String>, agency: Option<String>) {
    let pa = w.global::<PreappAdapter>();
    let nav = w.global::<Nav>();
    // The visitor may have left (session wiped) before the thread answered.
    let screen = nav.get_screen();
    if screen != Screen::PreappConsent && screen != Screen::PreappDone {
        return;
    }
    pa.set_busy(false);
    pa.set_save_failed(local.is_none());
    pa.set_delivered(agency.is_some());
    pa.set_reference(agency.clone().or(local.clone()).unwrap_or_default().into());
    // The printed summary quotes both references.
    pa.set_local_reference(local.unwrap_or_default().into());
    pa.set_agency_reference(agency.unwrap_or_default().into());
    nav.set_screen(Screen::PreappDone);
}
