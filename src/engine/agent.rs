//! Agents: who is busy, and the idle line that makes "longest idle takes the call" O(1).

use std::collections::VecDeque;

use super::event::AgentId;

/// One agent's state that outlives an event.
#[derive(Debug, Clone, Copy, Default)]
pub struct Agent {
    /// After-call work owed for the call in hand, in seconds.
    pub after_call_work: f64,
}

/// All agents. Idle agents queue in the order they became free, so the front has been idle longest.
#[derive(Default)]
pub struct Agents {
    agents: Vec<Agent>,
    idle: VecDeque<AgentId>,
    busy: u32,
}

impl Agents {
    /// `count` idle agents, keeping capacity. Agent 0 counts as idle longest.
    pub fn reset(&mut self, count: u32) {
        self.agents.clear();
        self.agents.resize(count as usize, Agent::default());
        self.idle.clear();
        self.idle.extend((0..count).map(AgentId));
        self.busy = 0;
    }

    /// Busy agents.
    #[inline]
    pub fn busy(&self) -> u32 {
        self.busy
    }

    /// Takes the longest-idle agent, marking them busy.
    #[inline]
    pub fn take_longest_idle(&mut self) -> Option<AgentId> {
        let a = self.idle.pop_front()?;
        self.busy += 1;
        Some(a)
    }

    /// Puts a busy agent at the back of the idle line.
    #[inline]
    pub fn make_idle(&mut self, agent: AgentId) {
        self.busy -= 1;
        self.idle.push_back(agent);
    }

    /// Mutable state of one agent.
    #[inline]
    pub fn get_mut(&mut self, agent: AgentId) -> &mut Agent {
        &mut self.agents[agent.0 as usize]
    }
}
