//! What a heap key says about its event: the low 32 bits of every key.
//!
//! The two events that make up nearly all of a call center's heap, an agent's talk or wrap-up
//! ending, are written into the key whole (a tag and the agent). Every other event waits in a
//! slot of [`Payloads`] and the key holds the slot. A sift then moves keys alone: with the
//! events in a vector beside the keys, each level of a sift-down also moved an event, and on a
//! heap larger than the first-level cache that missed as often as the keys did.

use super::super::event::{AgentEvent, AgentId, Event};

/// Tag of a talk's end (the agent in the low bits).
const SERVICE_ENDS: u32 = 0;
/// Tag of a wrap-up's end (the agent in the low bits).
const WRAP_UP_ENDS: u32 = 1 << 30;
/// Tag bit of an event kept in a slot (the slot in the low bits).
const IN_SLOT: u32 = 1 << 31;
/// The bits under a direct tag: agents up to 2³⁰ − 1 fit (the scenario allows 100,000).
const AGENT_MASK: u32 = (1 << 30) - 1;

/// The events that do not fit in a key, in slots that are reused, so that steady state
/// allocates nothing.
#[derive(Debug, Default, Clone)]
pub(super) struct Payloads {
    /// The event of each slot (unspecified in free slots).
    slots: Vec<Event>,
    /// Free slots, the last freed taken first (its line is the one most likely cached).
    free: Vec<u32>,
}

impl Payloads {
    /// Forgets every event, keeping the capacity.
    pub(super) fn clear(&mut self) {
        self.slots.clear();
        self.free.clear();
    }

    /// The payload that stands for `event`: the event itself when it fits, else a slot.
    #[inline(always)]
    pub(super) fn put(&mut self, event: Event) -> u32 {
        match event {
            Event::Agent(AgentEvent::ServiceEnds { agent }) if agent.0 <= AGENT_MASK => {
                SERVICE_ENDS | agent.0
            }
            Event::Agent(AgentEvent::WrapUpEnds { agent }) if agent.0 <= AGENT_MASK => {
                WRAP_UP_ENDS | agent.0
            }
            _ => self.put_in_slot(event),
        }
    }

    #[inline(never)]
    fn put_in_slot(&mut self, event: Event) -> u32 {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = event;
                slot
            }
            None => {
                self.slots.push(event);
                // Fewer than 2²⁹ events are ever pending (`queue/renumber.rs`): a slot fits.
                u32::try_from(self.slots.len() - 1)
                    .ok()
                    .filter(|&s| s < IN_SLOT)
                    .expect("fewer than 2^31 events pending")
            }
        };
        IN_SLOT | slot
    }

    /// The event `payload` stands for, left in place.
    #[inline(always)]
    pub(super) fn peek(&self, payload: u32) -> Event {
        if payload & IN_SLOT != 0 {
            return self.slots[(payload & !IN_SLOT) as usize];
        }
        let agent = AgentId(payload & AGENT_MASK);
        if payload & WRAP_UP_ENDS == 0 {
            Event::Agent(AgentEvent::ServiceEnds { agent })
        } else {
            Event::Agent(AgentEvent::WrapUpEnds { agent })
        }
    }

    /// The event `payload` stands for; its slot, if it had one, is free again.
    #[inline(always)]
    pub(super) fn take(&mut self, payload: u32) -> Event {
        let event = self.peek(payload);
        if payload & IN_SLOT != 0 {
            self.free.push(payload & !IN_SLOT);
        }
        event
    }

    /// Slots in use.
    #[cfg(test)]
    pub(super) fn in_slots(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::{CallbackEvent, CallerId, FollowUpId, ManagerEvent};

    #[test]
    fn every_event_comes_back_as_it_went_in() {
        let mut p = Payloads::default();
        let events = [
            Event::Agent(AgentEvent::ServiceEnds { agent: AgentId(0) }),
            Event::Agent(AgentEvent::ServiceEnds {
                agent: AgentId(AGENT_MASK),
            }),
            Event::Agent(AgentEvent::WrapUpEnds {
                agent: AgentId(99_999),
            }),
            // Agents beyond the direct tags' bits go to a slot, as every other event does.
            Event::Agent(AgentEvent::ServiceEnds {
                agent: AgentId(AGENT_MASK + 1),
            }),
            Event::Agent(AgentEvent::WrapUpEnds {
                agent: AgentId(u32::MAX),
            }),
            Event::Agent(AgentEvent::ReportEnds { agent: AgentId(3) }),
            Event::Manager(ManagerEvent::Moves { manager: 2 }),
            Event::Callback(CallbackEvent::Due {
                caller: CallerId(7),
                generation: 4,
            }),
            Event::FollowUp(crate::engine::event::FollowUpEvent::StatusCallDue {
                follow_up: FollowUpId(5),
                epoch: 9,
            }),
        ];
        let payloads: Vec<u32> = events.iter().map(|&e| p.put(e)).collect();
        assert_eq!(p.in_slots(), 6, "all but the three direct ones take a slot");
        for (&payload, &event) in payloads.iter().zip(&events) {
            assert_eq!(p.peek(payload), event);
        }
        for (&payload, &event) in payloads.iter().zip(&events) {
            assert_eq!(p.take(payload), event);
        }
        assert_eq!(p.in_slots(), 0, "taking frees the slots");
        // Freed slots are reused: no growth in steady state.
        let capacity = p.slots.capacity();
        for round in 0..1000u32 {
            let payload = p.put(Event::Manager(ManagerEvent::Moves { manager: round }));
            assert_eq!(
                p.take(payload),
                Event::Manager(ManagerEvent::Moves { manager: round })
            );
        }
        assert_eq!(p.slots.capacity(), capacity);
    }
}
