//! Technician mode: what a technician can see and do at the terminal itself, without a keyboard
//! or a shell. The screens are in `ui::technician`; this module does the work, off the UI
//! thread, and never touches a visitor's personal data (the outbox is only counted).

pub mod health;
pub mod lock;
pub mod usb;

use crate::clock::Clock;
use crate::config::Config;
use crate::i18n::TechText;
use crate::policy_store::{PolicySource, PolicyStore, PolicyStoreError};
use crate::tech;
use health::{Check, Devices};
use kiosk_store::Store;
use kiosk_store::outbox_tables as outbox;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How long technician mode stays open without a touch or a key.
pub const LEAVE_AFTER: std::time::Duration = std::time::Duration::from_secs(120);

/// The checks `kiosk doctor` runs, given by the program that knows where the configuration is.
pub type RunChecks = Box<dyn Fn(Devices) -> Vec<Check> + Send + Sync>;
/// Writes the visitors' default volume into the provisioning file.
pub type SaveVolume = Box<dyn Fn(u8) -> Result<(), String> + Send + Sync>;

/// Everything technician mode works with.
pub struct Toolbox {
    pub config: Arc<Config>,
    pub data_dir: PathBuf,
    pub clock: Arc<dyn Clock>,
    pub pin: lock::PinGate,
    /// Where USB sticks are mounted (`usb::default_roots`).
    pub import_roots: Vec<PathBuf>,
    pub leave_after: std::time::Duration,
    pub checks: RunChecks,
    pub save_volume: SaveVolume,
}

/// Why an import installed nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportFailure {
    /// The file or pack is not fit to install (the technician's to fix on the stick).
    Refused(TechText),
    /// The terminal could not install it (a full disk, a read-only folder).
    Failed(TechText),
}

/// The policy in force, as the panel lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyInForce {
    /// Where it comes from (shipped, or the file and when it was imported from where).
    pub source: TechText,
    /// One line per hardship standard: "from 2026-03-01: 2600 yuan per person per month".
    pub standards: Vec<TechText>,
    pub can_roll_back: bool,
}

impl Toolbox {
    pub fn new(config: Arc<Config>, data_dir: &Path, clock: Arc<dyn Clock>) -> Self {
        Self {
            pin: lock::PinGate::new(config.technician.pin_hash.clone(), data_dir),
            config,
            data_dir: data_dir.to_owned(),
            clock,
            import_roots: usb::default_roots(),
            leave_after: LEAVE_AFTER,
            checks: Box::new(|_| Vec::new()),
            save_volume: Box::new(|_| Err("this terminal cannot save its settings".into())),
        }
    }

    fn outbox_store(&self) -> Result<Store, String> {
        Store::open_in(&self.data_dir).map_err(|e| format!("the outbox cannot be opened: {e}"))
    }

    pub fn outbox_counts(&self) -> Result<outbox::Counts, String> {
        self.outbox_store()?
            .read(outbox::counts)
            .map_err(|e| format!("the outbox cannot be read: {e}"))
    }

    /// Puts the dead letters back in the queue; returns how many.
    pub fn retry_dead_letters(&self) -> Result<usize, String> {
        let now = self.clock.now();
        let n = self
            .outbox_store()?
            .write(|tx| outbox::retry_dead(tx, now))
            .map_err(|e| format!("the outbox cannot be written: {e}"))?;
        tracing::info!(
            requeued = n,
            "dead letters put back in the outbox from technician mode"
        );
        Ok(n)
    }

    fn policy_store(&self) -> PolicyStore {
        PolicyStore::in_data_dir(&self.data_dir)
    }

    pub fn policy_in_force(&self) -> Result<PolicyInForce, String> {
        let store = self.policy_store();
        let (policy, source) = store.load().map_err(|e| e.to_string())?;
        let policy = policy.with_provisioned(&self.config.policy.yearly_standard);
        let source = match source {
            PolicySource::Shipped => tech!("shipped with the program"),
            PolicySource::Installed {
                provenance: Some(p), ..
            } => tech!("imported {0} from {1}", p.imported_at, p.imported_from),
            PolicySource::Installed { file, .. } => tech!("installed in {0}", file.display()),
        };
        let standards = policy
            .standards
            .iter()
            .map(|s| match s.monthly_per_capita {
                Some(yuan) => tech!(
                    "from {0}: {1} yuan per person per month ({2})",
                    s.from,
                    yuan,
                    s.basis
                ),
                None => tech!("from {0}: no figure ({1})", s.from, s.basis),
            })
            .collect();
        Ok(PolicyInForce {
            source,
            standards,
            can_roll_back: store.can_roll_back(),
        })
    }

    /// Installs what was found on a stick, whole or not at all. Returns what the panel says.
    pub fn import(&self, found: &usb::Found) -> Result<TechText, ImportFailure> {
        match found.kind {
            usb::Kind::Policy => {
                let policy = self
                    .policy_store()
                    .import(&found.path, self.clock.now())
                    .map_err(|e| match e {
                        PolicyStoreError::Refused(e) => ImportFailure::Refused(TechText::as_is(e.message)),
                        other => ImportFailure::Failed(TechText::as_is(other.to_string())),
                    })?;
                tracing::info!(file = %found.path.display(), "screening policy imported from technician mode");
                Ok(tech!(
                    "policy installed: {0} hardship standard(s)",
                    policy.standards.len()
                ))
            }
            usb::Kind::SignPack => {
                let target = crate::media::pack::imported_dir(&self.data_dir);
                let report = crate::media::pack::import(&found.path, &target).map_err(|r| {
                    ImportFailure::Refused(tech!(
                        "{0} — see `kiosk media verify {1}`",
                        r.summary(),
                        found.path.display()
                    ))
                })?;
                tracing::info!(dir = %found.path.display(), "sign-language pack imported from technician mode");
                Ok(tech!("sign-language pack installed: {0} clips", report.clips))
            }
            usb::Kind::VoicePacks => {
                let needed: Vec<_> = crate::speech::service::voices_for(&self.config)
                    .into_iter()
                    .map(|v| {
                        (
                            v,
                            crate::speech::catalogue::required(v, |lang| self.config.spoken_names(lang)),
                        )
                    })
                    .collect();
                let target = crate::speech::pack::imported_dir(&self.data_dir);
                let clips =
                    crate::speech::pack::import(&found.path, &target, &needed).map_err(|e| match e {
                        crate::speech::pack::ImportError::Refused(why) => {
                            ImportFailure::Refused(TechText::as_is(why))
                        }
                        crate::speech::pack::ImportError::Failed(why) => {
                            ImportFailure::Failed(TechText::as_is(why))
                        }
                    })?;
                tracing::info!(dir = %found.path.display(), clips, "voice packs imported from technician mode");
                Ok(tech!("voice packs installed: {0} clips", clips))
            }
        }
    }

    pub fn rollback_policy(&self) -> Result<(), String> {
        self.policy_store().rollback().map_err(|e| e.to_string())?;
        tracing::info!("screening policy rolled back from technician mode");
        Ok(())
    }

    /// Goes back to the sign-language pack or voice packs an import replaced.
    pub fn rollback_pack(&self, kind: usb::Kind) -> Result<(), String> {
        match kind {
            usb::Kind::Policy => return self.rollback_policy(),
            usb::Kind::SignPack => {
                crate::media::pack::rollback(&crate::media::pack::imported_dir(&self.data_dir))?
            }
            usb::Kind::VoicePacks => crate::pack_install::roll_back(
                &crate::speech::pack::imported_dir(&self.data_dir),
                "voice packs",
            )?,
        }
        tracing::info!(?kind, "pack rolled back from technician mode");
        Ok(())
    }

    /// The voice packs to speak with now (after an install or a rollback).
    pub fn voice_dir(&self) -> PathBuf {
        crate::speech::pack::voice_dir_in(&self.config.speech, &self.data_dir)
    }

    /// The screening policy to screen with now (after an import or a rollback).
    pub fn screening_policy(&self) -> Result<crate::eligibility::Policy, String> {
        self.config
            .eligibility_policy(Some(&self.policy_store()), None)
            .map_err(|e| e.to_string())
    }
}
