//! The ticket status page that a ticket's QR code opens on a visitor's phone: plain HTTP on its
//! own listener, serving `GET /t/{ticket-id}` and nothing else. The page is in the ticket's
//! language (right to left for Uyghur), refreshes itself, and shows only what the ticket shows:
//! number, service, people ahead, the estimate, the counter once called. Unknown or malformed
//! ids get the same 404 as any other path, so the page says nothing about which tickets exist;
//! each address may ask a limited number of times a minute.

use super::rate::RateLimiter;
use super::{Api, blocking};
use crate::i18n::{tr, trf};
use crate::queue::TicketState;
use axum::Router;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use kiosk_contract::{HallQueue, TicketView};
use kiosk_core::lang::Lang;
use std::net::SocketAddr;
use std::sync::Arc;

/// Requests per address per minute (a phone refreshing every 20 s uses 3).
const PER_MINUTE: u32 = 30;
/// How often the page reloads itself, in seconds.
const REFRESH_SECONDS: u32 = 20;
#[derive(Clone)]
struct Page {
    api: Arc<Api>,
    limiter: Arc<RateLimiter>,
}

/// The page's routes (served by the status page's own listener).
pub(super) fn router(api: Arc<Api>) -> Router {
    let state = Page {
        api,
        limiter: Arc::new(RateLimiter::per_minute(PER_MINUTE)),
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
    let found = blocking(move || api.reads.take().ticket_by_id(&id)).await;
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
