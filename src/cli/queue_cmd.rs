//! `kiosk queue …`: what counter staff and scripts do to the hall queue.

use super::{CmdResult, Context, Failure, print_json};
use crate::lang::Lang;
use crate::queue::{DisplayNumber, PriorityReason, ServiceCode};
use crate::queue::{Rating, RatingLevel, RatingReason};
use clap::{Args, Subcommand};
use kiosk_contract::IssueRequest;
use kiosk_contract::{CallResult, CounterStatus, HallStatus, TicketRef, TicketView};

#[derive(Subcommand, Debug)]
pub enum QueueCommand {
    /// Issue a ticket (what the kiosk does when a visitor taps a service).
    Issue {
        #[arg(long, value_name = "CODE")]
        service: ServiceCode,
        /// Green channel: elderly, disabled, pregnant, minor, police_military_family.
        #[arg(long, value_name = "REASON")]
        priority: Option<PriorityReason>,
        #[arg(long, value_name = "L", default_value = "zh-CN")]
        lang: Lang,
        #[arg(long)]
        json: bool,
    },
    /// Call the next visitor to a counter (completes the one it had).
    Call(CounterArg),
    /// Call a given number to a counter.
    CallNumber {
        #[arg(long, value_name = "N")]
        counter: u32,
        #[arg(long, value_name = "NUMBER")]
        number: DisplayNumber,
        #[arg(long)]
        json: bool,
    },
    /// Call the counter's current visitor again.
    Recall(CounterArg),
    /// The called visitor did not come (they may rejoin within the window).
    Skip(CounterArg),
    /// Put a skipped visitor back, right after the current call.
    Rejoin {
        #[arg(long, value_name = "NUMBER")]
        number: DisplayNumber,
        #[arg(long)]
        json: bool,
    },
    /// Move a ticket to another service; it keeps its place by arrival time.
    Transfer {
        /// The ticket currently called at this counter…
        #[arg(
            long,
            value_name = "N",
            conflicts_with = "number",
            required_unless_present = "number"
        )]
        counter: Option<u32>,
        /// …or a ticket by number.
        #[arg(long, value_name = "NUMBER")]
        number: Option<DisplayNumber>,
        #[arg(long, value_name = "CODE")]
        to: ServiceCode,
        #[arg(long)]
        json: bool,
    },
    /// The counter has finished with its visitor.
    Complete(CounterArg),
    /// Stop calling at a counter (break, closing).
    Pause(CounterArg),
    /// Start calling again at a paused counter.
    Resume(CounterArg),
    /// One ticket of today, with its place in the queue.
    Show {
        #[arg(long, value_name = "NUMBER")]
        number: DisplayNumber,
        #[arg(long)]
        json: bool,
    },
    /// Record a visitor's rating of a completed visit (a paper form, tests): 5 very satisfied
    /// … 1 very dissatisfied; 1 and 2 need at least one reason.
    Rate {
        #[arg(long, value_name = "NUMBER")]
        number: DisplayNumber,
        #[arg(long, value_name = "1..5", value_parser = clap::value_parser!(u8).range(1..=5))]
        level: u8,
        /// attitude, efficiency, professional, waiting, other (comma-separated).
        #[arg(long, value_name = "REASON,…", value_delimiter = ',')]
        reason: Vec<RatingReason>,
        #[arg(long)]
        json: bool,
    },
    /// What a counter's console shows: the visitor, who comes next, its queues, no-shows.
    Counter(CounterArg),
    /// A business day's statistics (the content of the daily report to the agency).
    Stats {
        /// The business day, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE", value_parser = crate::dates::parse_date)]
        day: Option<chrono::NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// The whole state of today's queue.
    Status {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct CounterArg {
    #[arg(long, value_name = "N")]
    counter: u32,
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, cmd: QueueCommand) -> CmdResult {
    let mut q = ctx.hall_queue()?;
    let db = Failure::from;
    match cmd {
        QueueCommand::Issue {
            service,
            priority,
            lang,
            json,
        } => ticket_out(
            &q.issue(&IssueRequest::new(service, priority, lang)).map_err(db)?,
            json,
        ),
        QueueCommand::Call(a) => call_out(&q.call_next(a.counter).map_err(db)?, a.json),
        QueueCommand::CallNumber {
            counter,
            number,
            json,
        } => call_out(&q.call_number(counter, number).map_err(db)?, json),
        QueueCommand::Recall(a) => ticket_out(&q.recall(a.counter).map_err(db)?, a.json),
        QueueCommand::Skip(a) => ticket_out(&q.skip(a.counter).map_err(db)?, a.json),
        QueueCommand::Rejoin { number, json } => ticket_out(&q.rejoin(number).map_err(db)?, json),
        QueueCommand::Transfer {
            counter,
            number,
            to,
            json,
        } => {
            let which = match (counter, number) {
                (Some(c), _) => TicketRef::AtCounter(c),
                (None, Some(n)) => TicketRef::Number(n),
                (None, None) => {
                    return Err(Failure::bad_input(
                        "say which ticket: --counter N or --number A012",
                    ));
                }
            };
            ticket_out(&q.transfer(which, to).map_err(db)?, json)
        }
        QueueCommand::Complete(a) => ticket_out(&q.complete(a.counter).map_err(db)?, a.json),
        QueueCommand::Pause(a) => counter_out(&q.set_paused(a.counter, true).map_err(db)?, a.json),
        QueueCommand::Resume(a) => counter_out(&q.set_paused(a.counter, false).map_err(db)?, a.json),
        QueueCommand::Show { number, json } => ticket_out(&q.ticket(number).map_err(db)?, json),
        QueueCommand::Status { json } => status_out(&q.status().map_err(db)?, json),
        QueueCommand::Stats { day, json } => stats_out(&q.daily_stats(day).map_err(db)?, json),
        QueueCommand::Rate {
            number,
            level,
            reason,
            json,
        } => {
            let level = RatingLevel::from_number(level)
                .ok_or_else(|| Failure::bad_input(format!("a rating level is 1 to 5, not {level}")))?;
            let rating = Rating::new(level, &reason).map_err(|e| Failure::bad_input(e.to_string()))?;
            let kept = q.rate(number, &rating).map_err(db)?;
            if json {
                return print_json(&kept);
            }
            outln!(
                "{}: rated {} of 5 {} (entered by {})",
                kept.number,
                kept.level,
                kept.reasons.join(", "),
                kept.entered_by
            );
            Ok(())
        }
        QueueCommand::Counter(a) => counter_view_out(&q.counter_view(a.counter).map_err(db)?, a.json),
    }
}

fn ticket_line(t: &TicketView) -> String {
    let mut line = format!(
        "{}  {} {}  {}",
        t.number,
        t.service,
        t.service_name,
        t.state.as_str()
    );
    if let Some(p) = t.priority {
        line.push_str(&format!("  green channel: {p}"));
    }
    if let Some(c) = t.counter {
        line.push_str(&format!("  counter {c}"));
    }
    if let Some(ahead) = t.people_ahead {
        let wait = t
            .estimated_wait_minutes
            .map_or("no counter open".to_string(), |m| format!("about {m} min"));
        line.push_str(&format!("  ahead: {ahead}  wait: {wait}"));
    }
    line
}

fn ticket_out(t: &TicketView, json: bool) -> CmdResult {
    if json {
        return print_json(t);
    }
    outln!("{}", ticket_line(t));
    Ok(())
}

fn call_out(r: &CallResult, json: bool) -> CmdResult {
    if json {
        return print_json(r);
    }
    if let Some(done) = &r.completed {
        outln!("completed {}", done.number);
    }
    match &r.called {
        Some(t) => outln!("counter {} calls {}", r.counter, ticket_line(t)),
        None => outln!("counter {}: nobody is waiting for its services", r.counter),
    }
    Ok(())
}

fn counter_out(c: &CounterStatus, json: bool) -> CmdResult {
    if json {
        return print_json(c);
    }
    outln!("counter {} {}", c.id, if c.paused { "paused" } else { "open" });
    Ok(())
}

fn status_out(s: &HallStatus, json: bool) -> CmdResult {
    if json {
        return print_json(s);
    }
    outln!("business day {}", s.business_day);
    for svc in &s.services {
        let wait = svc
            .estimated_wait_minutes
            .map_or("-".to_string(), |m| format!("{m} min"));
        outln!(
            "  service {} {}: {} waiting ({} green channel), {} no-show, {} counters open, new ticket waits {}",
            svc.code,
            svc.name,
            svc.waiting,
            svc.priority_waiting,
            svc.no_show,
            svc.open_counters,
            wait
        );
    }
    for c in &s.counters {
        let current = c.current.as_ref().map_or("-".to_string(), |t| t.number.clone());
        outln!(
            "  counter {} {}: {}, serving {}",
            c.id,
            c.name,
            if c.paused { "paused" } else { "open" },
            current
        );
    }
    outln!("  {} tickets today", s.tickets.len());
    Ok(())
}

fn stats_out(s: &kiosk_contract::DailyStatsView, json: bool) -> CmdResult {
    if json {
        return print_json(s);
    }
    let min = |m: Option<f64>| m.map_or("-".to_string(), |v| format!("{v:.1}"));
    outln!("business day {}", s.business_day);
    for (code, v) in &s.services {
        outln!(
            "  service {code}: issued {}, called {}, served {}, no-show {}, transferred {}, expired {}; \
             wait avg {} p90 {} min; service avg {} p90 {} min",
            v.issued,
            v.called,
            v.served,
            v.no_show,
            v.transferred,
            v.expired,
            min(v.wait_minutes.average),
            min(v.wait_minutes.p90),
            min(v.service_minutes.average),
            min(v.service_minutes.p90)
        );
    }
    for (id, c) in &s.counters {
        outln!(
            "  counter {id}: served {}, service avg {} min; {}",
            c.served,
            min(c.average_service_minutes),
            ratings_line(&c.ratings)
        );
    }
    for (code, v) in &s.services {
        if v.ratings.count > 0 {
            outln!("  service {code}: {}", ratings_line(&v.ratings));
        }
    }
    for (id, st) in &s.staff {
        outln!("  staff {id}: served {}", st.served);
    }
    Ok(())
}

fn ratings_line(r: &kiosk_contract::RatingsView) -> String {
    match r.satisfied_share {
        None => "no ratings".into(),
        Some(share) => {
            let levels: Vec<String> = (1..=5u8)
                .rev()
                .map(|l| format!("{l}:{}", r.by_level.get(&l).copied().unwrap_or(0)))
                .collect();
            format!(
                "{} ratings ({}), {:.1} % satisfied",
                r.count,
                levels.join(" "),
                share * 100.0
            )
        }
    }
}

fn counter_view_out(v: &kiosk_contract::CounterView, json: bool) -> CmdResult {
    if json {
        return print_json(v);
    }
    let c = &v.counter;
    outln!(
        "counter {} {}: {}, staff {}",
        c.id,
        c.name,
        if c.paused { "paused" } else { "open" },
        v.staff.as_deref().unwrap_or("-")
    );
    match &c.current {
        Some(t) => outln!("  serving {}", ticket_line(t)),
        None => outln!("  nobody called"),
    }
    for (i, t) in v.next.iter().enumerate() {
        outln!("  next {}: {}", i + 1, ticket_line(t));
    }
    for s in &v.services {
        let longest = s.longest_wait_minutes.map_or("-".into(), |m| format!("{m} min"));
        outln!(
            "  service {} {}: {} waiting ({} green channel), longest {longest}",
            s.code,
            s.name,
            s.waiting,
            s.priority_waiting
        );
    }
    for t in &v.rejoinable {
        outln!("  may rejoin: {}", t.number);
    }
    let avg = v
        .average_service_minutes
        .map_or("-".into(), |m| format!("{m:.1} min"));
    outln!("  served today {}, average {avg}", v.served_today);
    Ok(())
}
