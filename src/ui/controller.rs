//! The composition root of the visitor window: what a kiosk is built from (`KioskBuilder`),
//! which threads it starts, and how they reach the window (`inbox`). The window's behaviour is
//! in `visitor`, `wizard` and `preapp`.

use super::inbox::Message;
use super::preapp::OutboxLink;
use super::visitor::{Visitor, wire_navigation, wire_reprint, wire_tickets};
use super::worker::{Job, QueueSource, QueueWorker};
use super::{KioskWindow, Nav, OutOfServiceAdapter, Screen, TicketAdapter, WizardAdapter};
use crate::agency::deliver::Agency;
use crate::config::Config;
use crate::following::Following;
use crate::hall::feed::LocalFeed;
use crate::hall_queue::LocalQueue;
use crate::printer::{PrintService, Printer};
use crate::queue_service::QueueService;
use crate::speech::SpeechService;
use kiosk_contract::{FeedItem, HallError, HallFeed};
use slint::ComponentHandle;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

/// What the kiosk can do when it starts.
pub enum StartMode {
    /// Normal operation with the hall's queue. `local_db` is this terminal's own database
    /// (its outbox and printer events), when it has one; `feed` tells what happens in the hall
    /// ("now serving", the waits).
    Serving {
        queue: QueueSource,
        local_db: Option<PathBuf>,
        feed: Box<dyn HallFeed>,
    },
    /// A fatal problem a technician must fix; the detail is shown small for them.
    OutOfService(String),
}

impl StartMode {
    /// The hall host's kiosk: the queue in this terminal's database, followed through a
    /// connection of its own (a connection's own writes do not move `data_version`).
    pub fn local(service: QueueService) -> Self {
        Self::Serving {
            local_db: Some(service.store().path().to_owned()),
            feed: Box::new(LocalFeed::beside(&service)),
            queue: QueueSource::Open(Box::new(LocalQueue::new(service))),
        }
    }

    /// The hall host's kiosk at its first start (no database in `data_dir` yet): the window
    /// comes up at once while the queue's thread creates the database, and the hall feed opens
    /// it on its own thread. A failure to create it shows as "the queue is not answering" and
    /// in the log, and is tried again at each refresh.
    pub fn first_start(data_dir: PathBuf, config: Arc<Config>, clock: Arc<dyn crate::clock::Clock>) -> Self {
        let db = crate::hall_queue::database_in(&data_dir);
        let (c, k) = (config.clone(), clock.clone());
        let open = move || {
            crate::hall_queue::open_local_in(&data_dir, c.clone(), k.clone()).map_err(HallError::unavailable)
        };
        Self::Serving {
            local_db: Some(db.clone()),
            feed: Box::new(LocalFeed::opening(move || {
                crate::hall_queue::open_local(&db, config, clock)
            })),
            queue: QueueSource::ToOpen(Box::new(open)),
        }
    }
}

/// What a kiosk is built from; devices are optional (a kiosk without a printer offers no
/// printing, without speech it is silent, without an agency it offers no pre-application).
pub struct KioskBuilder {
    config: Arc<Config>,
    mode: StartMode,
    clock: Arc<dyn crate::clock::Clock>,
    printer: Option<Printer>,
    agency: Option<Agency>,
    speech: Option<SpeechService>,
    media: Option<PathBuf>,
    installed_policy: Option<crate::policy_store::PolicyStore>,
    technician: Option<Arc<crate::technician::Toolbox>>,
}

impl KioskBuilder {
    /// Technician mode, with what it works with (without it the mode cannot be opened).
    pub fn technician(mut self, tools: crate::technician::Toolbox) -> Self {
        self.technician = Some(Arc::new(tools));
        self
    }

    /// Screen with the policy installed on this terminal (else the shipped one).
    pub fn installed_policy(mut self, store: crate::policy_store::PolicyStore) -> Self {
        self.installed_policy = Some(store);
        self
    }

    pub fn printer(mut self, printer: Option<Printer>) -> Self {
        self.printer = printer;
        self
    }

    /// The agency: the outbox is delivered on its own thread, and the result screen offers to
    /// send a pre-application.
    pub fn agency(mut self, agency: Option<Agency>) -> Self {
        self.agency = agency;
        self
    }

    /// The screens are read aloud through the speech thread.
    pub fn speech(mut self, speech: Option<SpeechService>) -> Self {
        self.speech = speech;
        self
    }

    /// Sign-language video from the pack in this folder.
    pub fn media(mut self, pack: Option<PathBuf>) -> Self {
        self.media = pack;
        self
    }

    pub fn build(self) -> Result<KioskUi, slint::PlatformError> {
        KioskUi::build(self)
    }
}

pub struct KioskUi {
    pub window: KioskWindow,
    contact: super::preapp::ContactHold,
    _refresh: slint::Timer,
    _following: Option<Following>,
}

impl KioskUi {
    /// Whether a visitor's phone or ID number is held in memory (the session wipe, Back and a
    /// refused consent must leave none).
    pub fn holds_contact_details(&self) -> bool {
        self.contact.holds_anything()
    }
}

impl KioskUi {
    pub fn builder(
        config: Arc<Config>,
        mode: StartMode,
        clock: Arc<dyn crate::clock::Clock>,
    ) -> KioskBuilder {
        KioskBuilder {
            config,
            mode,
            clock,
            printer: None,
            agency: None,
            speech: None,
            media: None,
            installed_policy: None,
            technician: None,
        }
    }

    fn build(parts: KioskBuilder) -> Result<Self, slint::PlatformError> {
        let KioskBuilder {
            config,
            mode,
            clock,
            printer,
            agency,
            speech,
            media,
            installed_policy,
            technician,
        } = parts;
        super::fonts::register_bundled_fonts();
        let window = KioskWindow::new()?;
        let guide = super::speech::wire(&window, speech);
        guide.set_default_volume(i32::from(config.kiosk.default_volume));
        let nav = window.global::<Nav>();
        // Validated configuration values; a larger one than an i32 only waits longer.
        nav.set_warn_after_seconds(i32::try_from(config.kiosk.warn_after_seconds).unwrap_or(i32::MAX));
        nav.set_countdown_seconds(i32::try_from(config.kiosk.countdown_seconds).unwrap_or(i32::MAX));
        window
            .global::<super::Keypad>()
            .set_hide_cursor(config.kiosk.hide_cursor);
        super::visitor::wipe_session(&window, &config, &guide);
        window
            .global::<super::HomeAdapter>()
            .set_main_kiosk_elsewhere(config.terminal.role == crate::config::Role::SecondaryKiosk);

        let (poster, inbox) = super::inbox::open(&window);
        let mut printing: Option<Arc<PrintService>> = None;
        let mut outbox: Option<OutboxLink> = None;
        let (worker, feed) = match mode {
            StartMode::OutOfService(detail) => {
                tracing::error!(%detail, "kiosk is out of service");
                window
                    .global::<OutOfServiceAdapter>()
                    .set_technician_detail(detail.into());
                window.global::<Nav>().set_screen(Screen::OutOfService);
                (None, None)
            }
            StartMode::Serving {
                queue,
                local_db,
                feed,
            } => {
                match (agency, &local_db) {
                    (Some(agency), Some(db)) => {
                        outbox = Some(super::devices::start_delivery(
                            agency,
                            db,
                            config.clone(),
                            clock.clone(),
                        )?)
                    }
                    (Some(_), None) => {
                        tracing::warn!("no local database for an outbox: pre-applications are off")
                    }
                    (None, _) => {}
                }
                if let Some(p) = printer {
                    let db = local_db.as_deref();
                    let started =
                        super::devices::start_printing(&config, p, db, clock.clone(), poster.clone())?;
                    printing = Some(started);
                }
                window.global::<TicketAdapter>().set_can_print(printing.is_some());
                window.global::<WizardAdapter>().set_can_print(printing.is_some());
                let worker = QueueWorker::spawn(queue, move |reply| poster.post(Message::Queue(reply)))
                    .map_err(|e| {
                        slint::PlatformError::Other(format!("cannot start the queue thread: {e}"))
                    })?;
                (Some(Rc::new(worker)), Some(feed))
            }
        };
        let visitor = Rc::new(Visitor::new(config.clone(), guide.clone(), printing.clone()));
        let v = visitor.clone();
        inbox.deliver_to(&window, move |w, message| v.on_message(w, message));
        wire_reprint(&window, &visitor);
        wire_navigation(&window, &visitor, worker.clone());
        let wizard = super::wizard::wire(&window, &config, installed_policy, clock, printing, guide);
        let contact = match &wizard {
            Some(wizard) => super::preapp::wire(&window, wizard.clone(), outbox.clone()),
            None => super::preapp::ContactHold::default(),
        };
        if let Some(tools) = technician {
            let host =
                super::technician_hosts::VisitorHost::new(visitor.clone(), wizard, outbox, media.is_some());
            super::technician::wire(&window, tools, host);
        }
        if let Some(worker) = &worker {
            wire_tickets(&window, &config, worker.clone());
            worker.send(Job::Snapshot);
        }
        if let Some(pack) = media
            && let Err(e) = super::media::enable(&window, &pack)
        {
            tracing::error!(error = %e, "cannot start the media thread; sign-language video is off");
        }
        let refresh = slint::Timer::default();
        let mut following = None;
        if let (Some(worker), Some(feed)) = (worker, feed) {
            let every = std::time::Duration::from_secs(u64::from(config.kiosk.refresh_seconds));
            let w = worker.clone();
            refresh.start(slint::TimerMode::Repeated, every, move || w.send(Job::Snapshot));
            // "Now serving" and the waits follow the hall as it changes (the worker reads one
            // snapshot for a burst of events); a lost or regained host is read at once too, so
            // the ticket buttons go off and on with it.
            let jobs = worker.sender();
            let started = Following::start("visitor-feed", feed, move |item| match item {
                FeedItem::Idle => ControlFlow::Continue(()),
                _ => match jobs.send(Job::Snapshot) {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(_) => ControlFlow::Break(()),
                },
            });
            match started {
                Ok(f) => following = Some(f),
                Err(e) => {
                    tracing::error!(error = %e, "cannot follow the hall; the waits refresh on the timer only")
                }
            }
        }
        Ok(Self {
            window,
            contact,
            _refresh: refresh,
            _following: following,
        })
    }
}
