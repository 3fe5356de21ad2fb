//! What the console shows: its state rendered into `CounterAdapter`, the note bar, and each
//! worker's answer applied to the state and the window.

use super::super::{
    ConsoleDialog, ConsoleLink, ConsoleNote, ConsoleOp, ConsoleService, ConsoleTicket, ConsoleView,
    ConsoleWhy, CounterAdapter, CounterWindow,
};
use super::state::State;
use super::worker::{Op, Reply};
use chrono::{DateTime, Utc};
use kiosk_contract::{CounterView, HallError, TicketView};
use kiosk_roles::console::{self, Key, Trouble, Why};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

pub(super) fn why(w: Why) -> ConsoleWhy {
    match w {
        Why::Busy => ConsoleWhy::Busy,
        Why::HostUnreachable => ConsoleWhy::HostUnreachable,
        Why::Paused => ConsoleWhy::Paused,
        Why::NobodyWaiting => ConsoleWhy::NobodyWaiting,
        Why::NobodyCalled => ConsoleWhy::NobodyCalled,
        Why::NobodySkipped => ConsoleWhy::NobodySkipped,
        Why::NoOtherService => ConsoleWhy::NoOtherService,
    }
}

pub(super) fn minutes_since(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> SharedString {
    at.map(|t| (now - t).num_minutes().max(0).to_string())
        .unwrap_or_default()
        .into()
}

pub(super) fn ticket(
    state: &State,
    t: &TicketView,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ConsoleTicket {
    ConsoleTicket {
        number: t.number.as_str().into(),
        service: state.service_name(t.service, &t.service_name).into(),
        priority: t.priority.map(|p| p.as_str()).unwrap_or_default().into(),
        language: t.language.as_str().into(),
        minutes: minutes_since(since, now),
    }
}

pub(super) fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

/// Shows the state: the view, the keys and what they may do.
pub(super) fn render(w: &CounterWindow, s: &State) {
    let a = w.global::<CounterAdapter>();
    a.set_english(s.english);
    a.set_busy(s.busy);
    a.set_view(if s.signed.is_some() {
        ConsoleView::Main
    } else {
        ConsoleView::SignIn
    });
    let name = s
        .config
        .counter(s.counter)
        .map_or_else(|| s.counter.to_string(), |c| c.name.get(s.lang()).to_owned());
    a.set_counter_name(name.into());
    if let Some(signed) = &s.signed {
        a.set_staff_id(signed.staff.as_str().into());
        a.set_staff_name(signed.name.as_str().into());
    }
    a.set_link(match (&s.view, s.reachable) {
        (_, false) => ConsoleLink::Lost,
        (None, true) => ConsoleLink::Connecting,
        (Some(_), true) => ConsoleLink::Live,
    });
    let ops: Vec<ConsoleOp> = Key::ALL
        .iter()
        .map(|k| match console::allowed(*k, s.situation()) {
            Ok(()) => ConsoleOp {
                enabled: true,
                why: ConsoleWhy::None,
            },
            Err(w) => ConsoleOp {
                enabled: false,
                why: why(w),
            },
        })
        .collect();
    a.set_ops(model(ops));
    let Some(v) = &s.view else { return };
    let now = s.clock.now();
    a.set_paused(v.counter.paused);
    a.set_serving(v.counter.current.is_some());
    let note = v.current_screening.as_ref();
    a.set_screening_outcome(note.map(|n| n.outcome.as_str()).unwrap_or_default().into());
    a.set_screening_matter(note.map(|n| n.matter.as_str()).unwrap_or_default().into());
    if let Some(t) = &v.counter.current {
        a.set_current(ticket(s, t, t.called_at, now));
        a.set_serving_for(
            t.called_at
                .map(|c| console::elapsed_text(c, now))
                .unwrap_or_default()
                .into(),
        );
    }
    a.set_next(model(
        v.next
            .iter()
            .map(|t| ticket(s, t, Some(t.issued_at), now))
            .collect(),
    ));
    a.set_rejoinable(model(
        v.rejoinable
            .iter()
            .map(|t| ticket(s, t, t.called_at, now))
            .collect(),
    ));
    a.set_services(model(
        v.services
            .iter()
            .map(|w| ConsoleService {
                code: w.code.to_string().into(),
                name: s.service_name(w.code, &w.name).into(),
                waiting: i32::try_from(w.waiting).unwrap_or(i32::MAX),
                priority_waiting: i32::try_from(w.priority_waiting).unwrap_or(i32::MAX),
                longest: w
                    .longest_wait_minutes
                    .map(|m| m.to_string())
                    .unwrap_or_default()
                    .into(),
            })
            .collect(),
    ));
    a.set_served_today(i32::try_from(v.served_today).unwrap_or(i32::MAX));
    a.set_average(
        v.average_service_minutes
            .map(|m| format!("{m:.1}"))
            .unwrap_or_default()
            .into(),
    );
    a.set_printers_needing_attention(model(
        v.printers_needing_attention
            .iter()
            .map(|t| SharedString::from(t.as_str()))
            .collect(),
    ));
    a.set_agency_undeliverable(i32::try_from(v.agency_undeliverable).unwrap_or(i32::MAX));
}

pub(super) fn note(w: &CounterWindow, note: ConsoleNote, number: &str, detail: &str) {
    let a = w.global::<CounterAdapter>();
    a.set_note(note);
    a.set_note_number(number.into());
    a.set_note_detail(detail.into());
}

/// What a done operation says.
pub(super) fn done(w: &CounterWindow, s: &State, op: &Op, number: &str) {
    let (kind, detail) = match op {
        Op::CallNext | Op::CallNumber(_) if number.is_empty() => (ConsoleNote::NobodyToCall, String::new()),
        Op::CallNext | Op::CallNumber(_) => (ConsoleNote::Called, String::new()),
        Op::Recall => (ConsoleNote::Recalled, String::new()),
        Op::Skip => (ConsoleNote::Skipped, String::new()),
        Op::Complete => (ConsoleNote::Completed, String::new()),
        Op::Transfer(to) => (ConsoleNote::Transferred, s.service_name(*to, &to.to_string())),
        Op::Pause(true) => (ConsoleNote::Paused, String::new()),
        Op::Pause(false) => (ConsoleNote::Resumed, String::new()),
        Op::Rejoin(_) => (ConsoleNote::Rejoined, String::new()),
    };
    note(w, kind, number, &detail);
}

/// The sign-in screen again, saying why.
pub(super) fn signed_out(w: &CounterWindow, s: &mut State, problem: i32) {
    s.signed = None;
    s.view = None;
    s.busy = false;
    let a = w.global::<CounterAdapter>();
    a.set_dialog(ConsoleDialog::None);
    a.set_sign_in_problem(problem);
    note(w, ConsoleNote::None, "", "");
}

/// A refused or failed request: the staff member's words for it.
pub(super) fn trouble(w: &CounterWindow, s: &mut State, e: &HallError) {
    match console::trouble(e) {
        Trouble::Unreachable => {
            s.reachable = false;
            note(w, ConsoleNote::Unreachable, "", "");
        }
        Trouble::SignedOut { idle } => signed_out(w, s, if idle { 4 } else { 5 }),
        Trouble::WrongPin => w.global::<CounterAdapter>().set_sign_in_problem(1),
        Trouble::Locked { minutes } => {
            let a = w.global::<CounterAdapter>();
            a.set_locked_minutes(i32::try_from(minutes).unwrap_or(i32::MAX));
            a.set_sign_in_problem(2);
        }
        Trouble::Refused(words) => note(w, ConsoleNote::Refused, "", &words),
    }
}

pub(super) fn apply(w: &CounterWindow, s: &mut State, reply: Reply) {
    match reply {
        Reply::SignedIn(Ok(signed)) => {
            tracing::info!(staff = %signed.staff, counter = s.counter, "signed in at the console");
            s.signed = Some(signed);
            s.busy = false;
            s.last_activity = s.clock.now();
            w.global::<CounterAdapter>().set_sign_in_problem(0);
            note(w, ConsoleNote::SignedIn, "", "");
        }
        Reply::SignedIn(Err(e)) => {
            s.busy = false;
            if console::trouble(&e) == Trouble::Unreachable {
                w.global::<CounterAdapter>().set_sign_in_problem(3);
            } else {
                trouble(w, s, &e);
            }
        }
        Reply::Done(op, result, view) => {
            s.busy = false;
            if result.is_ok() || view.is_ok() {
                apply_view(w, s, *view);
            }
            match result {
                Ok(number) => done(w, s, &op, number.as_deref().unwrap_or("")),
                Err(e) => trouble(w, s, &e),
            }
        }
        Reply::View(view) => apply_view(w, s, *view),
    }
    render(w, s);
}

pub(super) fn apply_view(w: &CounterWindow, s: &mut State, view: Result<CounterView, HallError>) {
    match view {
        Ok(view) => {
            s.reachable = true;
            if w.global::<CounterAdapter>().get_note() == ConsoleNote::Unreachable {
                note(w, ConsoleNote::None, "", "");
            }
            let mine = s.signed.as_ref().map(|x| x.staff.clone());
            if mine.is_some() && view.staff != mine {
                // Someone else signed in at this counter, or this staff member elsewhere.
                signed_out(w, s, 5);
            } else {
                s.view = Some(view);
            }
        }
        Err(e) => trouble(w, s, &e),
    }
}
