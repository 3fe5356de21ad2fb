//! A terminal following the hall host's event stream (`GET /v1/events`): it reconnects by itself
//! with `Last-Event-ID`, so it gets what it missed (or a fresh snapshot when it missed too
//! much), and it notices a silent host within `SILENCE` because the host sends a heartbeat
//! every 2 seconds. `hall::feed::RemoteFeed` is this stream as the roles' `HallFeed`.

use super::client::cause;
use kiosk_contract::{EventCursor, FeedItem, HallEvent, HallSummary, IDLE_EVERY};
use std::future::Future;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

/// No byte from the host for this long (heartbeats included): the connection is lost.
pub const SILENCE: Duration = Duration::from_secs(5);
const CONNECT_LIMIT: Duration = Duration::from_secs(2);
/// Waits between reconnection attempts, growing to the last.
const BACKOFF: [Duration; 4] = [
    Duration::from_millis(200),
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_secs(2),
];

/// One Server-Sent Events message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseMessage {
    pub id: Option<String>,
    pub event: String,
    pub data: String,
}

/// Turns the stream's bytes into messages (the `text/event-stream` format: `field: value`
/// lines, a blank line ends a message, lines starting with `:` are comments).
#[derive(Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    current: SseMessage,
    has_data: bool,
}

/// A line longer than this is not from the hall host; it is dropped rather than kept growing.
const MAX_LINE: usize = 1 << 20;

impl SseParser {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<SseMessage> {
        let mut out = Vec::new();
        for &b in bytes {
            if b == b'\n' {
                let line = std::mem::take(&mut self.line);
                let line = String::from_utf8_lossy(line.strip_suffix(b"\r").unwrap_or(&line)).into_owned();
                if let Some(m) = self.line_done(&line) {
                    out.push(m);
                }
            } else if self.line.len() < MAX_LINE {
                self.line.push(b);
            }
        }
        out
    }

    fn line_done(&mut self, line: &str) -> Option<SseMessage> {
        if line.is_empty() {
            let done = std::mem::take(&mut self.current);
            return std::mem::take(&mut self.has_data).then_some(done);
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "id" => self.current.id = Some(value.to_owned()),
            "event" => self.current.event = value.to_owned(),
            "data" => {
                if self.has_data {
                    self.current.data.push('\n');
                }
                self.current.data.push_str(value);
                self.has_data = true;
            }
            _ => {}
        }
        None
    }
}

/// The item a message stands for, and the cursor it moves to.
fn item(message: &SseMessage) -> Option<(FeedItem, EventCursor)> {
    if message.event == "snapshot" {
        let summary: HallSummary = serde_json::from_str(&message.data).ok()?;
        let cursor = summary.cursor;
        return Some((FeedItem::Snapshot(Box::new(summary)), cursor));
    }
    let event: HallEvent = serde_json::from_str(&message.data).ok()?;
    let cursor = event.seq;
    Some((FeedItem::Event(Box::new(event)), cursor))
}

/// `work` to its end, telling `on` `Idle` every `IDLE_EVERY` meanwhile; None when `on` broke.
async fn idling<T>(
    work: impl Future<Output = T>,
    on: &mut dyn FnMut(FeedItem) -> ControlFlow<()>,
) -> Option<T> {
    let mut work = std::pin::pin!(work);
    loop {
        tokio::select! {
            done = &mut work => return Some(done),
            () = tokio::time::sleep(IDLE_EVERY) => {
                if on(FeedItem::Idle).is_break() {
                    return None;
                }
            }
        }
    }
}

/// Follows the stream until `on` breaks; reconnects for ever otherwise. `from`: the last event
/// already seen (None: start with a snapshot).
pub async fn follow(
    base: &str,
    tls: rustls::ClientConfig,
    from: Option<EventCursor>,
    on: &mut dyn FnMut(FeedItem) -> ControlFlow<()>,
) -> Result<(), String> {
    let http = reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .connect_timeout(CONNECT_LIMIT)
        .build()
        .map_err(|e| format!("cannot make the HTTPS client: {e}"))?;
    let url = format!("{}/v1/events", base.trim_end_matches('/'));
    let mut cursor = from;
    let mut failures = 0usize;
    loop {
        let Some(connected) = idling(connect(&http, &url, cursor), on).await else {
            return Ok(());
        };
        let lost = match connected {
            Err(why) => why,
            Ok(mut response) => {
                failures = 0;
                if on(FeedItem::Connected).is_break() {
                    return Ok(());
                }
                let mut parser = SseParser::default();
                let mut heard = Instant::now();
                loop {
                    let chunk = match tokio::time::timeout(IDLE_EVERY, response.chunk()).await {
                        Err(_) if heard.elapsed() >= SILENCE => {
                            break format!("nothing from the hall host for {} s", SILENCE.as_secs());
                        }
                        Err(_) => {
                            if on(FeedItem::Idle).is_break() {
                                return Ok(());
                            }
                            continue;
                        }
                        Ok(chunk) => chunk,
                    };
                    heard = Instant::now();
                    let bytes = match chunk {
                        Err(e) => break format!("the event stream broke: {}", cause(&e)),
                        Ok(None) => break "the hall host ended the event stream".to_owned(),
                        Ok(Some(bytes)) => bytes,
                    };
                    for message in parser.push(&bytes) {
                        let Some((item, at)) = item(&message) else {
                            tracing::warn!(event = %message.event, "an event this terminal cannot read was skipped");
                            continue;
                        };
                        cursor = Some(at);
                        if on(item).is_break() {
                            return Ok(());
                        }
                    }
                }
            }
        };
        if on(FeedItem::Lost(lost)).is_break() {
            return Ok(());
        }
        let pause = tokio::time::sleep(BACKOFF[failures.min(BACKOFF.len() - 1)]);
        if idling(pause, on).await.is_none() {
            return Ok(());
        }
        failures += 1;
    }
}

async fn connect(
    http: &reqwest::Client,
    url: &str,
    cursor: Option<EventCursor>,
) -> Result<reqwest::Response, String> {
    let mut request = http.get(url).header(reqwest::header::ACCEPT, "text/event-stream");
    if let Some(c) = cursor {
        request = request.header("Last-Event-ID", c.to_string());
    }
    let response = tokio::time::timeout(SILENCE, request.send())
        .await
        .map_err(|_| "the hall host did not answer".to_owned())?
        .map_err(|e| format!("the hall host cannot be reached: {}", cause(&e)))?;
    if !response.status().is_success() {
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        let why = serde_json::from_str::<kiosk_contract::HallError>(&text)
            .map_or_else(|_| status.to_string(), |e| e.message);
        return Err(format!("the hall host refused the event stream: {why}"));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_split_across_chunks_and_comments_are_skipped() {
        let mut p = SseParser::default();
        assert!(p.push(b": heartbeat\n\nid: 7\nevent: ca").is_empty());
        let got = p.push(b"ll\r\ndata: {\"a\":\ndata: 1}\n\n");
        assert_eq!(
            got,
            vec![SseMessage {
                id: Some("7".into()),
                event: "call".into(),
                data: "{\"a\":\n1}".into()
            }]
        );
        assert!(p.push(b"\n\n").is_empty(), "blank lines alone are no message");
    }
}
