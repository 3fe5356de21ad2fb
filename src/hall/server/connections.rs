//! Who may hold the hall host's connections, and for how long.
//!
//! Both listeners are open to the visitors' Wi-Fi, so a stranger can open connections and send
//! nothing (or half a request). Each listener keeps a bounded table of *strangers* — connections
//! with no hall certificate (still in the TLS handshake, anonymous for enrolment, or anyone on
//! the status page) — per address and in total. When it is full, the oldest stranger is closed to
//! make room, so a new connection is never refused and an enrolled terminal's handshake always
//! gets its turn. Connections that show a hall certificate move to a separate pool that strangers
//! cannot touch. The totals are sized from the process's file-descriptor limit, so the host
//! cannot run out of descriptors whatever strangers do.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// The timeouts and caps of the host's listeners.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    /// A TLS handshake (hall API only).
    pub handshake: Duration,
    /// A request's head, counted from the moment the host waits for it: this is also how long
    /// an idle keep-alive connection is kept.
    pub header_read: Duration,
    /// A request's body, once its head has arrived.
    pub body_read: Duration,
    /// Connections without a hall certificate, per listener.
    pub strangers: usize,
    /// Of those, from one IPv4 address or one IPv6 /64.
    pub strangers_per_address: usize,
    /// Connections with a hall certificate (terminals), hall API only.
    pub terminals: usize,
}

/// Descriptors kept for the database, the journal, the writer and the host's other files.
const DESCRIPTORS_KEPT: u64 = 64;

impl ConnectionLimits {
    /// The limits for a process allowed `descriptors` open files: terminals may take half of
    /// what is left after the host's own files, the strangers of each listener a quarter (each
    /// bounded, as more would only give an attacker more to hold).
    pub fn for_descriptors(descriptors: u64) -> Self {
        let usable = descriptors.saturating_sub(DESCRIPTORS_KEPT);
        let share =
            |divisor: u64, most: usize| usize::try_from(usable / divisor).map_or(most, |n| n.clamp(1, most));
        Self {
            handshake: Duration::from_secs(5),
            header_read: Duration::from_secs(10),
            body_read: Duration::from_secs(10),
            strangers: share(4, 256),
            strangers_per_address: share(4, 32),
            terminals: share(2, 1024),
        }
    }

    /// The limits for this process's soft descriptor limit, after raising it to the hard one.
    pub fn for_this_process() -> Self {
        Self::for_descriptors(raise_descriptor_limit())
    }
}

/// Raises the soft limit on open files to the hard one (systemd and most shells start services
/// at 1024 whatever the hard limit allows) and returns the limit in force.
fn raise_descriptor_limit() -> u64 {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let (Some(current), Some(maximum)) = (limit.current, limit.maximum) else {
        return limit.current.unwrap_or(u64::MAX);
    };
    if maximum <= current {
        return current;
    }
    let raised = Rlimit {
        current: Some(maximum),
        maximum: Some(maximum),
    };
    match setrlimit(Resource::Nofile, raised) {
        Ok(()) => maximum,
        Err(e) => {
            tracing::warn!(error = %e, current, maximum, "cannot raise the open-file limit");
            current
        }
    }
}

/// Where a stranger comes from: an IPv4 address, or the /64 of an IPv6 one (one household or
/// phone gets a whole /64, so counting single addresses would not limit it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Origin {
    V4([u8; 4]),
    V6Prefix([u8; 8]),
}

impl Origin {
    pub(super) fn of(addr: IpAddr) -> Self {
        match addr {
            IpAddr::V4(v4) => Self::V4(v4.octets()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::V4(v4.octets()),
                None => {
                    let octets = v6.octets();
                    let mut prefix = [0; 8];
                    prefix.copy_from_slice(&octets[..8]);
                    Self::V6Prefix(prefix)
                }
            },
        }
    }
}

/// A stranger's progress: one still in its handshake may be a terminal about to show its
/// certificate, so those that finished theirs (and are only holding a slot) go first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Handshaking,
    Established,
}

struct Stranger {
    origin: Origin,
    stage: Stage,
    close: Arc<Notify>,
}

#[derive(Default)]
struct Slots {
    next_id: u64,
    /// By arrival: the smallest id is the oldest.
    strangers: BTreeMap<u64, Stranger>,
    per_origin: HashMap<Origin, usize>,
    terminals: usize,
    evicted: u64,
}

impl Slots {
    fn remove_stranger(&mut self, id: u64) -> Option<Stranger> {
        let stranger = self.strangers.remove(&id)?;
        if let Some(n) = self.per_origin.get_mut(&stranger.origin) {
            *n -= 1;
            if *n == 0 {
                self.per_origin.remove(&stranger.origin);
            }
        }
        Some(stranger)
    }

    /// The stranger to close to make room: the oldest established one (of `origin` when given),
    /// else the oldest still in its handshake.
    fn victim(&self, origin: Option<Origin>) -> Option<u64> {
        let candidates = || {
            self.strangers
                .iter()
                .filter(move |(_, s)| origin.is_none_or(|o| s.origin == o))
        };
        candidates()
            .find(|(_, s)| s.stage == Stage::Established)
            .or_else(|| candidates().next())
            .map(|(id, _)| *id)
    }

    fn evict(&mut self, origin: Option<Origin>) {
        if let Some(stranger) = self.victim(origin).and_then(|id| self.remove_stranger(id)) {
            stranger.close.notify_one();
            self.evicted += 1;
        }
    }
}

/// One listener's connection table.
pub(super) struct Gate {
    limits: ConnectionLimits,
    slots: Mutex<Slots>,
}

/// What a connection holds while it is open; dropping it frees the slot.
pub(super) struct Pass {
    gate: Arc<Gate>,
    id: u64,
    held: Held,
    close: Arc<Notify>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    Stranger,
    Terminal,
    Nothing,
}

/// How many connections a listener holds, for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Occupancy {
    pub strangers: usize,
    pub terminals: usize,
    pub evicted: u64,
}

impl Gate {
    pub(super) fn new(limits: ConnectionLimits) -> Arc<Self> {
        Arc::new(Self {
            limits,
            slots: Mutex::new(Slots::default()),
        })
    }

    pub(super) fn limits(&self) -> &ConnectionLimits {
        &self.limits
    }

    /// Admits a new connection as a stranger, closing the oldest stranger (of its address first)
    /// when there is no room.
    pub(super) fn admit(self: &Arc<Self>, addr: SocketAddr) -> Pass {
        let origin = Origin::of(addr.ip());
        let close = Arc::new(Notify::new());
        let mut slots = super::lock(&self.slots);
        if slots.per_origin.get(&origin).copied().unwrap_or(0) >= self.limits.strangers_per_address {
            slots.evict(Some(origin));
        }
        if slots.strangers.len() >= self.limits.strangers {
            slots.evict(None);
        }
        let id = slots.next_id;
        slots.next_id += 1;
        slots.strangers.insert(
            id,
            Stranger {
                origin,
                stage: Stage::Handshaking,
                close: close.clone(),
            },
        );
        *slots.per_origin.entry(origin).or_default() += 1;
        Pass {
            gate: self.clone(),
            id,
            held: Held::Stranger,
            close,
        }
    }

    pub(super) fn occupancy(&self) -> Occupancy {
        let slots = super::lock(&self.slots);
        Occupancy {
            strangers: slots.strangers.len(),
            terminals: slots.terminals,
            evicted: slots.evicted,
        }
    }
}

impl Pass {
    /// The connection finished its handshake without a hall certificate: it is first in line
    /// to be closed when room is needed.
    pub(super) fn established(&self) {
        let mut slots = super::lock(&self.gate.slots);
        if let Some(stranger) = slots.strangers.get_mut(&self.id) {
            stranger.stage = Stage::Established;
        }
    }

    /// The connection showed a hall certificate: it leaves the strangers' table for the
    /// terminals' pool. False when that pool is full (the connection should be closed).
    pub(super) fn become_terminal(&mut self) -> bool {
        let mut slots = super::lock(&self.gate.slots);
        if slots.remove_stranger(self.id).is_none() {
            // Picked to make room just as its handshake finished: a terminal keeps its
            // connection, so the notice meant for a stranger is forgotten.
            self.close = Arc::new(Notify::new());
        }
        if slots.terminals >= self.gate.limits.terminals {
            self.held = Held::Nothing;
            return false;
        }
        slots.terminals += 1;
        self.held = Held::Terminal;
        true
    }

    /// Resolves when the host closes this connection to make room for another.
    pub(super) async fn closed(&self) {
        self.close.notified().await;
    }
}

impl Drop for Pass {
    fn drop(&mut self) {
        let mut slots = super::lock(&self.gate.slots);
        match self.held {
            Held::Stranger => {
                slots.remove_stranger(self.id);
            }
            Held::Terminal => slots.terminals -= 1,
            Held::Nothing => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(strangers: usize, per_address: usize, terminals: usize) -> ConnectionLimits {
        ConnectionLimits {
            strangers,
            strangers_per_address: per_address,
            terminals,
            ..ConnectionLimits::for_descriptors(1024)
        }
    }

    fn addr(text: &str) -> SocketAddr {
        SocketAddr::new(text.parse().unwrap(), 40000)
    }

    fn is_closed(pass: &Pass) -> bool {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            tokio::time::timeout(Duration::from_millis(1), pass.closed())
                .await
                .is_ok()
        })
    }

    #[test]
    fn a_full_address_gives_up_its_own_oldest_stranger_not_anyone_elses() {
        let gate = Gate::new(limits(10, 2, 10));
        let other = gate.admit(addr("10.0.0.9"));
        let first = gate.admit(addr("10.0.0.1"));
        let second = gate.admit(addr("10.0.0.1"));
        let third = gate.admit(addr("10.0.0.1"));
        assert!(is_closed(&first));
        assert!(!is_closed(&second) && !is_closed(&third) && !is_closed(&other));
        drop(first);
        assert_eq!(gate.occupancy().strangers, 3);
    }

    #[test]
    fn when_full_those_holding_an_idle_connection_go_before_those_still_shaking_hands() {
        let gate = Gate::new(limits(3, 3, 10));
        let handshaking = gate.admit(addr("10.0.0.1"));
        let idle = gate.admit(addr("10.0.0.2"));
        idle.established();
        let _third = gate.admit(addr("10.0.0.3"));
        let _fourth = gate.admit(addr("10.0.0.4"));
        assert!(is_closed(&idle));
        assert!(!is_closed(&handshaking));
        assert_eq!(gate.occupancy().strangers, 3);
        assert_eq!(gate.occupancy().evicted, 1);
    }

    #[test]
    fn terminals_are_never_closed_for_strangers_and_have_their_own_cap() {
        let gate = Gate::new(limits(2, 2, 1));
        let mut terminal = gate.admit(addr("10.0.0.1"));
        assert!(terminal.become_terminal());
        let strangers: Vec<Pass> = (0..50).map(|_| gate.admit(addr("10.0.0.1"))).collect();
        assert!(!is_closed(&terminal));
        assert_eq!(
            gate.occupancy(),
            Occupancy {
                strangers: 2,
                terminals: 1,
                evicted: 48
            }
        );
        let mut second = gate.admit(addr("10.0.0.7"));
        assert!(!second.become_terminal(), "the terminals' pool holds one");
        drop(second);
        drop(terminal);
        drop(strangers);
        assert_eq!(gate.occupancy().terminals, 0);
        assert_eq!(gate.occupancy().strangers, 0);
    }

    #[test]
    fn ipv6_addresses_are_counted_by_their_64_bit_prefix() {
        let gate = Gate::new(limits(10, 2, 10));
        let a = gate.admit(addr("2001:db8:1:2::1"));
        let _b = gate.admit(addr("2001:db8:1:2::2"));
        let _c = gate.admit(addr("2001:db8:1:2:ffff::3"));
        let d = gate.admit(addr("2001:db8:1:3::1"));
        assert!(is_closed(&a));
        assert!(!is_closed(&d));
    }

    #[test]
    fn the_limits_fit_the_descriptors_the_process_has() {
        let small = ConnectionLimits::for_descriptors(1024);
        let room = (1024 - DESCRIPTORS_KEPT) as usize;
        assert!(small.terminals + 2 * small.strangers <= room);
        let large = ConnectionLimits::for_descriptors(1 << 20);
        assert_eq!((large.strangers, large.terminals), (256, 1024));
        let tiny = ConnectionLimits::for_descriptors(10);
        assert!(tiny.strangers >= 1 && tiny.terminals >= 1);
    }
}
