//! Skill groups: agents who serve the same departments in the same order. Routing keeps one
//! idle line per group, so finding the longest-idle agent for a department costs one look at
//! the front of each group that serves it, not a scan of every idle agent. A free agent finds
//! its queues through [`SkillOrders`], a dense index per agent.

use crate::model::Scenario;

/// The skill groups of a scenario with departments.
#[derive(Debug, Clone, Default)]
pub struct SkillGroups {
    /// Each agent's group (managers who take calls, numbered after the regular agents, serve
    /// every department and form a group of their own); empty without departments.
    pub group_of: Vec<u32>,
    /// Per department, the groups that serve it, in group order.
    pub serving: Vec<Vec<u32>>,
    /// Per group, the departments it serves, in its order of preference.
    pub departments: Vec<Vec<u8>>,
}

impl SkillGroups {
    /// The groups of `scenario`'s agents; none when it has a single queue.
    pub fn of(scenario: &Scenario) -> Self {
        let departments = scenario.agents.departments.len();
        if departments < 2 {
            return Self::default();
        }
        let agents = scenario.agents.count + scenario.floor.call_taking_managers();
        let all: Vec<u8> = (0..departments as u8).collect();
        // An agent without a skill list serves every department.
        let (group_of, sets) = numbered(
            (0..agents as usize)
                .map(|a| Some(scenario.agents.skills.get(a).map_or(&all[..], |s| &s[..]))),
        );
        let serving = (0..departments as u8)
            .map(|d| {
                (0..sets.len() as u32)
                    .filter(|&g| sets[g as usize].contains(&d))
                    .collect()
            })
            .collect();
        let departments = sets.iter().map(|s| s.to_vec()).collect();
        Self {
            group_of,
            serving,
            departments,
        }
    }

    /// Number of groups.
    pub fn count(&self) -> usize {
        self.departments.len()
    }

    /// Each group's name in reports: its departments in its order, joined by `+`
    /// (`billing+sales`), which tells the groups apart since each has its own list.
    pub fn names(&self, scenario: &Scenario) -> Vec<String> {
        self.departments
            .iter()
            .map(|ds| {
                ds.iter()
                    .map(|&d| scenario.agents.departments[usize::from(d)].as_str())
                    .collect::<Vec<_>>()
                    .join("+")
            })
            .collect()
    }
}

/// Numbers the distinct lists among `lists` in order of first appearance: each item's number
/// ([`SkillOrders::NONE`] for `None`), and the distinct lists by number.
fn numbered<'a>(lists: impl Iterator<Item = Option<&'a [u8]>>) -> (Vec<u32>, Vec<&'a [u8]>) {
    let mut distinct: Vec<&[u8]> = Vec::new();
    let mut number: std::collections::HashMap<&[u8], u32> = std::collections::HashMap::new();
    let numbers = lists
        .map(|list| match list {
            None => SkillOrders::NONE,
            Some(list) => *number.entry(list).or_insert_with(|| {
                distinct.push(list);
                (distinct.len() - 1) as u32
            }),
        })
        .collect();
    (numbers, distinct)
}

/// Each agent's skill order as the queue levels a free agent looks at (its departments in
/// its order, each by priority), kept as a dense index per agent into the distinct orders,
/// so that finding the next caller reads no per-agent list of the scenario.
#[derive(Debug, Clone, Default)]
pub struct SkillOrders {
    /// Per agent, an index into `levels` ([`Self::NONE`] for an agent without a skill list,
    /// who takes the head of the whole queue); empty with a single queue.
    order_of_agent: Vec<u32>,
    /// Each distinct order as queue levels.
    levels: Vec<Vec<u16>>,
}

impl SkillOrders {
    const NONE: u32 = u32::MAX;

    /// The orders of `scenario`'s agents, with `departments` departments of `priority_levels`
    /// levels each.
    pub fn of(scenario: &Scenario, departments: usize, priority_levels: usize) -> Self {
        if departments < 2 {
            return Self::default();
        }
        let agents = (scenario.agents.count + scenario.floor.call_taking_managers()) as usize;
        let (order_of_agent, orders) =
            numbered((0..agents).map(|a| scenario.agents.skills.get(a).map(|s| &s[..])));
        let levels = orders
            .iter()
            .map(|order| {
                order
                    .iter()
                    .flat_map(|&d| {
                        let first = usize::from(d) * priority_levels;
                        (first..first + priority_levels).map(|l| l as u16)
                    })
                    .collect()
            })
            .collect();
        Self {
            order_of_agent,
            levels,
        }
    }

    /// Asks the processor for `agent`'s entry (see [`super::agent::Agents::prefetch`]).
    #[inline(always)]
    pub fn prefetch(&self, agent: super::AgentId) {
        if let Some(k) = self.order_of_agent.get(agent.0 as usize) {
            super::prefetch::line(k);
        }
    }

    /// The queue levels `agent` looks at, in order; `None` for the head of the whole queue.
    #[inline]
    pub fn levels_of(&self, agent: super::AgentId) -> Option<&[u16]> {
        match self.order_of_agent.get(agent.0 as usize) {
            Some(&k) if k != Self::NONE => Some(&self.levels[k as usize]),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_with_the_same_skills_share_a_group() {
        let s = crate::scenario::parse(
            "horizon = \"1h\"\n[arrivals]\nrate = \"60/h\"\n[[callers]]\nname = \"a\"\nshare = 0.5\ndepartment = \"x\"\n\
             handle_time = { dist = \"exponential\", mean = \"4m\" }\n\
             [[callers]]\nname = \"b\"\nshare = 0.5\ndepartment = \"y\"\n\
             handle_time = { dist = \"exponential\", mean = \"4m\" }\n\
             [agents]\ncount = 5\n\
             skills = [{ agents = 2, departments = [\"x\"] }, { agents = 2, departments = [\"y\", \"x\"] }, \
             { agents = 1, departments = [\"x\"] }]\n",
            "groups.toml",
            &[],
        )
        .expect("valid");
        let g = SkillGroups::of(&s);
        assert_eq!(g.group_of, vec![0, 0, 1, 1, 0]);
        assert_eq!(g.count(), 2);
        assert_eq!(g.serving, vec![vec![0, 1], vec![1]]);
        assert_eq!(g.names(&s), ["x", "y+x"]);
    }
}
