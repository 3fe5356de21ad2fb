//! The screening summary: the outcome, why (with the rule), what to bring and what happens next,
//! so the visitor can show it at the counter instead of telling the story again.

use super::{Block, Receipt, Size, bullet};
use crate::eligibility::ScreeningOutput;
use crate::i18n::{tr, trf};
use crate::lang::Names;

pub struct SummaryContext<'a> {
    pub hall: &'a Names,
    /// When the screening was done, local time, already formatted.
    pub at: &'a str,
    /// The terminal's own reference for this screening (or its pre-application).
    pub local_reference: &'a str,
    /// The agency's case reference once the pre-application was acknowledged.
    pub agency_reference: Option<&'a str>,
}

pub fn summary_receipt(out: &ScreeningOutput, ctx: &SummaryContext) -> Receipt {
    let lang = out.language;
    let mut r = Receipt::new(lang);
    r.centered(ctx.hall.get(lang), Size::Normal, true)
        .centered(tr(lang, "Legal aid check"), Size::Double, true)
        .centered(ctx.at, Size::Normal, false)
        .push(Block::Rule)
        .heading(&out.headline);
    if !out.reasons.is_empty() {
        r.push(Block::Feed(1)).heading(tr(lang, "Why:"));
        for reason in &out.reasons {
            r.body(bullet(&reason.text));
            r.body(trf(lang, "Rule: {}", &[&reason.citation]));
        }
    }
    if !out.next_steps.is_empty() {
        r.push(Block::Feed(1)).heading(tr(lang, "What happens next:"));
        for step in &out.next_steps {
            r.body(bullet(step));
        }
    }
    if let Some(proof) = &out.proof {
        r.push(Block::Feed(1)).heading(tr(lang, "Please bring:"));
        r.body(bullet(&proof.text));
    }
    r.push(Block::Rule);
    r.body(trf(lang, "Reference: {}", &[ctx.local_reference]));
    if let Some(agency) = ctx.agency_reference {
        r.body(trf(lang, "Legal aid office reference: {}", &[agency]));
    }
    r.body(tr(
        lang,
        "This is a first check, not a decision. The legal aid office decides on your application.",
    ))
    .push(Block::Feed(2));
    r
}
