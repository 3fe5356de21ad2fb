//! A hall host's API on loopback for tests, with real certificates: start, stop and start
//! again on the same port, enrol terminals.
#![allow(dead_code)]

use kiosk::clock::SystemClock;
use kiosk::config::Config;
use kiosk::hall::access::TerminalRole;
use kiosk::hall::client::{HallClient, TerminalTls};
use kiosk::hall::enrolment::{self, IssuedCode};
use kiosk::hall::pki::HallCa;
use kiosk::hall::remote::RemoteQueue;
pub use kiosk::hall::server::ConnectionLimits;
use kiosk::hall::server::{ApiContext, ApiOptions, Faults, HallApi};
use kiosk::queue::ServiceCode;
use kiosk_store::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use tempfile::TempDir;

pub struct Hall {
    pub dir: TempDir,
    pub base: String,
    pub public: SocketAddr,
    pub faults: Arc<Faults>,
    pub config: Arc<Config>,
    limits: Option<ConnectionLimits>,
    api: SocketAddr,
    running: Option<(HallApi, tokio::runtime::Runtime)>,
}

pub fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

pub fn service(code: &str) -> ServiceCode {
    code.parse().unwrap()
}

impl Hall {
    pub fn start() -> Hall {
        Self::start_with(Config::default())
    }

    pub fn start_with(config: Config) -> Hall {
        Self::start_limited(config, None)
    }

    /// A host with these timeouts and caps instead of those for the test process.
    pub fn start_limited(config: Config, limits: Option<ConnectionLimits>) -> Hall {
        let dir = tempfile::tempdir().unwrap();
        let config = Arc::new(config);
        let faults = Arc::new(Faults::default());
        let (api, runtime) = run(&dir, &config, &faults, &limits, (loopback(), loopback()));
        let bound = api.bound;
        Hall {
            base: format!("https://{}", bound.api.unwrap()),
            public: bound.public.unwrap(),
            api: bound.api.unwrap(),
            dir,
            faults,
            config,
            limits,
            running: Some((api, runtime)),
        }
    }

    /// The host goes away: its listeners close and its connections drop.
    pub fn stop(&mut self) {
        self.running = None;
    }

    /// The host comes back on the same addresses.
    pub fn restart(&mut self) {
        self.running = None;
        let addresses = (self.api, self.public);
        self.running = Some(run(
            &self.dir,
            &self.config,
            &self.faults,
            &self.limits,
            addresses,
        ));
    }

    pub fn ca(&self) -> HallCa {
        HallCa::open_or_create(self.dir.path(), "test-hall", chrono::Utc::now()).unwrap()
    }

    pub fn code_at(
        &self,
        id: &str,
        role: TerminalRole,
        counters: &[u32],
        at: chrono::DateTime<chrono::Utc>,
    ) -> IssuedCode {
        let mut store = Store::open_in(self.dir.path()).unwrap();
        enrolment::issue_code(&mut store, &self.ca(), id, role, counters, at).unwrap()
    }

    pub fn code(&self, id: &str, role: TerminalRole, counters: &[u32]) -> IssuedCode {
        self.code_at(id, role, counters, chrono::Utc::now())
    }

    /// Enrols a terminal and returns its data directory and its client.
    pub fn join(&self, id: &str, role: TerminalRole, counters: &[u32]) -> (TempDir, HallClient) {
        let code = self.code(id, role, counters);
        let (answer, key) = enrolment::join(&self.base, &code.code, &code.ca_fingerprint).unwrap();
        assert_eq!(answer.terminal_id, id);
        let dir = tempfile::tempdir().unwrap();
        enrolment::store_credentials(dir.path(), &answer, &key).unwrap();
        let client = HallClient::new(
            &self.base,
            TerminalTls::load(dir.path()).unwrap().rustls().unwrap(),
        )
        .unwrap();
        (dir, client)
    }

    pub fn queue(&self, id: &str, role: TerminalRole, counters: &[u32]) -> (TempDir, RemoteQueue) {
        let (dir, client) = self.join(id, role, counters);
        (dir, RemoteQueue::new(client))
    }

    /// The host's own view of the queue, from its database.
    pub fn local(&self) -> kiosk::hall_queue::LocalQueue {
        let store = Store::open_in(self.dir.path()).unwrap();
        let service =
            kiosk::queue_service::QueueService::new(store, self.config.clone(), Arc::new(SystemClock))
                .unwrap();
        kiosk::hall_queue::LocalQueue::new(service)
    }
}

fn run(
    dir: &TempDir,
    config: &Arc<Config>,
    faults: &Arc<Faults>,
    limits: &Option<ConnectionLimits>,
    (api, public): (SocketAddr, SocketAddr),
) -> (HallApi, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let ctx = ApiContext {
        data_dir: dir.path().to_path_buf(),
        config: config.clone(),
        clock: Arc::new(SystemClock),
        faults: faults.clone(),
    };
    let options = ApiOptions {
        listen: Some(api),
        public_listen: Some(public),
        limits: limits.clone(),
    };
    let api = runtime
        .block_on(kiosk::hall::server::start(ctx, &options))
        .unwrap();
    (api, runtime)
}
