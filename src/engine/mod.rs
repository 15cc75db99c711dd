//! The discrete-event engine: event queue, clock, and the call-center event handlers.
//!
//! The engine knows the validated model and nothing about files, serde or plots. It reports what
//! happens to an [`Observer`]; statistics are computed elsewhere (`kpi`). See `README.md` in this
//! folder for the event ordering and the random-stream layout.

mod agent;
mod arrival;
mod back_office;
mod call_in_hand;
mod callback;
mod caller;
mod class_draw;
pub mod event;
mod follow_up;
mod group_lines;
mod manager;
mod observer;
mod outage;
mod outbound;
mod patience;
mod prefetch;
mod queue;
pub mod random;
mod roster;
mod routing;
mod sim;
mod skill_groups;
mod time;
mod transfer;
mod work;

pub use event::{
    AgentEvent, AgentId, CallbackEvent, CallerId, Event, FollowUpEvent, FollowUpId, ManagerEvent,
    OutageEvent, OutboundEvent, QueueEvent, RosterEvent,
};
pub use observer::{
    AgentState, AnsweredContact, BackOfficeStep, CallbackEnd, CallbackOutcome, Case, Contact,
    FollowUpOutcome, NullObserver, Observer, OutboundAttempt, OutboundOutcome,
};
pub use queue::EventQueue;
pub use sim::{CHECK_EVERY_EVENTS, Simulation, StallCause, Stalled};
pub use skill_groups::SkillGroups;
pub use time::{SimDuration, SimTime};
