//! One replication, event by event, for small runs: the rows of `--trace` and the agent
//! timeline chart. A debugging and teaching aid; statistics never depend on it.

use crate::engine::{
    AgentState, AnsweredContact, CallbackEnd, Case, Contact, FollowUpOutcome, Observer,
    OutboundAttempt, OutboundOutcome, SimTime, Simulation,
};
use crate::model::Scenario;

/// Most rows a trace keeps; a replication with more is too big to read as a trace.
pub const MAX_TRACE_ROWS: usize = 200_000;

/// One traced happening.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceRow {
    /// Simulated time in seconds.
    pub time: f64,
    /// What happened, e.g. `offered`, `answered`, `agent_state`, `watch_starts`.
    pub event: &'static str,
    /// Caller class index, where a caller is involved.
    pub class: Option<usize>,
    /// Arrival time of the contact (identifies the caller), where a caller is involved.
    pub caller_arrival: Option<f64>,
    /// Agent index, where an agent is involved.
    pub agent: Option<u32>,
    /// Manager index, where a manager is involved.
    pub manager: Option<usize>,
    /// Anything else: the new agent state, a wait, a response time.
    pub detail: String,
}

/// A stretch of one agent's time in one state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// Agent index.
    pub agent: u32,
    /// Start and end in seconds.
    pub span: (f64, f64),
    /// What the agent was doing.
    pub state: AgentState,
}

/// A stretch of time during which a manager watched an agent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Watch {
    /// Agent index.
    pub agent: u32,
    /// Manager index.
    pub manager: usize,
    /// Start and end in seconds.
    pub span: (f64, f64),
}

/// Everything traced from one replication.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// Caller class names, for the rows.
    pub classes: Vec<String>,
    /// Manager names, for the rows.
    pub managers: Vec<String>,
    /// Agents (managers who take calls included).
    pub agents: u32,
    /// The rows, in time order.
    pub rows: Vec<TraceRow>,
    /// Every agent's time, state by state.
    pub segments: Vec<Segment>,
    /// Every stretch of being watched.
    pub watches: Vec<Watch>,
    /// When the replication ended (after the drain).
    pub end: f64,
    /// The scenario's clock, for labels.
    pub clock: crate::model::Clock,
}

/// Most events a traced replication may take: far more than any replication whose rows fit
/// in [`MAX_TRACE_ROWS`] needs (each row is one or two events, a stale patience timer one
/// more), so a replication too long to trace is stopped early instead of run to its end.
pub const MAX_TRACE_EVENTS: u64 = 50 * MAX_TRACE_ROWS as u64;

/// The trace was cut off at [`MAX_TRACE_ROWS`] rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceTooLong;

#[derive(Default)]
struct Recorder {
    trace: Trace,
    state: Vec<(AgentState, f64)>,
    watched_since: Vec<Vec<Option<f64>>>,
    overflow: bool,
    /// Why outbound customers decline, by index.
    decline_reasons: Vec<String>,
}

impl Recorder {
    fn row(&mut self, row: TraceRow) {
        if self.trace.rows.len() >= MAX_TRACE_ROWS {
            self.overflow = true;
        } else {
            self.trace.rows.push(row);
        }
    }

    fn caller(
        &mut self,
        time: f64,
        event: &'static str,
        class: usize,
        arrival: f64,
        detail: String,
    ) {
        self.row(TraceRow {
            time,
            event,
            class: Some(class),
            caller_arrival: Some(arrival),
            agent: None,
            manager: None,
            detail,
        });
    }
}

impl Observer for Recorder {
    fn contact_offered(&mut self, now: SimTime, class: usize) {
        let time = now.secs();
        self.caller(time, "offered", class, time, String::new());
    }
    fn contact_answered(&mut self, c: &AnsweredContact) {
        self.row(TraceRow {
            time: c.answered.secs(),
            event: "answered",
            class: Some(c.class),
            caller_arrival: Some(c.arrival.secs()),
            agent: Some(c.agent),
            manager: None,
            detail: format!(
                "wait {:.1} s, talk {:.1} s",
                (c.answered - c.arrival).secs(),
                c.talk.secs()
            ),
        });
    }
    fn contact_abandoned(&mut self, now: SimTime, c: Contact) {
        self.caller(
            now.secs(),
            "abandoned",
            c.class,
            c.arrival.secs(),
            format!("waited {:.1} s", (now - c.arrival).secs()),
        );
    }
    fn contact_blocked(&mut self, now: SimTime, class: usize) {
        let time = now.secs();
        self.caller(time, "blocked", class, time, "every line taken".into());
    }
    fn contact_balked(&mut self, now: SimTime, class: usize) {
        let time = now.secs();
        self.caller(time, "balked", class, time, String::new());
    }
    fn redial_offered(&mut self, now: SimTime, class: usize) {
        let time = now.secs();
        self.caller(time, "redial", class, time, String::new());
    }
    fn status_call_offered(&mut self, now: SimTime, class: usize) {
        let time = now.secs();
        self.caller(time, "status_call", class, time, String::new());
    }
    fn repeat_call_offered(&mut self, now: SimTime, class: usize) {
        let time = now.secs();
        self.caller(time, "repeat_call", class, time, String::new());
    }
    fn callback_offered(&mut self, now: SimTime, c: Contact, accepted: bool) {
        let event = if accepted {
            "callback_accepted"
        } else {
            "callback_declined"
        };
        self.caller(now.secs(), event, c.class, c.arrival.secs(), String::new());
    }
    fn callback_ends(&mut self, e: &CallbackEnd) {
        self.caller(
            e.ended.secs(),
            "callback_ends",
            e.class,
            e.accepted.secs(),
            format!("{:?} after {} attempt(s)", e.outcome, e.attempts),
        );
    }
    fn follow_up_resolved(&mut self, o: &FollowUpOutcome) {
        self.row(TraceRow {
            time: o.resolved.secs(),
            event: "follow_up_resolved",
            class: Some(o.class),
            caller_arrival: Some(o.first_arrival.secs()),
            agent: Some(o.owner),
            manager: None,
            detail: format!(
                "response {:.1} s, started {}",
                (o.resolved - o.promised).secs(),
                if o.watchers_at_start == 0 {
                    "unwatched"
                } else {
                    "watched"
                }
            ),
        });
    }
    fn case_resolved(&mut self, now: SimTime, case: Case, contacts: u32) {
        self.caller(
            now.secs(),
            "case_resolved",
            case.class,
            case.first_arrival.secs(),
            format!("{contacts} contact(s)"),
        );
    }
    fn contact_transferred(&mut self, now: SimTime, c: Contact) {
        let (class, arrival) = (c.class, c.arrival.secs());
        self.caller(now.secs(), "transferred", class, arrival, String::new());
    }
    fn outbound_attempt(&mut self, now: SimTime, attempt: &OutboundAttempt) {
        let detail = match attempt.outcome {
            OutboundOutcome::Unreached => "unreached".to_string(),
            OutboundOutcome::Accepted => "accepted".to_string(),
            OutboundOutcome::Declined(r) => format!(
                "declined: {}",
                self.decline_reasons
                    .get(usize::from(r))
                    .map_or("?", String::as_str)
            ),
        };
        let started = attempt.started.secs();
        self.row(TraceRow {
            time: now.secs(),
            event: "outbound_attempt",
            class: None,
            caller_arrival: None,
            agent: None,
            manager: None,
            detail: format!("{detail}, started at {started:.1} s"),
        });
    }
    fn case_abandoned(&mut self, now: SimTime, case: Case) {
        let (class, first_arrival) = (case.class, case.first_arrival.secs());
        self.caller(now.secs(), "case_lost", class, first_arrival, String::new());
    }
    fn agent_state_changes(&mut self, now: SimTime, agent: u32, from: AgentState, to: AgentState) {
        let time = now.secs();
        let (_, since) = self.state[agent as usize];
        if time > since {
            self.trace.segments.push(Segment {
                agent,
                span: (since, time),
                state: from,
            });
        }
        self.state[agent as usize] = (to, time);
        self.row(TraceRow {
            time,
            event: "agent_state",
            class: None,
            caller_arrival: None,
            agent: Some(agent),
            manager: None,
            detail: format!("{from:?} -> {to:?}"),
        });
    }
    fn agent_watched(&mut self, now: SimTime, agent: u32, manager: usize, watching: bool) {
        let time = now.secs();
        let slot = &mut self.watched_since[manager][agent as usize];
        if watching {
            *slot = Some(time);
        } else if let Some(since) = slot.take() {
            self.trace.watches.push(Watch {
                agent,
                manager,
                span: (since, time),
            });
        }
        self.row(TraceRow {
            time,
            event: if watching {
                "watch_starts"
            } else {
                "watch_ends"
            },
            class: None,
            caller_arrival: None,
            agent: Some(agent),
            manager: Some(manager),
            detail: String::new(),
        });
    }
    fn run_ends(&mut self, now: SimTime) {
        let time = now.secs();
        self.trace.end = time;
        for (agent, (state, since)) in self.state.iter().enumerate() {
            if time > *since {
                self.trace.segments.push(Segment {
                    agent: agent as u32,
                    span: (*since, time),
                    state: *state,
                });
            }
        }
        for (manager, agents) in self.watched_since.iter().enumerate() {
            for (agent, since) in agents.iter().enumerate() {
                if let Some(since) = since {
                    self.trace.watches.push(Watch {
                        agent: agent as u32,
                        manager,
                        span: (*since, time),
                    });
                }
            }
        }
    }
}

/// Traces replication `replication` of `scenario` under `seed`.
pub fn trace(scenario: &Scenario, seed: u64, replication: u64) -> Result<Trace, TraceTooLong> {
    let agents = scenario.agents.count + scenario.floor.call_taking_managers();
    let mut recorder = Recorder {
        trace: Trace {
            classes: scenario.callers.iter().map(|c| c.name.clone()).collect(),
            managers: scenario
                .floor
                .managers
                .iter()
                .map(|m| m.name.clone())
                .collect(),
            agents,
            clock: scenario.clock(),
            ..Trace::default()
        },
        state: vec![(AgentState::Idle, 0.0); agents as usize],
        watched_since: vec![vec![None; agents as usize]; scenario.floor.managers.len()],
        overflow: false,
        decline_reasons: scenario
            .outbound
            .as_ref()
            .map(|o| o.declines.iter().map(|d| d.0.clone()).collect())
            .unwrap_or_default(),
    };
    // A stalled run has far more events than a trace may hold: it is too long to trace.
    let mut sim = Simulation::new(scenario);
    sim.set_event_budget(MAX_TRACE_EVENTS);
    let stalled = sim.run(seed, replication, &mut recorder).is_err();
    if recorder.overflow || stalled {
        return Err(TraceTooLong);
    }
    Ok(recorder.trace)
}
