//! The scopes KPIs are reported for, as one list: overall, and the scopes reported entry by
//! entry ([`ListedScope`]: caller classes, managers, departments, decline reasons, skill
//! groups). Tally,
//! partial files, merge, JSON, CSV, the terminal table and the HTML report all iterate
//! [`ListedScope::ALL`] and ask each scope for its facts, so a new scope is one variant here
//! and its facts below, not a field in six places.

use crate::model::Scenario;

/// Which scope a KPI is reported for (see [`super::Kpi::applies_to`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// All callers together.
    Overall,
    /// One caller class.
    Class,
    /// One manager (what that manager saw).
    Manager,
    /// One department: the callers of its classes together (the same KPIs as a class).
    Department,
    /// One reason outbound customers give for declining.
    DeclineReason,
    /// One skill group: the agents who serve the same departments in the same order.
    SkillGroup,
}

/// A scope reported entry by entry: every scope but the overall one, which is a single value.
/// [`PerScope`] is indexed by it, so "the entries of the overall scope" cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListedScope {
    /// One entry per caller class, in scenario order.
    Class,
    /// One entry per manager, in scenario order.
    Manager,
    /// One entry per department, when there are two or more.
    Department,
    /// One entry per outbound decline reason.
    DeclineReason,
    /// One entry per skill group, when there are two or more departments.
    SkillGroup,
}

impl From<ListedScope> for Scope {
    fn from(scope: ListedScope) -> Scope {
        match scope {
            ListedScope::Class => Scope::Class,
            ListedScope::Manager => Scope::Manager,
            ListedScope::Department => Scope::Department,
            ListedScope::DeclineReason => Scope::DeclineReason,
            ListedScope::SkillGroup => Scope::SkillGroup,
        }
    }
}

impl ListedScope {
    /// Every listed scope, in report order.
    pub const ALL: [ListedScope; 5] = [
        ListedScope::Class,
        ListedScope::Manager,
        ListedScope::Department,
        ListedScope::DeclineReason,
        ListedScope::SkillGroup,
    ];

    /// The key of the scope's entries in partial files (`by_class`, ...).
    pub fn key(self) -> &'static str {
        match self {
            ListedScope::Class => "by_class",
            ListedScope::Manager => "by_manager",
            ListedScope::Department => "by_department",
            ListedScope::DeclineReason => "by_decline_reason",
            ListedScope::SkillGroup => "by_skill_group",
        }
    }

    /// The key of the scope's entries in the JSON result.
    pub fn json_key(self) -> &'static str {
        match self {
            ListedScope::DeclineReason => "outbound_declines_by_reason",
            other => other.key(),
        }
    }

    /// How `kpis.csv` names an entry of the scope: caller classes by their name, the others
    /// with a prefix (`manager:NAME`, `department:NAME`, `decline:REASON`).
    pub fn csv_name(self, entry: &str) -> String {
        match self {
            ListedScope::Class => entry.to_string(),
            ListedScope::Manager => format!("manager:{entry}"),
            ListedScope::Department => format!("department:{entry}"),
            ListedScope::DeclineReason => format!("decline:{entry}"),
            ListedScope::SkillGroup => format!("group:{entry}"),
        }
    }

    /// The scope's entries in words, for messages.
    pub fn entries_word(self) -> &'static str {
        match self {
            ListedScope::Class => "caller classes",
            ListedScope::Manager => "managers",
            ListedScope::Department => "departments",
            ListedScope::DeclineReason => "outbound decline reasons",
            ListedScope::SkillGroup => "skill groups",
        }
    }

    /// The heading of the scope's section in the terminal table and the HTML report.
    pub fn heading(self) -> &'static str {
        match self {
            ListedScope::Class => "By caller class",
            ListedScope::Manager => "What each manager saw",
            ListedScope::Department => "By department",
            ListedScope::DeclineReason => "Outbound declines by reason",
            ListedScope::SkillGroup => "By skill group",
        }
    }

    /// The names of the scope's entries in `scenario`, in report order: caller classes and
    /// managers in scenario order, departments when there are two or more, the reasons an
    /// outbound campaign's customers give for declining.
    pub fn entries(self, scenario: &Scenario) -> Vec<String> {
        match self {
            ListedScope::Class => scenario.callers.iter().map(|c| c.name.clone()).collect(),
            ListedScope::Manager => scenario
                .floor
                .managers
                .iter()
                .map(|m| m.name.clone())
                .collect(),
            ListedScope::Department => match scenario.agents.departments.as_slice() {
                [_, _, ..] => scenario.agents.departments.clone(),
                _ => Vec::new(),
            },
            ListedScope::DeclineReason => scenario.outbound.as_ref().map_or_else(Vec::new, |o| {
                o.declines.iter().map(|(name, _)| name.clone()).collect()
            }),
            ListedScope::SkillGroup => crate::engine::SkillGroups::of(scenario).names(scenario),
        }
    }
}

/// One `T` per scope of [`ListedScope::ALL`], indexed by scope: the per-entry values of every
/// listed scope side by side, instead of a field per scope.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PerScope<T>([T; ListedScope::ALL.len()]);

impl<T> PerScope<T> {
    /// `make(scope)` for every listed scope.
    pub fn from_fn(mut make: impl FnMut(ListedScope) -> T) -> Self {
        PerScope(ListedScope::ALL.map(&mut make))
    }

    /// Every listed scope with its `T`, in report order.
    pub fn iter(&self) -> impl Iterator<Item = (ListedScope, &T)> {
        ListedScope::ALL.into_iter().zip(&self.0)
    }

    /// Every listed scope with its `T`, mutably.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (ListedScope, &mut T)> {
        ListedScope::ALL.into_iter().zip(&mut self.0)
    }

    /// The `T` of each scope, by value, in report order.
    pub fn into_values(self) -> [T; ListedScope::ALL.len()] {
        self.0
    }

    /// A `PerScope` of `f` applied to each scope's `T`.
    pub fn map<U>(self, mut f: impl FnMut(ListedScope, T) -> U) -> PerScope<U> {
        let mut scopes = ListedScope::ALL.into_iter();
        PerScope(
            self.0
                .map(|t| f(scopes.next().expect("one T per scope"), t)),
        )
    }
}

impl<T> std::ops::Index<ListedScope> for PerScope<T> {
    type Output = T;
    fn index(&self, scope: ListedScope) -> &T {
        &self.0[scope as usize]
    }
}

impl<T> std::ops::IndexMut<ListedScope> for PerScope<T> {
    fn index_mut(&mut self, scope: ListedScope) -> &mut T {
        &mut self.0[scope as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_in_index_order_and_keys_are_unique() {
        for (i, scope) in ListedScope::ALL.into_iter().enumerate() {
            assert_eq!(scope as usize, i);
        }
        let per = PerScope::from_fn(|s| s.key());
        assert_eq!(per[ListedScope::Department], "by_department");
        let keys: std::collections::HashSet<_> = per.iter().map(|(_, k)| *k).collect();
        assert_eq!(keys.len(), ListedScope::ALL.len());
        let mapped = per.map(|scope, key| (scope, key.len()));
        assert_eq!(mapped[ListedScope::Class], (ListedScope::Class, 8));
    }
}
