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

/// A scheduled happening: the arrival stream's next caller, or an event of one component.
/// Each component owns its events and handles them (`on_*` in its module); the core loop only
/// dispatches. Still small and `Copy`, with one ordering key ([`Event::class`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// The next caller of the arrival stream rings.
    CallArrives,
    /// Queueing and routing.
    Queue(QueueEvent),
    /// An agent's task in hand.
    Agent(AgentEvent),
    /// Follow-ups, status calls and the back office.
    FollowUp(FollowUpEvent),
    /// Callbacks and redials.
    Callback(CallbackEvent),
    /// Managers.
    Manager(ManagerEvent),
    /// Shifts, plans and absences.
    Roster(RosterEvent),
    /// Outages.
    Outage(OutageEvent),
    /// The outbound campaign.
    Outbound(OutboundEvent),
}

/// Events of the waiting queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum QueueEvent {
    /// A waiting caller's patience runs out. Stale when the slot's generation has moved on
    /// (the caller was answered or the slot reused): cancelled lazily, without searching the heap.
    Abandons {
        /// The caller slot.
        caller: CallerId,
        /// Slot generation when the timer was set.
        generation: u32,
    },
}

/// Ends of an agent's tasks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AgentEvent {
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
}

/// Events of promised follow-ups and the back office.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FollowUpEvent {
    /// An agent finishes the work of a follow-up: the customer hears the resolution.
    WorkEnds {
        /// The agent.
        agent: AgentId,
    },
    /// A procrastinated follow-up of this agent may now be started.
    Due {
        /// The owner.
        agent: AgentId,
    },
    /// A customer waiting for a follow-up has run out of tolerance and calls again.
    StatusCallDue {
        /// The follow-up.
        follow_up: FollowUpId,
        /// Its tolerance epoch when the timer was set (stale after a restart or resolution).
        epoch: u32,
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
}

/// Events of queue callbacks and of callers who redial.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CallbackEvent {
    /// A caller who hung up calls again.
    RedialDue {
        /// The caller slot, kept while they wait to redial.
        caller: CallerId,
        /// Its generation when the redial was planned.
        generation: u32,
    },
    /// An unanswered callback may be tried again.
    Due {
        /// The callback's slot.
        caller: CallerId,
        /// Its generation (stale once the callback has ended).
        generation: u32,
    },
    /// A callback attempt went unanswered; the agent is free again.
    AttemptFails {
        /// The agent who dialled.
        agent: AgentId,
    },
    /// A callback's promised time passes; the customer may call in again.
    PromiseExpires {
        /// The callback's slot.
        caller: CallerId,
        /// Its generation (stale once the callback has ended).
        generation: u32,
    },
}

/// Events of managers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ManagerEvent {
    /// A manager who moves about the floor moves on: a walker leaves the office for the floor
    /// or goes back; a rover moves to the next agent.
    Moves {
        /// Manager index in scenario order.
        manager: u32,
    },
}

/// Events of the roster: shifts, the staffing plan, absences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RosterEvent {
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
    /// An agent's leave starts or ends.
    Absence {
        /// Index of the absence in the scenario.
        index: u32,
        /// Whether it starts.
        starts: bool,
    },
}

/// Events of outages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OutageEvent {
    /// An outage begins (`starts`) or ends.
    Changes {
        /// Whether it begins.
        starts: bool,
    },
}

/// Events of the outbound campaign.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OutboundEvent {
    /// An outbound attempt ends.
    AttemptEnds {
        /// The agent who dialled.
        agent: AgentId,
    },
    /// Outbound dialling may begin.
    Opens,
    /// Outbound dialling stops (the horizon).
    Closes,
    /// An unreached outbound customer is due for another attempt.
    Retry {
        /// Index on the list.
        customer: u32,
    },
}

impl Event {
    /// The scenario keys whose durations schedule this event, for the message of a stall.
    pub fn keys_hint(&self) -> &'static str {
        match self {
            Event::CallArrives => "arrivals.rate or arrivals.profile",
            Event::Queue(QueueEvent::Abandons { .. }) => "callers[].patience",
            Event::Agent(AgentEvent::ServiceEnds { .. } | AgentEvent::WrapUpEnds { .. }) => {
                "callers[].handle_time and callers[].after_call_work"
            }
            Event::Agent(AgentEvent::ReportEnds { .. }) => "managers[].report_time",
            Event::Agent(AgentEvent::SlackEnds { .. }) => "agents.behaviour.*.slack",
            Event::FollowUp(FollowUpEvent::WorkEnds { .. } | FollowUpEvent::Due { .. }) => {
                "callers[].follow_up.work and agents.behaviour.*.procrastination"
            }
            Event::FollowUp(FollowUpEvent::StatusCallDue { .. }) => {
                "callers[].follow_up.tolerance and callers[].follow_up.status_call"
            }
            Event::FollowUp(
                FollowUpEvent::BackOfficeDone { .. } | FollowUpEvent::BackOfficeHours { .. },
            ) => "callers[].follow_up.back_office.work and back_office.hours",
            Event::Manager(_) => "managers[].office and managers[].visit",
            Event::Callback(CallbackEvent::RedialDue { .. }) => "callers[].redial.delay",
            Event::Callback(_) => {
                "callbacks.retry_delay, callbacks.attempt_time and callbacks.promise"
            }
            Event::Outage(_) => "agents.outages",
            Event::Roster(RosterEvent::DutyChange { .. } | RosterEvent::Absence { .. }) => {
                "agents.shifts and agents.absences"
            }
            Event::Roster(RosterEvent::PlanChange { .. }) => "agents.plan",
            Event::Outbound(_) => {
                "outbound.attempt_time, outbound.talk_time and outbound.retry_delay"
            }
        }
    }

    /// Tie-break class at equal times: lower fires first (see `queue` module docs).
    /// Releases free agents before anyone looks for one; managers arrive before callers give up;
    /// arrivals come last ("releases before seizes").
    #[inline]
    pub fn class(&self) -> u8 {
        const RELEASE: u8 = 0;
        const MOVE: u8 = 1;
        const GIVE_UP: u8 = 2;
        const CALL_AGAIN: u8 = 3;
        const ARRIVE: u8 = 4;
        match self {
            Event::Agent(_) => RELEASE,
            Event::FollowUp(
                FollowUpEvent::WorkEnds { .. } | FollowUpEvent::BackOfficeDone { .. },
            ) => RELEASE,
            Event::FollowUp(FollowUpEvent::Due { .. } | FollowUpEvent::BackOfficeHours { .. }) => {
                MOVE
            }
            Event::FollowUp(FollowUpEvent::StatusCallDue { .. }) => CALL_AGAIN,
            Event::Callback(CallbackEvent::AttemptFails { .. }) => RELEASE,
            Event::Callback(CallbackEvent::PromiseExpires { .. }) => GIVE_UP,
            Event::Callback(CallbackEvent::RedialDue { .. } | CallbackEvent::Due { .. }) => {
                CALL_AGAIN
            }
            Event::Outbound(OutboundEvent::AttemptEnds { .. }) => RELEASE,
            Event::Outbound(OutboundEvent::Opens | OutboundEvent::Closes) => MOVE,
            Event::Outbound(OutboundEvent::Retry { .. }) => CALL_AGAIN,
            Event::Manager(_) | Event::Outage(_) | Event::Roster(_) => MOVE,
            Event::Queue(QueueEvent::Abandons { .. }) => GIVE_UP,
            Event::CallArrives => ARRIVE,
        }
    }
}
