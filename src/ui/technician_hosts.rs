//! The windows technician mode runs in. The visitor's kiosk shows it as two of its own screens
//! and offers every page (printer, guide, outbox, installs); the counter console, the rating
//! screen and the calling display lay it over their own screen with the checks only: they hold
//! no printer, spoken guide, outbox or screening policy of their own.

use super::preapp::OutboxLink;
use super::technician::{Host, Parts, TechnicianWindow};
use super::visitor::Visitor;
use super::wizard::Wizard;
use super::{KioskWindow, Nav, Screen, TechnicianView};
use crate::lang::Lang;
use crate::technician::{Toolbox, usb};
use slint::ComponentHandle;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

/// The visitor's kiosk: technician mode is two of its screens, and the visitor's session is
/// wiped on opening and on leaving.
pub(crate) struct VisitorHost {
    visitor: Rc<Visitor>,
    parts: Parts,
    wizard: Option<Rc<Wizard>>,
    /// The sign-language panel plays from the active pack (reloaded after an import).
    media: bool,
    /// Where leaving goes: home, or out of service when it opened from there.
    return_to: Cell<Screen>,
}

impl VisitorHost {
    pub(crate) fn new(
        visitor: Rc<Visitor>,
        wizard: Option<Rc<Wizard>>,
        outbox: Option<OutboxLink>,
        media: bool,
    ) -> Self {
        let parts = Parts {
            guide: visitor.guide.clone(),
            printing: visitor.printing.clone(),
            outbox,
        };
        Self {
            visitor,
            parts,
            wizard,
            media,
            return_to: Cell::new(Screen::Home),
        }
    }
}

impl Host for VisitorHost {
    type Window = KioskWindow;

    fn is_open(&self, window: &KioskWindow) -> bool {
        window.global::<Nav>().get_technician_mode()
    }

    fn show_pin(&self, window: &KioskWindow) {
        let nav = window.global::<Nav>();
        self.return_to.set(if nav.get_screen() == Screen::OutOfService {
            Screen::OutOfService
        } else {
            Screen::Home
        });
        self.visitor.wipe(window);
        self.parts.guide.silence();
        nav.set_screen(Screen::TechnicianPin);
    }

    fn show_panel(&self, window: &KioskWindow) {
        window.global::<Nav>().set_screen(Screen::Technician);
    }

    fn close(&self, window: &KioskWindow) {
        // The visitor's defaults again (the technician may have switched to English).
        self.visitor.wipe(window);
        window.global::<Nav>().set_screen(self.return_to.get());
    }

    fn parts(&self) -> Option<&Parts> {
        Some(&self.parts)
    }

    fn use_installed(&self, window: &KioskWindow, kind: usb::Kind, tools: &Toolbox) {
        match kind {
            usb::Kind::Policy => {
                if let Some(wizard) = &self.wizard {
                    match tools.screening_policy() {
                        Ok(policy) => wizard.use_policy(policy),
                        Err(e) => {
                            tracing::error!(error = %e, "the new policy cannot be used; the old one screens")
                        }
                    }
                }
            }
            usb::Kind::SignPack if self.media => {
                let dir = crate::media::pack::active_dir(&tools.data_dir);
                if let Err(e) = super::media::enable(window, &dir) {
                    tracing::error!(error = %e, "the new sign-language pack cannot be played");
                }
            }
            usb::Kind::SignPack => {}
            usb::Kind::VoicePacks => self.parts.guide.use_voices(tools.voice_dir()),
        }
    }
}

/// Technician mode over a staff or display window, with the checks. The panel opens in
/// Chinese; closing hands the window back through `restore` (the console's language and
/// keyboard focus, the rating screen's ticket language).
pub(crate) struct Overlay<W> {
    restore: Box<dyn Fn(&W)>,
}

impl<W> Overlay<W> {
    pub(crate) fn new(restore: impl Fn(&W) + 'static) -> Self {
        Self {
            restore: Box::new(restore),
        }
    }
}

impl<W: TechnicianWindow> Host for Overlay<W> {
    type Window = W;

    fn is_open(&self, window: &W) -> bool {
        window.technician().get_view() != TechnicianView::Closed
    }

    fn show_pin(&self, window: &W) {
        window.set_language(Lang::ZhCn);
        window.technician().set_view(TechnicianView::Pin);
    }

    fn show_panel(&self, window: &W) {
        window.technician().set_view(TechnicianView::Panel);
    }

    fn close(&self, window: &W) {
        window.technician().set_view(TechnicianView::Closed);
        (self.restore)(window);
    }
}

/// Technician mode over a counter console, rating screen or calling display; `restore` hands
/// the window back to its role when the mode closes.
pub fn wire_overlay<W: TechnicianWindow>(window: &W, tools: Toolbox, restore: impl Fn(&W) + 'static) {
    super::technician::wire(window, Arc::new(tools), Overlay::new(restore));
}
