//! What can happen in the simulation. Events are small and `Copy`; entities are indices.

/// Index of a caller slot (slots are reused; see [`Event::CallerAbandons`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CallerId(pub u32);

/// Index of an agent. Managers who take calls are agents too, numbered after the regular ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AgentId(pub u32);

/// Index of a follow-up slot (slots are reused, with generations like callers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FollowUpId(pub u32);

/// A scheduled happening.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// The next caller of the arrival stream rings.
    CallArrives,
    /// A waiting caller's patience runs out. Stale when the slot's generation has moved on
    /// (the caller was answered or the slot reused): cancelled lazily, without searching the heap.
    CallerAbandons {
        /// The caller slot.
        caller: CallerId,
        /// Slot generation when the timer was set.
        generation: u32,
    },
    /// An agent finishes talking; after-call work follows if any.
    ServiceEnds {
        /// The agent.
        agent: AgentId,
    },
    /// An agent finishes after-call work and is ready for the next call.
    WrapUpEnds {
        /// The agent.
        agent: AgentId,
    },
    /// An agent finishes the work of a follow-up: the customer hears the resolution.
    FollowUpEnds {
        /// The agent.
        agent: AgentId,
    },
    /// An agent finishes a status report for a manager.
    ReportEnds {
        /// The agent.
        agent: AgentId,
    },
    /// An agent's unobserved slack runs out. Stale when a manager ended it earlier.
    SlackEnds {
        /// The agent.
        agent: AgentId,
        /// The agent's slack epoch when the timer was set.
        epoch: u32,
    },
    /// A procrastinated follow-up of this agent may now be started.
    FollowUpDue {
        /// The owner.
        agent: AgentId,
    },
    /// A walking manager leaves the office for the floor, or goes back.
    ManagerMoves {
        /// Manager index in scenario order.
        manager: u32,
    },
    /// A caller who hung up calls again.
    RedialDue {
        /// The caller slot, kept while they wait to redial.
        caller: CallerId,
        /// Its generation when the redial was planned.
        generation: u32,
    },
    /// An unanswered callback may be tried again.
    CallbackDue {
        /// The callback's slot.
        caller: CallerId,
        /// Its generation (stale once the callback has ended).
        generation: u32,
    },
    /// A callback attempt went unanswered; the agent is free again.
    CallbackAttemptFails {
        /// The agent who dialled.
        agent: AgentId,
    },
    /// A callback's promised time passes; the customer may call in again.
    CallbackPromiseExpires {
        /// The callback's slot.
        caller: CallerId,
        /// Its generation (stale once the callback has ended).
        generation: u32,
    },
    /// An outage begins (`starts`) or ends.
    Outage {
        /// Whether it begins.
        starts: bool,
    },
    /// A shift's agents log in or out.
    DutyChange {
        /// Index in the day's timetable of log-ins and log-outs.
        entry: u32,
    },
    /// The staffing plan's next interval starts: agents log in or out to its count.
    PlanChange {
        /// Index of the step in the plan's day.
        step: u32,
    },
    /// An outbound attempt ends.
    OutboundEnds {
        /// The agent who dialled.
        agent: AgentId,
    },
    /// Outbound dialling may begin.
    OutboundOpens,
    /// Outbound dialling stops (the horizon).
    OutboundCloses,
    /// An unreached outbound customer is due for another attempt.
    OutboundRetry {
        /// Index on the list.
        customer: u32,
    },
    /// A back-office worker finishes a step.
    BackOfficeDone {
        /// The worker.
        worker: u32,
    },
    /// The back office's working hours begin or end.
    BackOfficeHours {
        /// Whether they begin.
        open: bool,
    },
    /// An agent's leave starts or ends.
    Absence {
        /// Index of the absence in the scenario.
        index: u32,
        /// Whether it starts.
        starts: bool,
    },
    /// A customer waiting for a follow-up has run out of tolerance and calls again.
    StatusCallDue {
        /// The follow-up.
        follow_up: FollowUpId,
        /// Its tolerance epoch when the timer was set (stale after a restart or resolution).
        epoch: u32,
    },
}

impl Event {
    /// The scenario keys whose durations schedule this event, for the message of a stall.
    pub fn keys_hint(&self) -> &'static str {
        match self {
            Event::CallArrives => "arrivals.rate or arrivals.profile",
            Event::CallerAbandons { .. } => "callers[].patience",
            Event::ServiceEnds { .. } | Event::WrapUpEnds { .. } => {
                "callers[].handle_time and callers[].after_call_work"
            }
            Event::FollowUpEnds { .. } | Event::FollowUpDue { .. } => {
                "callers[].follow_up.work and agents.behaviour.*.procrastination"
            }
            Event::ReportEnds { .. } => "managers[].report_time",
            Event::SlackEnds { .. } => "agents.behaviour.*.slack",
            Event::ManagerMoves { .. } => "managers[].office and managers[].visit",
            Event::StatusCallDue { .. } => {
                "callers[].follow_up.tolerance and callers[].follow_up.status_call"
            }
            Event::RedialDue { .. } => "callers[].redial.delay",
            Event::CallbackDue { .. }
            | Event::CallbackAttemptFails { .. }
            | Event::CallbackPromiseExpires { .. } => {
                "callbacks.retry_delay, callbacks.attempt_time and callbacks.promise"
            }
            Event::Outage { .. } => "agents.outages",
            Event::DutyChange { .. } | Event::Absence { .. } => "agents.shifts and agents.absences",
            Event::PlanChange { .. } => "agents.plan",
            Event::OutboundEnds { .. }
            | Event::OutboundOpens
            | Event::OutboundCloses
            | Event::OutboundRetry { .. } => {
                "outbound.attempt_time, outbound.talk_time and outbound.retry_delay"
            }
            Event::BackOfficeDone { .. } | Event::BackOfficeHours { .. } => {
                "callers[].follow_up.back_office.work and back_office.hours"
            }
        }
    }

    /// Tie-break class at equal times: lower fires first (see `queue` module docs).
    /// Releases free agents before anyone looks for one; managers arrive before callers give up;
    /// arrivals come last ("releases before seizes").
    #[inline]
    pub fn class(&self) -> u8 {
        match self {
            Event::ServiceEnds { .. }
            | Event::WrapUpEnds { .. }
            | Event::FollowUpEnds { .. }
            | Event::ReportEnds { .. }
            | Event::SlackEnds { .. }
            | Event::CallbackAttemptFails { .. }
            | Event::BackOfficeDone { .. }
            | Event::OutboundEnds { .. } => 0,
            Event::ManagerMoves { .. }
            | Event::FollowUpDue { .. }
            | Event::Outage { .. }
            | Event::DutyChange { .. }
            | Event::PlanChange { .. }
            | Event::BackOfficeHours { .. }
            | Event::OutboundOpens
            | Event::OutboundCloses
            | Event::Absence { .. } => 1,
            Event::CallerAbandons { .. } | Event::CallbackPromiseExpires { .. } => 2,
            Event::StatusCallDue { .. }
            | Event::RedialDue { .. }
            | Event::CallbackDue { .. }
            | Event::OutboundRetry { .. } => 3,
            Event::CallArrives => 4,
        }
    }
}
