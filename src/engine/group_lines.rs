//! The idle line split by skill group ([`super::skill_groups`]), so that routing a call costs
//! the groups of its department, not the idle agents.
//!
//! Each entry keeps its place in the order agents became idle, so the longest idle of several
//! groups is the front with the lowest place. Entries carry the agent's stamp (see
//! [`Agents`]), and an agent taken from the whole idle line leaves a stale entry here, which
//! is dropped when it reaches a front.

use std::collections::VecDeque;

use super::agent::Agents;
use super::event::AgentId;

/// Idle agents by skill group.
#[derive(Default)]
pub struct GroupLines {
    /// Per group, `(agent, stamp, place)` in the order the agents became idle.
    lines: Vec<VecDeque<(AgentId, u32, u64)>>,
    /// Each group's front place (`u64::MAX` when its line is empty), side by side, so that
    /// choosing among the groups of a department reads one small array and no line. A stale
    /// front's place is below that of the group's first live entry, so the group with the
    /// lowest place is looked at first and its stale entries dropped only then.
    front_place: Vec<u64>,
    /// Each agent's skill group; empty without departments.
    group_of: Vec<u32>,
    /// The place the next agent to become idle takes.
    next_place: u64,
}

impl GroupLines {
    /// `groups` empty lines; `group_of` gives each agent's group.
    pub fn new(group_of: Vec<u32>, groups: usize) -> Self {
        Self {
            lines: vec![VecDeque::new(); groups],
            front_place: vec![u64::MAX; groups],
            group_of,
            next_place: 0,
        }
    }

    /// Whether there are no groups (a single queue).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.group_of.is_empty()
    }

    /// The first `count` agents idle, in agent order (agent 0 idle longest), with stamp 0.
    pub fn reset(&mut self, count: u32) {
        self.lines.iter_mut().for_each(VecDeque::clear);
        self.front_place.fill(u64::MAX);
        for (i, &g) in self.group_of.iter().enumerate().take(count as usize) {
            self.lines[g as usize].push_back((AgentId(i as u32), 0, i as u64));
            let front = &mut self.front_place[g as usize];
            *front = (*front).min(i as u64);
        }
        self.next_place = u64::from(count);
    }

    /// `agent`'s group; `None` without groups.
    #[inline]
    pub fn group_of(&self, agent: usize) -> Option<u32> {
        self.group_of.get(agent).copied()
    }

    /// Appends `agent` (of stamp `stamp`) to its group `group`'s line; drops the line's stale
    /// entries when they pile up. Kept out of line: the single queue never calls it.
    #[inline(never)]
    pub fn push(&mut self, agent: AgentId, group: u32, stamp: u32, stamps: &[u32]) {
        let g = group as usize;
        let line = &mut self.lines[g];
        if line.is_empty() {
            self.front_place[g] = self.next_place;
        }
        line.push_back((agent, stamp, self.next_place));
        self.next_place += 1;
        if line.len() > 4 * self.group_of.len() + 16 {
            line.retain(|&(id, stamp, _)| Agents::live(stamps, (id, stamp)));
            self.front_place[g] = line.front().map_or(u64::MAX, |e| e.2);
        }
    }

    /// Takes the longest-idle agent of the groups `groups` and moves its stamp on: the group
    /// whose front became idle first (by the front places alone), whose stale front entries
    /// are dropped until a live one comes.
    /// `new_front` hears of the agent who then heads the group's line, the likely next one
    /// taken from it (for a prefetch).
    pub fn take_longest_in(
        &mut self,
        groups: &[u32],
        stamps: &mut [u32],
        new_front: impl Fn(AgentId),
    ) -> Option<AgentId> {
        loop {
            let (mut best, mut best_group) = (u64::MAX, 0);
            for &g in groups {
                let place = self.front_place[g as usize];
                if place < best {
                    (best, best_group) = (place, g as usize);
                }
            }
            if best == u64::MAX {
                return None;
            }
            let line = &mut self.lines[best_group];
            let (id, stamp, _) = line.pop_front()?;
            self.front_place[best_group] = match line.front() {
                Some(&(next, _, place)) => {
                    new_front(next);
                    place
                }
                None => u64::MAX,
            };
            if Agents::live(stamps, (id, stamp)) {
                Agents::bump(stamps, id);
                return Some(id);
            }
            // A stale front: this group's first live entry, if any, came later. Look again.
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::agent::{Activity, Agents};
    use super::super::event::AgentId;
    use rand::{RngExt, SeedableRng};

    /// A reference line of idle agents (longest idle first) beside the agents under test, and
    /// the two moves both tests make on both.
    struct Reference {
        group_of: Vec<u32>,
        idle: Vec<u32>,
    }

    impl Reference {
        /// A busy agent drawn at random becomes idle, if there is one.
        fn make_one_idle(&mut self, rng: &mut impl RngExt, agents: &mut Agents) {
            let n = self.group_of.len() as u32;
            let busy: Vec<u32> = (0..n).filter(|a| !self.idle.contains(a)).collect();
            if let Some(&a) = busy.get(rng.random_range(0..busy.len().max(1))) {
                agents.make_idle(AgentId(a));
                self.idle.push(a);
            }
        }

        /// The longest idle agent of some groups drawn at random is taken: the same agent
        /// as the reference line's first of those groups.
        fn take_in_some_groups(&mut self, rng: &mut impl RngExt, agents: &mut Agents, groups: u32) {
            let some: Vec<u32> = (0..groups).filter(|_| rng.random::<bool>()).collect();
            let got = agents.take_longest_idle_in(&some);
            let at = self
                .idle
                .iter()
                .position(|a| some.contains(&self.group_of[*a as usize]));
            assert_eq!(got.map(|a| a.0), at.map(|i| self.idle[i]));
            if let Some(i) = at {
                self.idle.remove(i);
                agents.set_activity(AgentId(got.expect("an agent").0), Activity::WrapUp);
            }
        }
    }

    /// Without a whole line and with nothing else taking idle agents, the lines keep no
    /// stamps (`Agents::forgo_stamps`) and still give the longest idle of the groups asked.
    #[test]
    fn without_stamps_the_groups_lines_still_agree_with_a_reference_line() {
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(6);
        let groups = 4;
        let group_of: Vec<u32> = (0..30).map(|i| (i * 7 % 11) % groups).collect();
        let mut agents = Agents::default();
        agents.set_skill_groups(group_of.clone(), groups as usize, false);
        agents.forgo_stamps();
        agents.reset(30);
        let mut reference = Reference {
            group_of,
            idle: (0..30).collect(),
        };
        for _ in 0..20_000 {
            if rng.random::<bool>() {
                reference.make_one_idle(&mut rng, &mut agents);
            } else {
                reference.take_in_some_groups(&mut rng, &mut agents, groups);
            }
        }
    }

    /// Random moves into and out of idleness, through the whole line (which leaves stale
    /// entries in the groups' lines) and through the groups' lines: the agent taken for a set
    /// of groups is always the first idle agent of those groups in the order they became idle.
    #[test]
    fn the_longest_idle_of_some_groups_agrees_with_a_reference_line() {
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(5);
        let groups = 5;
        let group_of: Vec<u32> = (0..40).map(|i| i % groups).collect();
        let mut agents = Agents::default();
        agents.set_skill_groups(group_of.clone(), groups as usize, true);
        agents.reset(40);
        let mut reference = Reference {
            group_of,
            idle: (0..40).collect(),
        };
        for _ in 0..20_000 {
            match rng.random_range(0..3u32) {
                0 => reference.make_one_idle(&mut rng, &mut agents),
                1 => {
                    let got = agents.take_longest_idle();
                    let expected = (!reference.idle.is_empty()).then(|| reference.idle.remove(0));
                    assert_eq!(got.map(|a| a.0), expected);
                    if let Some(a) = got {
                        agents.set_activity(a, Activity::WrapUp);
                    }
                }
                _ => reference.take_in_some_groups(&mut rng, &mut agents, groups),
            }
        }
    }
}
