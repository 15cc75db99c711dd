//! The floor: how agents behave when nobody watches, the follow-ups they promise, and the
//! managers who watch them (DESIGN.md section 2: Agents, Follow-ups, Managers).

use crate::dist::DurationDist;

/// "Who pays your salary?": the answer decides how an agent behaves when unobserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// "My customer."
    Customer = 0,
    /// "Not sure."
    Unsure = 1,
    /// "My boss."
    Boss = 2,
}

impl Orientation {
    /// Every orientation, in index order.
    pub const ALL: [Orientation; 3] = [
        Orientation::Customer,
        Orientation::Unsure,
        Orientation::Boss,
    ];

    /// The scenario key.
    pub fn key(self) -> &'static str {
        match self {
            Orientation::Customer => "customer",
            Orientation::Unsure => "unsure",
            Orientation::Boss => "boss",
        }
    }
}

/// Default orientation weights: the survey of 77 front-line staff (64 "my boss", 6 "not sure",
/// 5 "my customer"; two gave no usable answer), in [`Orientation::ALL`] order.
pub const SURVEY_ORIENTATION_WEIGHTS: [f64; 3] = [5.0, 6.0, 64.0];

/// How agents of one orientation behave. Unobserved behaviour is off by default.
#[derive(Debug, Clone)]
pub struct Behaviour {
    /// Unobserved: "not ready" time after each call or follow-up, while callers may wait.
    pub slack: Option<DurationDist>,
    /// Unobserved: delay before a promised follow-up may be started.
    pub procrastination: Option<DurationDist>,
    /// Unobserved: work (talk, after-call work, follow-ups) takes this many times as long.
    pub pace: f64,
    /// Observed: the same factor while a manager watches.
    pub observed_pace: f64,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            slack: None,
            procrastination: None,
            pace: 1.0,
            observed_pace: 1.0,
        }
    }
}

impl Behaviour {
    /// Whether the agent behaves any differently when watched.
    pub fn reacts_to_observation(&self) -> bool {
        self.slack.is_some() || self.procrastination.is_some() || self.pace != self.observed_pace
    }
}

/// Which work an agent picks when free and both a caller and a due follow-up wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FollowUpPolicy {
    /// Callers first; follow-ups only when nobody waits.
    #[default]
    InboundFirst,
    /// A follow-up past its promised deadline goes before waiting callers.
    OverdueFirst,
}

/// What happens after a call that does not resolve the customer's issue.
#[derive(Debug, Clone)]
pub struct FollowUpSpec {
    /// Promised time from the end of the call to the resolution.
    pub promise_s: f64,
    /// Agent work to resolve the case (research plus the call back).
    pub work: DurationDist,
    /// How long the customer tolerates silence before calling again; `None`: never calls.
    pub tolerance: Option<DurationDist>,
    /// Talk time of a status call ("where is my case?"), which resolves nothing.
    pub status_call: DurationDist,
    /// A back-office step some of these follow-ups need before the agent can resolve them.
    pub back_office: Option<BackOfficeStep>,
}

/// A step of a follow-up done by the back office, whom the customer never meets.
#[derive(Debug, Clone)]
pub struct BackOfficeStep {
    /// Chance (0..=1) that a follow-up needs it.
    pub probability: f64,
    /// Back-office work per step.
    pub work: DurationDist,
}

/// The back office: a small team with its own queue and working hours, never on the phones.
#[derive(Debug, Clone, PartialEq)]
pub struct BackOffice {
    /// Back-office staff.
    pub count: u32,
    /// Daily working hours (seconds from midnight; the end may pass 24 h); `None`: always.
    pub hours: Option<(f64, f64)>,
}

/// A manager's way of working.
#[derive(Debug, Clone)]
pub enum ManagerStyle {
    /// Alternates between the office and visits to the floor.
    Walker {
        /// Time in the office between visits.
        office: DurationDist,
        /// Length of one visit.
        visit: DurationDist,
        /// Agents watched per visit (drawn at random); `None`: all.
        watches: Option<u32>,
        /// Chance that a watched agent is asked for a status report.
        report_probability: f64,
        /// Time a status report takes the agent off the phones.
        report_time: DurationDist,
    },
    /// Sits with a team and watches it continuously (except while on a call).
    Alongside {
        /// Agents in the team; `None`: every agent.
        team: Option<u32>,
        /// Factor (0..=1) on the team's slack and procrastination while unobserved.
        morale: f64,
        /// Whether the manager takes calls as an extra agent (not watching meanwhile).
        takes_calls: bool,
    },
    /// Stays in the office and reads the dashboard; never observes.
    Office,
    /// Roams the floor all day: stands beside one agent drawn at random (among those on duty)
    /// for a visit, then beside the next one drawn, and never goes back to the office.
    Random {
        /// Length of one visit.
        visit: DurationDist,
    },
}

impl ManagerStyle {
    /// The scenario key of the style.
    pub fn key(&self) -> &'static str {
        match self {
            ManagerStyle::Walker { .. } => "walker",
            ManagerStyle::Alongside { .. } => "alongside",
            ManagerStyle::Office => "office",
            ManagerStyle::Random { .. } => "random",
        }
    }

    /// Whether a manager of this style ever watches an agent (the table then shows the
    /// observed KPIs). Each style answers for itself, so a new style cannot be forgotten.
    pub fn observes(&self) -> bool {
        match self {
            ManagerStyle::Walker { .. }
            | ManagerStyle::Alongside { .. }
            | ManagerStyle::Random { .. } => true,
            ManagerStyle::Office => false,
        }
    }
}

/// One manager.
#[derive(Debug, Clone)]
pub struct Manager {
    /// Name used in reports.
    pub name: String,
    /// How the manager works.
    pub style: ManagerStyle,
}

/// Largest number of managers per scenario (observation is tracked in a 64-bit mask).
pub const MAX_MANAGERS: usize = 64;

/// Everything about the floor beyond the bare queue.
#[derive(Debug, Clone)]
pub struct Floor {
    /// Orientation shares in [`Orientation::ALL`] order, summing to 1.
    pub orientation_shares: [f64; 3],
    /// Behaviour per orientation, in [`Orientation::ALL`] order.
    pub behaviour: [Behaviour; 3],
    /// Work order between callers and overdue follow-ups.
    pub follow_up_policy: FollowUpPolicy,
    /// The managers, in scenario order.
    pub managers: Vec<Manager>,
}

impl Default for Floor {
    fn default() -> Self {
        let total: f64 = SURVEY_ORIENTATION_WEIGHTS.iter().sum();
        Self {
            orientation_shares: SURVEY_ORIENTATION_WEIGHTS.map(|w| w / total),
            behaviour: Default::default(),
            follow_up_policy: FollowUpPolicy::default(),
            managers: Vec::new(),
        }
    }
}

impl Floor {
    /// Managers who take calls add one agent each to the pool.
    pub fn call_taking_managers(&self) -> u32 {
        self.managers
            .iter()
            .filter(|m| {
                matches!(
                    m.style,
                    ManagerStyle::Alongside {
                        takes_calls: true,
                        ..
                    }
                )
            })
            .count() as u32
    }

    /// Whether any agent can slack: an orientation with a positive share has slack.
    pub fn slack_possible(&self) -> bool {
        self.orientation_shares
            .iter()
            .zip(&self.behaviour)
            .any(|(s, b)| *s > 0.0 && b.slack.is_some())
    }

    /// Whether any walker asks for status reports.
    pub fn asks_for_reports(&self) -> bool {
        self.managers.iter().any(|m| {
            matches!(m.style, ManagerStyle::Walker { report_probability, .. } if report_probability > 0.0)
        })
    }

    /// Whether any orientation with a positive share behaves differently when watched.
    pub fn has_behaviour(&self) -> bool {
        self.orientation_shares
            .iter()
            .zip(&self.behaviour)
            .any(|(s, b)| *s > 0.0 && b.reacts_to_observation())
    }
}
