//! A terminal's connection to its hall host: the certificates `kiosk join` stored, and requests
//! that answer within 5 seconds whatever the network does. A change carries one
//! `Idempotency-Key` through all its retries, so a retried call never calls two visitors.

use super::pki::{CA_CERT, CLIENT_CERT, CLIENT_KEY, TLS_DIR};
use kiosk_contract::{ErrorKind, HallError};
use serde::de::DeserializeOwned;
use std::path::Path;
use std::time::{Duration, Instant};

/// The header that carries a staff member's sign-in with a counter's changes.
pub const STAFF_SESSION: &str = "Staff-Session";

/// Every request is answered (or given up) within this.
pub const ANSWER_WITHIN: Duration = Duration::from_millis(4500);
const CONNECT_LIMIT: Duration = Duration::from_millis(1500);
const REQUEST_LIMIT: Duration = Duration::from_secs(2);
const RETRY_PAUSE: Duration = Duration::from_millis(250);

/// This terminal's certificates, as `kiosk join` stored them under the data directory.
pub struct TerminalTls {
    pub ca_pem: String,
    pub cert_pem: String,
    pub key_pem: String,
}

impl TerminalTls {
    pub fn load(data_dir: &Path) -> Result<Self, HallError> {
        let dir = data_dir.join(TLS_DIR);
        let read = |name: &str| {
            crate::fsutil::read_text(&dir.join(name), crate::fsutil::KEY_LIMIT).map_err(|e| {
                HallError::unavailable(format!(
                    "{}: {e}; this terminal is not enrolled at the hall host — run `kiosk join`",
                    dir.join(name).display()
                ))
            })
        };
        Ok(Self {
            ca_pem: read(CA_CERT)?,
            cert_pem: read(CLIENT_CERT)?,
            key_pem: read(CLIENT_KEY)?,
        })
    }

    pub fn rustls(&self) -> Result<rustls::ClientConfig, HallError> {
        super::tls::client_config(&self.ca_pem, &self.cert_pem, &self.key_pem).map_err(|e| {
            HallError::unavailable(format!(
                "this terminal's certificates: {e}; run `kiosk join` again"
            ))
        })
    }
}

/// The innermost cause of a transport error ("Connection refused", "deadline has elapsed").
pub fn cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut inner = e;
    while let Some(next) = inner.source() {
        inner = next;
    }
    inner.to_string()
}

/// Requests to one hall host.
#[derive(Clone)]
pub struct HallClient {
    base: String,
    http: reqwest::blocking::Client,
    /// The staff sign-in that this terminal's changes are made under (header `Staff-Session`).
    staff_session: Option<String>,
}

impl HallClient {
    pub fn new(base: &str, tls: rustls::ClientConfig) -> Result<Self, HallError> {
        let http = reqwest::blocking::Client::builder()
            .use_preconfigured_tls(tls)
            .connect_timeout(CONNECT_LIMIT)
            .timeout(REQUEST_LIMIT)
            .build()
            .map_err(|e| HallError::unavailable(format!("cannot make the HTTPS client: {e}")))?;
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            http,
            staff_session: None,
        })
    }

    /// The client of an enrolled terminal (`terminal.hall_host` and its stored certificates).
    pub fn for_terminal(data_dir: &Path, config: &crate::config::Config) -> Result<Self, HallError> {
        Self::with_tls(config, &TerminalTls::load(data_dir)?)
    }

    /// The same with the certificates already read.
    pub fn with_tls(config: &crate::config::Config, tls: &TerminalTls) -> Result<Self, HallError> {
        let base = config.terminal.hall_host.as_deref().ok_or_else(|| {
            HallError::unavailable(
                "terminal.hall_host is not set; run `kiosk join` or `kiosk provision --hall-host`",
            )
        })?;
        Self::new(base, tls.rustls()?)
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Sends `session` with every change from now on (none: no staff member signed in).
    pub fn set_staff_session(&mut self, session: Option<String>) {
        self.staff_session = session;
    }

    pub fn staff_session(&self) -> Option<&str> {
        self.staff_session.as_deref()
    }

    fn unreachable(&self, e: &reqwest::Error) -> HallError {
        HallError::unavailable(format!(
            "the hall host {} cannot be reached: {}; check the network and that the hall host is running",
            self.base,
            cause(e)
        ))
    }

    /// A change was sent but no answer came in time: it may have been made or not. The host
    /// does not make a change whose requester has gone before it starts, but one already under
    /// way is finished; so the queue is the truth, and staff must look before pressing again.
    fn outcome_unknown(&self, e: &reqwest::Error) -> HallError {
        HallError::unavailable(format!(
            "the hall host {} did not answer within {:.1} s ({}); the change may or may not have been \
             made — look at the queue (the counter's screen, or `kiosk queue status`) before trying again",
            self.base,
            ANSWER_WITHIN.as_secs_f32(),
            cause(e)
        ))
    }

    /// Sends, and for a change resends with the same key on any failure before a whole answer
    /// arrived (the connection refused, dropped, or cut in the middle of the answer) until
    /// `ANSWER_WITHIN` has passed; a resent change that was made answers with what it did. A
    /// read is tried once: its caller (a screen refreshing, a technician) asks again anyway, and
    /// a host that is down is reported at once.
    fn exchange(
        &self,
        change: bool,
        request: impl Fn() -> reqwest::blocking::RequestBuilder,
    ) -> Result<(reqwest::StatusCode, reqwest::header::HeaderMap, Vec<u8>), HallError> {
        let deadline = Instant::now() + if change { ANSWER_WITHIN } else { Duration::ZERO };
        // Whether an attempt may have reached the host (not refused at the connection).
        let mut sent = false;
        loop {
            let attempt = request().send().and_then(|response| {
                let (status, headers) = (response.status(), response.headers().clone());
                response.bytes().map(|body| (status, headers, body.to_vec()))
            });
            match attempt {
                Ok(answer) => return Ok(answer),
                Err(e) => {
                    sent |= !e.is_connect();
                    if Instant::now() + RETRY_PAUSE + CONNECT_LIMIT < deadline {
                        tracing::debug!(host = %self.base, error = %cause(&e), "hall host request failed; retrying");
                        std::thread::sleep(RETRY_PAUSE);
                    } else if change && sent {
                        return Err(self.outcome_unknown(&e));
                    } else {
                        return Err(self.unreachable(&e));
                    }
                }
            }
        }
    }

    fn answer<T: DeserializeOwned>(&self, status: reqwest::StatusCode, body: &[u8]) -> Result<T, HallError> {
        if status.is_success() {
            return serde_json::from_slice(body).map_err(|e| {
                HallError::unavailable(format!(
                    "the hall host {} sent an answer this terminal cannot read: {e}",
                    self.base
                ))
            });
        }
        Err(serde_json::from_slice::<HallError>(body).unwrap_or_else(|_| {
            HallError::new(
                ErrorKind::from_http_status(status.as_u16()),
                format!("the hall host {} answered {status}", self.base),
            )
        }))
    }

    pub fn get<T: DeserializeOwned>(&self, path_and_query: &str) -> Result<T, HallError> {
        let url = format!("{}{path_and_query}", self.base);
        let (status, _, body) = self.exchange(false, || self.http.get(&url))?;
        self.answer(status, &body)
    }

    /// A change: one new request key for all its attempts.
    pub fn post<T: DeserializeOwned>(&self, path: &str, body: &serde_json::Value) -> Result<T, HallError> {
        let key = uuid::Uuid::now_v7().to_string();
        self.post_with_key(path, body, &key)
    }

    /// A change with a key the caller chose (tests retry with the same key by hand).
    pub fn post_with_key<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
        key: &str,
    ) -> Result<T, HallError> {
        let url = format!("{}{path}", self.base);
        let body = body.to_string();
        let (status, _, body) = self.exchange(true, || {
            self.json_post(&url, &body).header("Idempotency-Key", key)
        })?;
        self.answer(status, &body)
    }

    /// A POST of `body` as JSON, with the staff sign-in when there is one.
    fn json_post(&self, url: &str, body: &str) -> reqwest::blocking::RequestBuilder {
        let request = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_owned());
        match &self.staff_session {
            Some(session) => request.header(STAFF_SESSION, session),
            None => request,
        }
    }

    /// A request that is sent once and never repeated by itself (a sign-in: a retried wrong
    /// PIN would count twice towards the lockout).
    pub fn post_once<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<T, HallError> {
        let url = format!("{}{path}", self.base);
        let body = body.to_string();
        let (status, _, body) = self.exchange(false, || self.json_post(&url, &body))?;
        self.answer(status, &body)
    }

    /// The raw answer to a GET: status, headers and body (metrics are text; the doctor reads
    /// the `Date` header).
    pub fn get_raw(&self, path: &str) -> Result<(u16, reqwest::header::HeaderMap, Vec<u8>), HallError> {
        let url = format!("{}{path}", self.base);
        let (status, headers, body) = self.exchange(false, || self.http.get(&url))?;
        Ok((status.as_u16(), headers, body))
    }
}
