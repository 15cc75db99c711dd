//! The engine reports what happens to an [`Observer`]; statistics live outside the engine.
//!
//! Calls are statically dispatched (the simulation is generic over the observer), so an
//! observer that ignores a hook costs nothing.

use super::time::{SimDuration, SimTime};

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

/// A contact seen in a fact about it: its caller class and when it rang.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contact {
    /// Caller class.
    pub class: usize,
    /// When the contact rang (for a transferred contact, its first ring).
    pub arrival: SimTime,
}

/// A case (a customer's problem, from the first call to its resolution) seen in a fact about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Case {
    /// Caller class.
    pub class: usize,
    /// Arrival of the case's first call.
    pub first_arrival: SimTime,
}

/// An accepted callback that has ended.
#[derive(Debug, Clone, Copy)]
pub struct CallbackEnd {
    /// Caller class.
    pub class: usize,
    /// Arrival of the case's first call.
    pub case_start: SimTime,
    /// When the customer accepted the callback.
    pub accepted: SimTime,
    /// The promised time.
    pub promised: SimTime,
    /// When it ended: for a reached customer, the moment they answered.
    pub ended: SimTime,
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
    pub arrival: SimTime,
    /// When an agent answered.
    pub answered: SimTime,
    /// The agent who answered.
    pub agent: u32,
    /// Talk time ahead (after the agent's pace).
    pub talk: SimDuration,
    /// Managers (bit per manager index) watching the agent as the talk starts.
    pub watchers: u64,
}

/// A follow-up that has just been resolved.
#[derive(Debug, Clone, Copy)]
pub struct FollowUpOutcome {
    /// Caller class of the case.
    pub class: usize,
    /// Arrival of the case's first call.
    pub first_arrival: SimTime,
    /// When the follow-up was promised (end of the first call).
    pub promised: SimTime,
    /// The promised deadline.
    pub deadline: SimTime,
    /// When the owner started the work.
    pub started: SimTime,
    /// When the customer heard the resolution.
    pub resolved: SimTime,
    /// The agent who owned and worked it.
    pub owner: u32,
    /// Managers (bit per manager index) watching the owner when the work started.
    pub watchers_at_start: u64,
    /// Managers watching the owner when the follow-up was promised: what they saw promised.
    pub watchers_at_promise: u64,
}

/// An outbound attempt that has just ended.
#[derive(Debug, Clone, Copy)]
pub struct OutboundAttempt {
    /// When the agent started dialling.
    pub started: SimTime,
    /// How it ended.
    pub outcome: OutboundOutcome,
}

/// A back-office step that has just been finished.
#[derive(Debug, Clone, Copy)]
pub struct BackOfficeStep {
    /// The case it belongs to.
    pub case: Case,
    /// When the follow-up was promised (end of the first call).
    pub promised: SimTime,
}

/// Receives the facts the engine produces, in time order.
///
/// One order everywhere: a hook's first argument is `now`, the moment of the fact. Any earlier
/// instant a fact carries (an arrival, a promise) is a named field of a struct, never a second
/// positional [`SimTime`], so the two cannot be swapped at a call site.
#[allow(unused_variables)]
pub trait Observer {
    /// A contact of caller class `class` rings (first calls and status calls).
    fn contact_offered(&mut self, now: SimTime, class: usize) {}
    /// A contact is answered and its talk starts (at `contact.answered`).
    fn contact_answered(&mut self, contact: &AnsweredContact) {}
    /// A waiting contact hangs up.
    fn contact_abandoned(&mut self, now: SimTime, contact: Contact) {}
    /// A contact finds every line taken and hears a busy signal (it was reported as offered
    /// first).
    fn contact_blocked(&mut self, now: SimTime, class: usize) {}
    /// A customer waiting for a follow-up calls again (also reported as offered).
    fn status_call_offered(&mut self, now: SimTime, class: usize) {}
    /// A caller who hung up calls again (also reported as offered).
    fn redial_offered(&mut self, now: SimTime, class: usize) {}
    /// A customer whose promised callback time passed calls in (also reported as offered).
    fn repeat_call_offered(&mut self, now: SimTime, class: usize) {}
    /// A caller hangs up at once on hearing the announced wait (also reported as abandoned,
    /// with a wait of zero).
    fn contact_balked(&mut self, now: SimTime, class: usize) {}
    /// A contact is offered a callback and takes it (`accepted`) or not.
    fn callback_offered(&mut self, now: SimTime, contact: Contact, accepted: bool) {}
    /// An accepted callback has ended (at `end.ended`).
    fn callback_ends(&mut self, end: &CallbackEnd) {}
    /// A promised follow-up has been resolved (at `outcome.resolved`).
    fn follow_up_resolved(&mut self, outcome: &FollowUpOutcome) {}
    /// A case's open follow-up is handed to a colleague or the pool, because its owner goes
    /// on leave.
    fn follow_up_handed_over(&mut self, now: SimTime, case: Case) {}
    /// A contact that reached a wrong department is transferred to the right one, where it
    /// waits again.
    fn contact_transferred(&mut self, now: SimTime, contact: Contact) {}
    /// An outbound attempt ended: the customer was not reached, accepted, or declined for a
    /// reason (an index into the scenario's reasons).
    fn outbound_attempt(&mut self, now: SimTime, attempt: &OutboundAttempt) {}
    /// The campaign's list still holds `customers` not yet settled when dialling stops.
    fn outbound_list_left(&mut self, customers: u32) {}
    /// The back office finished its step of a follow-up.
    fn back_office_done(&mut self, now: SimTime, step: &BackOfficeStep) {}
    /// A case is resolved after `contacts` contacts (first call, status calls and the
    /// follow-up itself).
    fn case_resolved(&mut self, now: SimTime, case: Case, contacts: u32) {}
    /// The case's first call hung up, so the case ends unresolved (redials come later).
    fn case_abandoned(&mut self, now: SimTime, case: Case) {}
    /// Agent `agent` moved from state `from` to state `to` (never called with `from == to`).
    /// Every agent starts [`AgentState::Idle`].
    fn agent_state_changes(&mut self, now: SimTime, agent: u32, from: AgentState, to: AgentState) {}
    /// With departments, right after [`Observer::agent_state_changes`], the same change told
    /// for the agent's skill group (numbered as the report's skill groups are), so that an
    /// observer that counts by group keeps no map of every agent to its group: on a floor of
    /// 10,000 agents such a map misses the cache on most calls.
    fn skill_group_state_changes(
        &mut self,
        now: SimTime,
        group: u32,
        from: AgentState,
        to: AgentState,
    ) {
    }
    /// Manager `manager` starts (`watching`) or stops watching agent `agent`.
    fn agent_watched(&mut self, now: SimTime, agent: u32, manager: usize, watching: bool) {}
    /// The number of agents watched by at least one manager changed to `observed`.
    fn agents_observed(&mut self, now: SimTime, observed: u32) {}
    /// The number of agents watched by manager `manager` changed to `watched`.
    fn agents_watched(&mut self, now: SimTime, manager: usize, watched: u32) {}
    /// The number of callers waiting changed to `waiting`.
    fn queue_length(&mut self, now: SimTime, waiting: u32) {}
    /// The last event has been processed (the run has drained).
    fn run_ends(&mut self, now: SimTime) {}
}

/// Ignores everything; useful for measuring the bare engine.
pub struct NullObserver;

impl Observer for NullObserver {}
