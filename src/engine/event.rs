//! What can happen in the simulation. Events are small and `Copy`; entities are indices.

/// Index of a caller slot (slots are reused; see [`Event::CallerAbandons`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallerId(pub u32);

/// Index of an agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentId(pub u32);

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
}

impl Event {
    /// Tie-break class at equal times: lower fires first (see `queue` module docs).
    #[inline]
    pub fn class(&self) -> u8 {
        match self {
            Event::ServiceEnds { .. } | Event::WrapUpEnds { .. } => 0,
            Event::CallerAbandons { .. } => 1,
            Event::CallArrives => 2,
        }
    }
}
