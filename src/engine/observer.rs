//! The engine reports what happens to an [`Observer`]; statistics live outside the engine.
//!
//! Calls are statically dispatched (the simulation is generic over the observer), so an
//! observer that ignores a hook costs nothing.

/// What an agent is doing. Every logged-in agent is in exactly one state at any time, so the
/// time in each state adds up to the logged-in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AgentState {
    /// Ready and waiting for work.
    #[default]
    Idle = 0,
    /// On a call (first call or status call).
    Talking = 1,
    /// After-call work.
    WrapUp = 2,
    /// Working a promised follow-up.
    FollowUp = 3,
    /// "Not ready" while nobody watches.
    Slack = 4,
    /// Writing a status report a manager asked for.
    Report = 5,
    /// Calling a customer back (dialling, and the talk if reached).
    Callback = 6,
    /// Unable to work (an outage).
    Away = 7,
    /// Not logged in: off shift, on a break or on leave. Not part of logged-in time.
    OffDuty = 8,
    /// Calling a customer on an outbound campaign's list (dialling, and the talk if reached).
    Outbound = 9,
}

impl AgentState {
    /// Number of states.
    pub const COUNT: usize = 10;

    /// Whether the state counts as busy for occupancy (work of any kind, reports included).
    pub fn is_busy(self) -> bool {
        !matches!(
            self,
            AgentState::Idle | AgentState::Slack | AgentState::Away | AgentState::OffDuty
        )
    }
}

/// How an outbound attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutboundOutcome {
    /// Nobody answered.
    #[default]
    Unreached,
    /// The customer said yes.
    Accepted,
    /// The customer said no, for the reason with this index.
    Declined(u8),
}

/// How an accepted callback ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackOutcome {
    /// An attempt reached the customer.
    Reached,
    /// The promised time passed and the customer called in again, cancelling the callback.
    CalledAgain,
    /// Every attempt went unanswered.
    Failed,
}

/// An accepted callback that has ended.
#[derive(Debug, Clone, Copy)]
pub struct CallbackEnd {
    /// Caller class.
    pub class: usize,
    /// Arrival of the case's first call.
    pub case_start: f64,
    /// When the customer accepted the callback.
    pub accepted: f64,
    /// The promised time.
    pub promised: f64,
    /// When it ended: for a reached customer, the moment they answered.
    pub ended: f64,
    /// Attempts made.
    pub attempts: u32,
    /// How it ended.
    pub outcome: CallbackOutcome,
}

/// A contact that has just been answered.
#[derive(Debug, Clone, Copy)]
pub struct AnsweredContact {
    /// Caller class.
    pub class: usize,
    /// When the contact rang.
    pub arrival: f64,
    /// When an agent answered.
    pub answered: f64,
    /// The agent who answered.
    pub agent: u32,
    /// Talk time ahead (after the agent's pace).
    pub talk_s: f64,
    /// Managers (bit per manager index) watching the agent as the talk starts.
    pub watchers: u64,
}

/// A follow-up that has just been resolved.
#[derive(Debug, Clone, Copy)]
pub struct FollowUpOutcome {
    /// Caller class of the case.
    pub class: usize,
    /// Arrival of the case's first call.
    pub first_arrival: f64,
    /// When the follow-up was promised (end of the first call).
    pub promised: f64,
    /// The promised deadline.
    pub deadline: f64,
    /// When the owner started the work.
    pub started: f64,
    /// When the customer heard the resolution.
    pub resolved: f64,
    /// The agent who owned and worked it.
    pub owner: u32,
    /// Managers (bit per manager index) watching the owner when the work started.
    pub watchers_at_start: u64,
    /// Managers watching the owner when the follow-up was promised: what they saw promised.
    pub watchers_at_promise: u64,
}

/// Receives the facts the engine produces, in time order.
#[allow(unused_variables)]
pub trait Observer {
    /// A contact of caller class `class` rings at `time` (first calls and status calls).
    fn contact_offered(&mut self, time: f64, class: usize) {}
    /// A contact is answered and its talk starts.
    fn contact_answered(&mut self, contact: &AnsweredContact) {}
    /// A contact that arrived at `arrival` hangs up while waiting at `time`.
    fn contact_abandoned(&mut self, arrival: f64, time: f64, class: usize) {}
    /// A contact arriving at `time` finds every line taken and hears a busy signal (it was
    /// reported as offered first).
    fn contact_blocked(&mut self, time: f64, class: usize) {}
    /// A customer waiting for a follow-up calls again at `time` (also reported as offered).
    fn status_call_offered(&mut self, time: f64, class: usize) {}
    /// A caller who hung up calls again at `time` (also reported as offered).
    fn redial_offered(&mut self, time: f64, class: usize) {}
    /// A customer whose promised callback time passed calls in at `time` (also reported as
    /// offered).
    fn repeat_call_offered(&mut self, time: f64, class: usize) {}
    /// A caller hangs up at once on hearing the announced wait (also reported as abandoned,
    /// with a wait of zero).
    fn contact_balked(&mut self, time: f64, class: usize) {}
    /// A caller who rang at `arrival` is offered a callback and takes it (`accepted`) or not.
    fn callback_offered(&mut self, arrival: f64, class: usize, accepted: bool) {}
    /// An accepted callback has ended.
    fn callback_ends(&mut self, end: &CallbackEnd) {}
    /// A promised follow-up has been resolved.
    fn follow_up_resolved(&mut self, outcome: &FollowUpOutcome) {}
    /// The open follow-up of a case opened at `first_arrival` is handed to a colleague or the
    /// pool at `time`, because its owner goes on leave.
    fn follow_up_handed_over(&mut self, time: f64, first_arrival: f64, class: usize) {}
    /// A contact that rang at `arrival` and reached a wrong department is transferred at
    /// `time` to the right one, where it waits again.
    fn contact_transferred(&mut self, time: f64, arrival: f64, class: usize) {}
    /// An outbound attempt that started at `started` ended at `time`: the customer was not
    /// reached, accepted, or declined for reason `declined` (an index into the scenario's
    /// reasons).
    fn outbound_attempt(&mut self, started: f64, time: f64, outcome: OutboundOutcome) {}
    /// The campaign's list still holds `customers` not yet settled when dialling stops.
    fn outbound_list_left(&mut self, customers: u32) {}
    /// The back office finished the step of a follow-up promised at `promised` (case opened at
    /// `first_arrival`) at `time`.
    fn back_office_done(&mut self, first_arrival: f64, class: usize, promised: f64, time: f64) {}
    /// The case opened by a first call at `first_arrival` is resolved at `time` after
    /// `contacts` contacts (first call, status calls and the follow-up itself).
    fn case_resolved(&mut self, first_arrival: f64, time: f64, class: usize, contacts: u32) {}
    /// The case's first call hung up, so the case ends unresolved (redials come later).
    fn case_abandoned(&mut self, first_arrival: f64, time: f64, class: usize) {}
    /// Agent `agent` moved from state `from` to state `to` at `time` (never called with
    /// `from == to`). Every agent starts [`AgentState::Idle`].
    fn agent_state_changes(&mut self, time: f64, agent: u32, from: AgentState, to: AgentState) {}
    /// Manager `manager` starts (`watching`) or stops watching agent `agent` at `time`.
    fn agent_watched(&mut self, time: f64, agent: u32, manager: usize, watching: bool) {}
    /// The number of agents watched by at least one manager changed to `observed` at `time`.
    fn agents_observed(&mut self, time: f64, observed: u32) {}
    /// The number of agents watched by manager `manager` changed to `watched` at `time`.
    fn agents_watched(&mut self, time: f64, manager: usize, watched: u32) {}
    /// The number of callers waiting changed to `waiting` at `time`.
    fn queue_length(&mut self, time: f64, waiting: u32) {}
    /// The last event has been processed at `time` (the run has drained).
    fn run_ends(&mut self, time: f64) {}
}

/// Ignores everything; useful for measuring the bare engine.
pub struct NullObserver;

impl Observer for NullObserver {}
