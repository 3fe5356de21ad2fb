use super::QueueError;
use std::fmt;
use std::str::FromStr;

/// Every ticket is in exactly one of these states. A transfer is not a state: the ticket goes
/// back to `Waiting` in another service and keeps its arrival time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TicketState {
    Waiting,
    Called,
    NoShow,
    Completed,
    Expired,
}

impl TicketState {
    pub const ALL: [TicketState; 5] = [
        Self::Waiting,
        Self::Called,
        Self::NoShow,
        Self::Completed,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Called => "called",
            Self::NoShow => "no_show",
            Self::Completed => "completed",
            Self::Expired => "expired",
        }
    }

    /// Still part of today's queue (not finished one way or another).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Waiting | Self::Called | Self::NoShow)
    }
}

impl fmt::Display for TicketState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoShow => "a no-show",
            Self::Waiting => "waiting",
            Self::Called => "called",
            Self::Completed => "completed",
            Self::Expired => "expired",
        })
    }
}

impl FromStr for TicketState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("unknown ticket state '{s}'"))
    }
}

/// What can happen to a ticket. Recorded as the `event` of each transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Issue,
    Call,
    Recall,
    Skip,
    Rejoin,
    Transfer,
    Complete,
    Expire,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Issue => "issue",
            Self::Call => "call",
            Self::Recall => "recall",
            Self::Skip => "skip",
            Self::Rejoin => "rejoin",
            Self::Transfer => "transfer",
            Self::Complete => "complete",
            Self::Expire => "expire",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Issue,
            Self::Call,
            Self::Recall,
            Self::Skip,
            Self::Rejoin,
            Self::Transfer,
            Self::Complete,
            Self::Expire,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }

    fn verb(self) -> &'static str {
        match self {
            Self::Issue => "issued",
            Self::Call => "called",
            Self::Recall => "recalled",
            Self::Skip => "skipped",
            Self::Rejoin => "put back in the queue",
            Self::Transfer => "transferred",
            Self::Complete => "completed",
            Self::Expire => "expired",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Action {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| format!("'{s}' is not a queue event"))
    }
}

/// The state machine. Staff may call a no-show directly (the visitor came back to the counter);
/// a ticket can be transferred while waiting or while at a counter.
pub fn next_state(number: &str, from: TicketState, action: Action) -> Result<TicketState, QueueError> {
    use TicketState::*;
    let to = match (from, action) {
        (Waiting | NoShow, Action::Call) => Called,
        (Called, Action::Recall) => Called,
        (Called, Action::Skip) => NoShow,
        (NoShow, Action::Rejoin) => Waiting,
        (Waiting | Called, Action::Transfer) => Waiting,
        (Called, Action::Complete) => Completed,
        (Waiting | Called | NoShow, Action::Expire) => Expired,
        _ => {
            return Err(QueueError::InvalidTransition {
                number: number.to_owned(),
                state: from,
                verb: action.verb(),
            });
        }
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_tickets_accept_nothing() {
        let actions = [
            Action::Issue,
            Action::Call,
            Action::Recall,
            Action::Skip,
            Action::Rejoin,
            Action::Transfer,
            Action::Complete,
            Action::Expire,
        ];
        for from in [TicketState::Completed, TicketState::Expired] {
            for a in actions {
                assert!(next_state("A001", from, a).is_err(), "{from:?} {a:?}");
            }
        }
    }

    #[test]
    fn the_usual_paths() {
        use TicketState::*;
        assert_eq!(next_state("A1", Waiting, Action::Call), Ok(Called));
        assert_eq!(next_state("A1", Called, Action::Skip), Ok(NoShow));
        assert_eq!(next_state("A1", NoShow, Action::Rejoin), Ok(Waiting));
        assert_eq!(next_state("A1", Called, Action::Transfer), Ok(Waiting));
        assert_eq!(next_state("A1", Called, Action::Complete), Ok(Completed));
        let err = next_state("A001", Waiting, Action::Complete).unwrap_err();
        assert_eq!(err.to_string(), "ticket A001 is waiting and cannot be completed");
    }

    #[test]
    fn states_round_trip_through_text() {
        for s in TicketState::ALL {
            assert_eq!(s.as_str().parse::<TicketState>(), Ok(s));
        }
    }
}
