//! The call an agent has in hand while talking or calling back, and what comes of it.

use super::event::FollowUpId;
use super::observer::Case;
use super::time::{SimDuration, SimTime};

/// The call an agent has in hand.
#[derive(Debug, Clone, Copy, Default)]
pub struct CallInHand {
    /// Caller class.
    pub class: u16,
    /// The department the call is at while the agent talks (a misrouted call is at the wrong
    /// one until transferred); counts against that department's lines.
    pub department: u8,
    /// Arrival of the case's first call.
    pub case_start: SimTime,
    /// Contacts of the case so far, this call included.
    pub contacts: u16,
    /// After-call work owed once the talk ends (already paced).
    pub after_call_work: SimDuration,
    /// What the call is about.
    pub kind: CallKind,
}

impl CallInHand {
    /// The call's case as the observer hears of it.
    #[inline]
    pub fn case(&self) -> Case {
        Case {
            class: self.class as usize,
            first_arrival: self.case_start,
        }
    }
}

/// First call of a case, or a status call about a pending follow-up.
#[derive(Debug, Clone, Copy, Default)]
pub enum CallKind {
    /// A first call that resolves the customer's issue.
    #[default]
    Resolves,
    /// A first call that will not resolve: the agent promises a follow-up.
    Unresolved {
        /// Work content of the follow-up (before pace).
        work: SimDuration,
    },
    /// "Where is my case?": resolves nothing, restarts the customer's tolerance.
    Status {
        /// The follow-up asked about.
        follow_up: FollowUpId,
        /// Its generation when the customer called.
        generation: u32,
    },
}
