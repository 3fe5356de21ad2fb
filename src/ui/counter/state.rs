//! What the console's UI thread keeps between answers, and what it may do from there.

use super::worker::Job;
use crate::clock::Clock;
use crate::config::Config;
use crate::lang::Lang;
use crate::queue::{DisplayNumber, ServiceCode};
use chrono::{DateTime, Utc};
use kiosk_contract::{CounterView, SignedIn};
use kiosk_roles::console::Situation;
use std::sync::{Arc, mpsc};

/// What the UI thread keeps between answers.
pub(super) struct State {
    pub(super) counter: u32,
    pub(super) config: Arc<Config>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) jobs: mpsc::Sender<Job>,
    pub(super) signed: Option<SignedIn>,
    pub(super) view: Option<CounterView>,
    pub(super) reachable: bool,
    pub(super) busy: bool,
    pub(super) english: bool,
    pub(super) last_activity: DateTime<Utc>,
    /// What the open dialog's choices stand for.
    pub(super) transfer_targets: Vec<ServiceCode>,
    pub(super) rejoin_numbers: Vec<DisplayNumber>,
}

impl State {
    pub(super) fn new(
        counter: u32,
        config: Arc<Config>,
        clock: Arc<dyn Clock>,
        jobs: mpsc::Sender<Job>,
        english: bool,
    ) -> Self {
        Self {
            counter,
            last_activity: clock.now(),
            config,
            clock,
            jobs,
            signed: None,
            view: None,
            reachable: true,
            busy: false,
            english,
            transfer_targets: Vec::new(),
            rejoin_numbers: Vec::new(),
        }
    }

    pub(super) fn lang(&self) -> Lang {
        if self.english { Lang::En } else { Lang::ZhCn }
    }

    pub(super) fn service_name(&self, code: ServiceCode, fallback: &str) -> String {
        self.config
            .service(code)
            .map_or_else(|| fallback.to_owned(), |s| s.name.get(self.lang()).to_owned())
    }

    pub(super) fn situation(&self) -> Situation<'_> {
        Situation {
            view: self.view.as_ref(),
            reachable: self.reachable,
            busy: self.busy,
            other_services: self.other_services().len(),
        }
    }

    /// The hall's services other than the current visitor's.
    pub(super) fn other_services(&self) -> Vec<ServiceCode> {
        let current = self
            .view
            .as_ref()
            .and_then(|v| v.counter.current.as_ref())
            .map(|t| t.service);
        self.config
            .services
            .iter()
            .map(|s| s.code)
            .filter(|c| Some(*c) != current)
            .collect()
    }

    pub(super) fn send(&mut self, job: Job) {
        self.busy = true;
        if self.jobs.send(job).is_err() {
            tracing::error!("the counter console's worker has stopped");
        }
    }
}
