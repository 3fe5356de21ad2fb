//! The ticket status page that a ticket's QR code opens on a visitor's phone: plain HTTP on its
//! own listener, serving `GET /t/{ticket-id}` and nothing else. The page is in the ticket's
//! language (right to left for Uyghur), refreshes itself, and shows only what the ticket shows:
//! number, service, people ahead, the estimate, the counter once called. Unknown or malformed
//! ids get the same 404 as any other path, so the page says nothing about which tickets exist;
//! each address may ask a limited number of times a minute.

use super::connections::Origin;
use super::{Api, blocking, lock};
use crate::i18n::{tr, trf};
use crate::queue::TicketState;
use axum::Router;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use kiosk_contract::{HallQueue, TicketView};
use kiosk_core::lang::Lang;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Requests per address per minute (a phone refreshing every 20 s uses 3).
const PER_MINUTE: f64 = 30.0;
/// How often the page reloads itself, in seconds.
const REFRESH_SECONDS: u32 = 20;
/// Addresses remembered at most (the oldest are forgotten first).
const ADDRESSES: usize = 10_000;

#[derive(Default)]
struct Limiter {
    buckets: Mutex<HashMap<Origin, (f64, Instant)>>,
}

impl Limiter {
    /// Takes a token for `addr` (an IPv6 address counts with its whole /64); false when it has
    /// none left.
    fn allow(&self, addr: IpAddr) -> bool {
        let mut buckets = super::lock(&self.buckets);
        let now = Instant::now();
        if buckets.len() >= ADDRESSES {
            // Addresses not heard from for a minute have their tokens back anyway. If most are
            // recent (many addresses at once), forget them all rather than scan again on the
            // next request: the cost stays constant per request and the memory bounded.
            buckets.retain(|_, (_, at)| now.duration_since(*at).as_secs() < 60);
            if buckets.len() >= ADDRESSES / 2 {
                buckets.clear();
            }
        }
        let (tokens, at) = buckets.entry(Origin::of(addr)).or_insert((PER_MINUTE, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * PER_MINUTE / 60.0).min(PER_MINUTE);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }

    #[cfg(test)]
    fn remembered(&self) -> usize {
        super::lock(&self.buckets).len()
    }
}

#[derive(Clone)]
struct Page {
    api: Arc<Api>,
    limiter: Arc<Limiter>,
}

/// The page's routes (served by the status page's own listener).
pub(super) fn router(api: Arc<Api>) -> Router {
    let state = Page {
        api,
        limiter: Arc::new(Limiter::default()),
    };
    Router::new()
        .route("/t/{id}", get(ticket_page))
        .fallback(not_found)
        .with_state(state)
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// A ticket id as the kiosk makes them (a UUID); anything else is not looked up.
fn plausible_id(id: &str) -> bool {
    id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

async fn ticket_page(
    State(page): State<Page>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
) -> Response {
    if !page.limiter.allow(addr.ip()) {
        let mut r = (
            StatusCode::TOO_MANY_REQUESTS,
            "too many requests; try again in a minute\n",
        )
            .into_response();
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return r;
    }
    if !plausible_id(&id) {
        return not_found().await;
    }
    let api = page.api.clone();
    let found = blocking(move || lock(&api.reads).ticket_by_id(&id)).await;
    match found {
        Ok(ticket) => {
            let mut r = Html(render(&page.api.config, &ticket)).into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) if e.kind == kiosk_contract::ErrorKind::Unavailable => {
            (StatusCode::SERVICE_UNAVAILABLE, "please try again in a moment\n").into_response()
        }
        Err(_) => not_found().await,
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page in the ticket's language.
pub fn render(config: &crate::config::Config, ticket: &TicketView) -> String {
    let lang: Lang =
        serde_json::from_value(serde_json::Value::String(ticket.language.clone())).unwrap_or_default();
    let service = config
        .service(ticket.service)
        .map_or_else(|| ticket.service_name.clone(), |s| s.name.get(lang).to_owned());
    let counter = |id: u32| {
        config
            .counters
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_string(), |c| c.name.get(lang).to_owned())
    };
    let (state_class, lines): (&str, Vec<String>) = match ticket.state {
        TicketState::Waiting => {
            let mut lines = Vec::new();
            if let Some(ahead) = ticket.people_ahead {
                lines.push(trf(lang, "People ahead of you: {}", &[&ahead.to_string()]));
            }
            lines.push(match ticket.estimated_wait_minutes {
                Some(m) => trf(lang, "Estimated wait: about {} minutes", &[&m.to_string()]),
                None => tr(
                    lang,
                    "No counter is open for this service at the moment. Staff will help you.",
                ),
            });
            ("waiting", lines)
        }
        TicketState::Called => (
            "called",
            vec![trf(
                lang,
                "Called: please go to {}",
                &[&ticket.counter.map(counter).unwrap_or_default()],
            )],
        ),
        TicketState::Completed => ("done", vec![tr(lang, "Your visit is finished. Thank you.")]),
        TicketState::NoShow => (
            "missed",
            vec![tr(
                lang,
                "You were called but were not there. Please ask staff at a counter.",
            )],
        ),
        TicketState::Expired => (
            "done",
            vec![tr(
                lang,
                "This ticket is from an earlier day and is no longer valid.",
            )],
        ),
    };
    let dir = if lang.is_rtl() { "rtl" } else { "ltr" };
    let body: String = lines.iter().map(|l| format!("<p>{}</p>\n", escape(l))).collect();
    format!(
        r#"<!doctype html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{REFRESH_SECONDS}">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans Arabic", "Noto Sans", sans-serif; margin: 0; padding: 1.5rem;
       background: #ffffff; color: #111111; font-size: 1.25rem; line-height: 1.5; }}
.label {{ font-size: 1.1rem; color: #333333; margin: 0; }}
.number {{ font-size: 4.5rem; font-weight: 700; margin: 0.2rem 0; letter-spacing: 0.05em; }}
.service {{ font-size: 1.4rem; margin: 0 0 1rem 0; }}
.state p {{ margin: 0.5rem 0; }}
.called {{ background: #ffe14d; border: 3px solid #111111; padding: 0.75rem 1rem; font-weight: 700; font-size: 1.6rem; }}
.missed {{ border-inline-start: 6px solid #b00020; padding-inline-start: 1rem; }}
.note {{ font-size: 1rem; color: #444444; margin-top: 2rem; }}
</style>
</head>
<body>
<p class="label">{your_number}</p>
<p class="number">{number}</p>
<p class="service">{service}</p>
<div class="state {state_class}">
{body}</div>
<p class="note">{note}</p>
</body>
</html>
"#,
        lang = lang.code(),
        title = escape(&tr(lang, "Queue ticket status")),
        your_number = escape(&tr(lang, "Your number")),
        number = escape(&ticket.number),
        service = escape(&service),
        note = escape(&tr(lang, "This page updates by itself.")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_share_and_no_more() {
        let limiter = Limiter::default();
        let addr: IpAddr = "192.0.2.7".parse().unwrap();
        let allowed = (0..40).filter(|_| limiter.allow(addr)).count();
        assert_eq!(allowed, PER_MINUTE as usize);
        assert!(
            limiter.allow("192.0.2.8".parse().unwrap()),
            "another address is not affected"
        );
    }

    #[test]
    fn many_addresses_cannot_grow_the_limiter_past_its_bound() {
        let limiter = Limiter::default();
        for i in 0..(3 * ADDRESSES as u32) {
            assert!(limiter.allow(IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + i))));
            assert!(limiter.remembered() <= ADDRESSES);
        }
    }

    #[test]
    fn a_phone_cannot_escape_its_limit_by_changing_the_end_of_its_ipv6_address() {
        let limiter = Limiter::default();
        let allowed = (0..40u16)
            .filter(|i| {
                limiter.allow(IpAddr::V6(std::net::Ipv6Addr::new(
                    0x2001, 0xdb8, 1, 2, 0, 0, 0, *i,
                )))
            })
            .count();
        assert_eq!(allowed, PER_MINUTE as usize);
    }

    #[test]
    fn only_uuid_shaped_ids_are_looked_up() {
        assert!(plausible_id("01939f2a-7a1c-7c3e-9d2b-3f1e2d4c5b6a"));
        assert!(!plausible_id("../../etc/passwd"));
        assert!(!plausible_id("A001"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    }
}
