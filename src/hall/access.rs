//! Who may do what over the hall API. A terminal's role and counters are the host's record of
//! its enrolment (looked up by its certificate on every request, so a revocation or a change
//! takes effect at once), never something the terminal claims.

use serde::{Deserialize, Serialize};

/// The roles a terminal can be enrolled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TerminalRole {
    /// Issues tickets and reads the queue.
    SecondaryKiosk,
    /// Operates the counters it was enrolled for and reads the queue.
    Counter,
    /// Reads the queue and its events (the calling display).
    Display,
    /// Reads `/metrics` only (Prometheus).
    Monitor,
    /// The visitor-facing rating screen at the counters it was enrolled for: reads the queue
    /// and keeps ratings.
    Evaluator,
}

impl TerminalRole {
    pub const ALL: [TerminalRole; 5] = [
        Self::SecondaryKiosk,
        Self::Counter,
        Self::Display,
        Self::Monitor,
        Self::Evaluator,
    ];

    /// The word in the database and the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SecondaryKiosk => "secondary_kiosk",
            Self::Counter => "counter",
            Self::Display => "display",
            Self::Monitor => "monitor",
            Self::Evaluator => "evaluator",
        }
    }

    /// Accepts the stored word and the command line's (`secondary-kiosk`).
    pub fn parse(text: &str) -> Option<Self> {
        let word = text.replace('-', "_");
        Self::ALL.into_iter().find(|r| r.as_str() == word)
    }

    /// The terminal configuration's role for a terminal enrolled with this one (none for a
    /// monitor, which is not a kiosk program).
    pub fn terminal_role(self) -> Option<crate::config::Role> {
        use crate::config::Role;
        match self {
            Self::SecondaryKiosk => Some(Role::SecondaryKiosk),
            Self::Counter => Some(Role::Counter),
            Self::Display => Some(Role::Display),
            Self::Evaluator => Some(Role::Evaluator),
            Self::Monitor => None,
        }
    }
}

/// What a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Read the queue, a ticket, the statistics, the events.
    Read,
    /// Issue a ticket.
    Issue,
    /// Operate this counter (call, recall, skip, complete, pause, transfer from it).
    Operate(u32),
    /// Operate on a ticket by number (rejoin, transfer a waiting ticket): any counter may.
    OperateAnyTicket,
    /// Keep a visitor's rating (a rating screen, for its own counters' visits).
    Rate,
    /// Read the metrics.
    Metrics,
}

/// The terminal making a request, as the host knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolled {
    pub terminal_id: String,
    pub role: TerminalRole,
    pub counters: Vec<u32>,
}

impl Enrolled {
    /// None when allowed, else why not (for the 403's message).
    pub fn refusal(&self, want: Want) -> Option<String> {
        use TerminalRole::*;
        let allowed = match (self.role, want) {
            (Monitor, Want::Metrics) => true,
            (Monitor, _) | (_, Want::Metrics) => false,
            (_, Want::Read) => true,
            (SecondaryKiosk, Want::Issue) => true,
            (Counter, Want::Operate(counter)) => self.counters.contains(&counter),
            (Counter, Want::OperateAnyTicket) => true,
            (Evaluator, Want::Rate) => true,
            _ => false,
        };
        if allowed {
            return None;
        }
        let role = self.role.as_str();
        Some(match want {
            Want::Operate(counter) if self.role == Counter => format!(
                "terminal {} is enrolled for counter(s) {} only, not counter {counter}",
                self.terminal_id,
                list(&self.counters)
            ),
            Want::Read => format!("a {role} terminal only reads the metrics"),
            Want::Metrics => format!(
                "the metrics are for a monitor; terminal {} is a {role}",
                self.terminal_id
            ),
            Want::Issue => format!("a {role} terminal does not issue tickets"),
            Want::Rate => format!(
                "a {role} terminal does not take visitors' ratings: the rating screen facing the \
                 visitor does, and a paper form is entered on the hall host (`kiosk queue rate`)"
            ),
            Want::Operate(_) | Want::OperateAnyTicket => {
                format!("a {role} terminal does not operate counters")
            }
        })
    }
}

/// Counter ids as stored and shown: `1,2`.
pub fn list(counters: &[u32]) -> String {
    counters.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

/// The stored form back; bad entries are dropped (the host wrote them).
pub fn parse_list(text: &str) -> Vec<u32> {
    text.split(',').filter_map(|c| c.trim().parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: TerminalRole, counters: &[u32]) -> Enrolled {
        Enrolled {
            terminal_id: "t".into(),
            role,
            counters: counters.to_vec(),
        }
    }

    #[test]
    fn each_role_may_do_its_own_work_only() {
        let counter = caller(TerminalRole::Counter, &[1, 2]);
        assert_eq!(counter.refusal(Want::Operate(2)), None);
        assert!(
            counter
                .refusal(Want::Operate(3))
                .unwrap()
                .contains("counter(s) 1,2 only")
        );
        assert_eq!(counter.refusal(Want::Read), None);
        assert!(counter.refusal(Want::Issue).is_some());
        assert!(counter.refusal(Want::Metrics).is_some());

        let kiosk = caller(TerminalRole::SecondaryKiosk, &[]);
        assert_eq!(kiosk.refusal(Want::Issue), None);
        assert!(kiosk.refusal(Want::Operate(1)).is_some());
        assert!(kiosk.refusal(Want::OperateAnyTicket).is_some());

        let display = caller(TerminalRole::Display, &[]);
        assert_eq!(display.refusal(Want::Read), None);
        assert!(display.refusal(Want::Issue).is_some());

        let evaluator = caller(TerminalRole::Evaluator, &[3]);
        assert_eq!(evaluator.refusal(Want::Rate), None);
        assert_eq!(evaluator.refusal(Want::Read), None);
        assert!(evaluator.refusal(Want::Operate(3)).is_some());
        assert!(display.refusal(Want::Rate).is_some());
        // Staff cannot rate their own visits: only the screen facing the visitor does.
        assert!(counter.refusal(Want::Rate).is_some());

        let monitor = caller(TerminalRole::Monitor, &[]);
        assert_eq!(monitor.refusal(Want::Metrics), None);
        assert!(monitor.refusal(Want::Read).is_some());
    }

    #[test]
    fn roles_read_from_the_command_line_and_the_database() {
        assert_eq!(
            TerminalRole::parse("secondary-kiosk"),
            Some(TerminalRole::SecondaryKiosk)
        );
        assert_eq!(TerminalRole::parse("monitor"), Some(TerminalRole::Monitor));
        assert_eq!(TerminalRole::parse("hall_host"), None);
        assert_eq!(parse_list(&list(&[1, 12])), vec![1, 12]);
    }
}
