//! Skill groups: agents who serve the same departments in the same order. Routing keeps one
//! idle line per group, so finding the longest-idle agent for a department costs one look at
//! the front of each group that serves it, not a scan of every idle agent.

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
        let mut sets: Vec<&[u8]> = Vec::new();
        let group_of = (0..agents as usize)
            .map(|a| {
                // An agent without a skill list serves every department.
                let skills = scenario.agents.skills.get(a).map_or(&all[..], |s| &s[..]);
                let g = sets.iter().position(|s| *s == skills).unwrap_or_else(|| {
                    sets.push(skills);
                    sets.len() - 1
                });
                g as u32
            })
            .collect();
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
