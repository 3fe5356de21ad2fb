//! The queue ticket: what the visitor holds while waiting.

use super::{Block, Receipt, Size, bullet};
use crate::i18n::{tr, trf};
use crate::lang::{Lang, Names};
use crate::queue::PriorityReason;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// What the paper says about the ticket: the receipt's own view, so that this pure module does
/// not depend on the queue service (or on any storage) — callers map their ticket to it.
#[derive(Debug, Clone)]
pub struct TicketFacts<'a> {
    pub id: &'a str,
    pub number: &'a str,
    /// The service's name as issued, used when the configuration no longer names it.
    pub service_name: &'a str,
    pub priority: Option<PriorityReason>,
    pub business_day: NaiveDate,
    pub issued_at: DateTime<Utc>,
    pub people_ahead: Option<usize>,
    pub estimated_wait_minutes: Option<u32>,
}

/// Everything a ticket shows besides the ticket itself.
pub struct TicketContext<'a> {
    pub hall: &'a Names,
    /// The service's name in every language (the ticket records only the issuing one).
    pub service: Option<&'a Names>,
    pub time_zone: Tz,
    /// Status page template (`{ticket}`, `{number}`, `{day}`, `{hall}`), from provisioning.
    pub status_url: Option<&'a str>,
    pub hall_id: &'a str,
}

pub fn priority_label(reason: PriorityReason, lang: Lang) -> String {
    let msgid = match reason {
        PriorityReason::Elderly => "Elderly (60 or older)",
        PriorityReason::Disabled => "Person with a disability",
        PriorityReason::Pregnant => "Pregnant",
        PriorityReason::Minor => "Under 18",
        PriorityReason::PoliceMilitaryFamily => "Police, military or their family",
    };
    tr(lang, msgid)
}

/// The status link for a ticket, or None when none is provisioned.
pub fn status_link(template: &str, ticket: &TicketFacts, hall_id: &str) -> String {
    template
        .replace("{ticket}", ticket.id)
        .replace("{number}", ticket.number)
        .replace("{day}", &ticket.business_day.to_string())
        .replace("{hall}", hall_id)
}

pub fn ticket_receipt(ticket: &TicketFacts, lang: Lang, ctx: &TicketContext) -> Receipt {
    let mut r = Receipt::new(lang);
    // A ticket in English or Uyghur names the hall and the service in Chinese too, in a small
    // line under each, so the staff member who reads it can.
    let for_staff = lang != Lang::ZhCn;
    r.centered(ctx.hall.get(lang), Size::Normal, true);
    if for_staff {
        r.centered(ctx.hall.get(Lang::ZhCn), Size::Normal, false);
    }
    r.centered(
        ctx.service.map_or(ticket.service_name, |n| n.get(lang)),
        Size::Double,
        false,
    );
    if let Some(service) = ctx.service.filter(|_| for_staff) {
        r.centered(service.get(Lang::ZhCn), Size::Normal, false);
    }
    r.push(Block::Rule)
        .centered(tr(lang, "Your number"), Size::Normal, false)
        .centered(ticket.number, Size::Huge, true);
    if let Some(reason) = ticket.priority {
        r.centered(
            trf(lang, "Priority service: {}", &[&priority_label(reason, lang)]),
            Size::Normal,
            true,
        );
    }
    r.push(Block::Feed(1));
    match ticket.people_ahead {
        Some(0) => r.body(tr(lang, "You are next.")),
        Some(n) => r.body(trf(lang, "People ahead of you: {}", &[&n.to_string()])),
        None => &mut r,
    };
    if let Some(minutes) = ticket
        .estimated_wait_minutes
        .filter(|_| ticket.people_ahead != Some(0))
    {
        r.body(trf(
            lang,
            "Estimated wait: about {} minutes",
            &[&minutes.to_string()],
        ));
    }
    r.body(trf(
        lang,
        "Issued at {}",
        &[&local_time(ticket.issued_at, ctx.time_zone)],
    ));
    r.push(Block::Rule).heading(tr(lang, "Please bring:"));
    for item in [
        // i18n: msgids
        "Your ID card, residence permit or passport",
        "Papers about your matter (contracts, letters, court papers)",
        // Legal Aid Law art. 41: the office verifies hardship through information sharing or the
        // applicant's personal integrity commitment; no certificate of income may be demanded.
        "For legal aid, a statement you fill in here and your signed commitment are enough; bring payslips if you have them",
    ] {
        r.body(bullet(&tr(lang, item)));
    }
    r.push(Block::Rule);
    if let Some(template) = ctx.status_url {
        r.push(Block::Qr(status_link(template, ticket, ctx.hall_id)))
            .centered(
                tr(lang, "Scan to follow the queue on your phone."),
                Size::Normal,
                false,
            );
    }
    r.body(tr(
        lang,
        "Keep this ticket. Watch the screen and listen for your number.",
    ))
    .push(Block::Feed(2));
    r
}

pub fn local_time(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}
