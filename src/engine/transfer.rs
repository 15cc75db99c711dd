//! Misrouted calls (DESIGN.md section 2: Departments): an agent of the wrong department talks
//! until they have understood the call, then puts the caller through to the right one, where
//! they wait again.

use super::agent::Activity;
use super::caller::{Caller, TRANSFERRED};
use super::event::{AgentEvent, AgentId, CallerId, Event};
use super::observer::Observer;
use super::sim::Simulation;
use super::time::SampleSpan;

impl Simulation<'_> {
    /// An agent of a wrong department answers a misrouted call: they talk until they have
    /// understood it, then transfer it. That call is not answered yet, as the customer lives it.
    #[cold]
    #[inline(never)]
    pub(super) fn start_transfer<O: Observer>(
        &mut self,
        agent: AgentId,
        c: &Caller,
        observer: &mut O,
    ) {
        let class = &self.scenario.callers[c.class as usize];
        let misroute = class
            .misroute
            .as_ref()
            .expect("only misrouted calls transfer");
        let talk = misroute.transfer_time.span(&mut self.streams.routing) * self.pace(agent);
        let caller = self.callers.insert(Caller {
            in_queue: false,
            ..*c
        });
        let transferring = Activity::Transferring {
            caller,
            department: c.department,
        };
        self.set_activity(agent, transferring, observer);
        self.events.schedule(
            self.now + talk,
            Event::Agent(AgentEvent::ServiceEnds { agent }),
        );
    }

    /// The transfer: the caller waits again, in the right department's queue, with fresh
    /// patience, and talks there for their own handle time; both scaled by how agitated the
    /// transfer made them (`after_transfer`). Their wait keeps counting from when they first
    /// rang.
    #[cold]
    #[inline(never)]
    pub(super) fn put_through<O: Observer>(&mut self, caller: CallerId, observer: &mut O) {
        let mut c = *self.callers.get(caller);
        self.callers.release(caller);
        let class = c.class as usize;
        c.department = c.transfer_to - 1;
        c.transfer_to = TRANSFERRED;
        c.level = self.class_level(class);
        observer.contact_transferred(self.now, c.contact());
        let spec = &self.scenario.callers[class];
        let agitated = spec.after_transfer;
        c.handle_time *= agitated.handle_factor;
        let patience = spec
            .patience
            .as_ref()
            .map(|d| d.span(&mut self.streams.routing) * agitated.patience_factor);
        self.route_caller(c, patience, observer);
    }
}
