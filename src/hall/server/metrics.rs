//! `/metrics` in the Prometheus text format (prometheus-client). Request latencies and events
//! are counted as they happen; the queue's state (today's tickets, waits, open counters, the
//! outbox, the printer) is read from the database at each scrape, so it is right after a
//! restart and costs nothing between scrapes.

use super::connections::Gate;
use super::{Api, lock};
use kiosk_contract::{HallEvent, HallQueue};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EventLabels {
    event: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ServiceLabels {
    service: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LevelLabels {
    level: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ConnectionLabels {
    listener: String,
    kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ListenerLabels {
    listener: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TerminalLabels {
    terminal: String,
}

pub(super) struct Metrics {
    registry: Registry,
    requests: Family<RouteLabels, Histogram>,
    events: Family<EventLabels, Counter>,
    streams: Gauge<i64, AtomicI64>,
    listeners: std::sync::Mutex<Vec<(&'static str, Arc<Gate>)>>,
}

fn latency_histogram() -> Histogram {
    // 1 ms to about 4 s.
    Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
        0.001, 2.0, 13,
    ))
}

impl Metrics {
    pub(super) fn new() -> Self {
        let mut registry = Registry::with_prefix("kiosk_hall");
        let requests =
            Family::<RouteLabels, Histogram>::new_with_constructor(latency_histogram as fn() -> Histogram);
        registry.register(
            "request_duration_seconds",
            "Hall API requests by route and status",
            requests.clone(),
        );
        let events = Family::<EventLabels, Counter>::default();
        registry.register("events", "Queue events since the host started", events.clone());
        let streams = Gauge::<i64, AtomicI64>::default();
        registry.register(
            "event_streams",
            "Clients connected to the event stream now",
            streams.clone(),
        );
        Self {
            registry,
            requests,
            events,
            streams,
            listeners: std::sync::Mutex::default(),
        }
    }

    /// Reports `gate`'s connections as `listener` at each scrape.
    pub(super) fn watch_listener(&self, listener: &'static str, gate: Arc<Gate>) {
        lock(&self.listeners).push((listener, gate));
    }

    fn register_connections(&self, registry: &mut Registry) {
        let held = Family::<ConnectionLabels, Gauge>::default();
        let closed = Family::<ListenerLabels, Counter>::default();
        for (listener, gate) in lock(&self.listeners).iter() {
            let now = gate.occupancy();
            for (kind, n) in [("stranger", now.strangers), ("terminal", now.terminals)] {
                let labels = ConnectionLabels {
                    listener: (*listener).to_owned(),
                    kind: kind.to_owned(),
                };
                held.get_or_create(&labels)
                    .set(i64::try_from(n).unwrap_or(i64::MAX));
            }
            closed
                .get_or_create(&ListenerLabels {
                    listener: (*listener).to_owned(),
                })
                .inc_by(now.evicted);
        }
        registry.register(
            "hall_connections",
            "Open connections by listener, strangers (no hall certificate) and terminals",
            held,
        );
        registry.register(
            "hall_connections_closed_for_room",
            "Stranger connections closed to make room for new ones",
            closed,
        );
    }

    pub(super) fn request(&self, route: &str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
                status,
            })
            .observe(took.as_secs_f64());
    }

    pub(super) fn saw(&self, event: &HallEvent) {
        let event = event.event.as_str().to_owned();
        self.events.get_or_create(&EventLabels { event }).inc();
    }

    /// Counts an event-stream client while the returned guard lives.
    pub(super) fn stream_opened(&self) -> StreamGuard {
        self.streams.inc();
        StreamGuard(self.streams.clone())
    }
}

pub(super) struct StreamGuard(Gauge<i64, AtomicI64>);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Terminals seen within this long count as connected.
const CONNECTED_WITHIN: Duration = Duration::from_secs(5 * 60);

/// The whole scrape: the live families, then the queue's state read now.
pub(super) fn scrape(api: &Api) -> Result<String, String> {
    let mut state = Registry::with_prefix("kiosk");
    let status = api.reads.take().status().map_err(|e| e.to_string())?;
    let per_service = |name: &str,
                       help: &str,
                       value: &dyn Fn(&kiosk_contract::ServiceStatus) -> i64,
                       reg: &mut Registry| {
        let family = Family::<ServiceLabels, Gauge>::default();
        for s in &status.services {
            family
                .get_or_create(&ServiceLabels {
                    service: s.code.to_string(),
                })
                .set(value(s));
        }
        reg.register(name, help, family);
    };
    let count = |f: &dyn Fn(&kiosk_contract::TicketView) -> bool, code| {
        status
            .tickets
            .iter()
            .filter(|t| t.service == code && f(t))
            .count() as i64
    };
    per_service(
        "tickets_issued_today",
        "Tickets issued this business day",
        &|s| count(&|_| true, s.code),
        &mut state,
    );
    per_service(
        "waiting",
        "Visitors waiting now",
        &|s| s.waiting as i64,
        &mut state,
    );
    per_service(
        "calls_today",
        "Tickets called this business day",
        &|s| count(&|t| t.called_at.is_some(), s.code),
        &mut state,
    );
    per_service(
        "no_shows",
        "Called visitors who did not come (today)",
        &|s| s.no_show as i64,
        &mut state,
    );

    let waits = Histogram::new([60.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0]);
    for t in &status.tickets {
        if let Some(called) = t.called_at {
            waits.observe((called - t.issued_at).num_seconds().max(0) as f64);
        }
    }
    state.register(
        "wait_seconds",
        "Waits from ticket to first call, this business day",
        waits,
    );

    let open = Gauge::<i64, AtomicI64>::default();
    open.set(status.counters.iter().filter(|c| !c.paused).count() as i64);
    state.register("counters_open", "Counters not paused", open);

    let (outbox, attention, ratings) = {
        let mut admin = lock(&api.admin);
        let ratings = admin
            .read(kiosk_store::staff_tables::ratings_by_level)
            .map_err(|e| e.to_string())?;
        let outbox = admin
            .read(kiosk_store::outbox_tables::counts)
            .map_err(|e| e.to_string())?;
        let attention = crate::printing::printer_attention(&mut admin, &api.config.terminal.id)
            .map_err(|e| e.to_string())?;
        (outbox, attention, ratings)
    };
    // A counter, not a gauge: ratings are only ever added (kept across restarts in the database).
    let rated = Family::<LevelLabels, Counter>::default();
    for (level, n) in (1..=5).zip(ratings) {
        rated
            .get_or_create(&LevelLabels {
                level: level.to_string(),
            })
            .inc_by(n);
    }
    state.register(
        "ratings",
        "Visitors' ratings (5 very satisfied ... 1 very dissatisfied)",
        rated,
    );
    let pending = Gauge::<i64, AtomicI64>::default();
    pending.set(i64::try_from(outbox.pending).unwrap_or(i64::MAX));
    state.register(
        "outbox_pending",
        "Submissions waiting to reach the agency",
        pending,
    );
    let dead = Gauge::<i64, AtomicI64>::default();
    dead.set(i64::try_from(outbox.dead).unwrap_or(i64::MAX));
    state.register("outbox_dead", "Submissions the agency refused for good", dead);
    let printer = Family::<TerminalLabels, Gauge>::default();
    printer
        .get_or_create(&TerminalLabels {
            terminal: api.config.terminal.id.clone(),
        })
        .set(i64::from(attention.is_some()));
    state.register("printer_attention", "1 when the printer needs staff", printer);

    let connected = Gauge::<i64, AtomicI64>::default();
    connected.set(
        lock(&api.seen)
            .values()
            .filter(|at| at.elapsed() < CONNECTED_WITHIN)
            .count() as i64,
    );
    state.register(
        "terminals_connected",
        "Enrolled terminals heard from in the last 5 minutes",
        connected,
    );

    api.metrics.register_connections(&mut state);

    let mut text = String::new();
    let fail = |e: std::fmt::Error| e.to_string();
    prometheus_client::encoding::text::encode_registry(&mut text, &api.metrics.registry).map_err(fail)?;
    prometheus_client::encoding::text::encode_registry(&mut text, &state).map_err(fail)?;
    prometheus_client::encoding::text::encode_eof(&mut text).map_err(fail)?;
    Ok(text)
}
