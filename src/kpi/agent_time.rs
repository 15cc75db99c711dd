//! Agent time by category (busy, talking, slack, away, off duty, ...), time-averaged over the
//! window, for the floor as a whole and for each skill group: occupancy, talk share and idle
//! share per group tell which skills run hot when departments share agents.

use super::{Kpi, KpiValues};
use crate::engine::{AgentState, SkillGroups};
use crate::model::Scenario;
use crate::stats::StepArea;

/// Categories of agent time with a KPI of their own. A state may be in several (a report is
/// busy time too); idle time is what is left.
#[derive(Debug, Clone, Copy)]
pub(super) enum TimeCategory {
    Busy = 0,
    Slack = 1,
    Report = 2,
    Callback = 3,
    Away = 4,
    OffDuty = 5,
    Outbound = 6,
    /// On the phone with a customer: inbound talk, a callback, an outbound call.
    Talk = 7,
}

impl TimeCategory {
    const COUNT: usize = 8;

    /// The category's bit in [`TimeCategory::of`].
    #[inline(always)]
    pub(super) const fn bit(self) -> u8 {
        1 << self as u8
    }

    /// The categories of `state`, one bit per category.
    #[inline(always)]
    fn of(state: AgentState) -> u8 {
        use TimeCategory::*;
        match state {
            AgentState::Idle => 0,
            AgentState::Talking => Busy.bit() | Talk.bit(),
            AgentState::WrapUp | AgentState::FollowUp => Busy.bit(),
            AgentState::Report => Busy.bit() | Report.bit(),
            AgentState::Callback => Busy.bit() | Callback.bit() | Talk.bit(),
            AgentState::Outbound => Busy.bit() | Outbound.bit() | Talk.bit(),
            AgentState::Slack => Slack.bit(),
            AgentState::Away => Away.bit(),
            AgentState::OffDuty => OffDuty.bit(),
        }
    }
}

/// What a skill group's KPIs need.
const GROUP_TRACKED: u8 = TimeCategory::Busy.bit()
    | TimeCategory::Talk.bit()
    | TimeCategory::Slack.bit()
    | TimeCategory::Away.bit()
    | TimeCategory::OffDuty.bit();

/// Agents in each category, and the time average of each, for a set of agents.
#[derive(Debug, Clone)]
struct Tracks {
    agents: [u32; TimeCategory::COUNT],
    /// Per category, the time integral of its agents over `window`.
    area: [StepArea; TimeCategory::COUNT],
    window: (f64, f64),
}

impl Tracks {
    fn new(scenario: &Scenario) -> Self {
        Self {
            agents: [0; TimeCategory::COUNT],
            area: [StepArea::default(); TimeCategory::COUNT],
            window: (scenario.warmup, scenario.horizon),
        }
    }

    /// An agent leaves the categories of `changed` that it had and enters those it has now
    /// (`is`).
    #[inline(always)]
    fn change(&mut self, time: f64, mut changed: u8, is: u8) {
        while changed != 0 {
            let c = changed.trailing_zeros() as usize;
            changed &= changed - 1;
            let up = is & (1 << c) != 0;
            let n = &mut self.agents[c];
            *n = if up { *n + 1 } else { *n - 1 };
            self.area[c].step(time, up, self.window);
        }
    }

    /// Time-average agents in `c` over the window.
    fn mean(&self, c: TimeCategory) -> f64 {
        self.area[c as usize].finish(self.window)
    }
}

/// Shares of logged-in time.
struct Shares {
    logged_in: f64,
    busy: f64,
    slack: f64,
    away: f64,
    talk: f64,
    idle: f64,
}

impl Shares {
    /// The shares of `head_count` agents whose time-average agents in each category is
    /// `mean`: the floor's and each skill group's, by one rule. Without `talk_tracked`, talk
    /// is all of busy time.
    fn of(head_count: f64, talk_tracked: bool, mean: impl Fn(TimeCategory) -> f64) -> Self {
        let logged_in = head_count - mean(TimeCategory::OffDuty);
        let share = |c| mean(c) / logged_in;
        let busy = share(TimeCategory::Busy);
        let (slack, away) = (share(TimeCategory::Slack), share(TimeCategory::Away));
        Shares {
            logged_in,
            busy,
            slack,
            away,
            talk: if talk_tracked {
                share(TimeCategory::Talk)
            } else {
                busy
            },
            // Every logged-in agent is busy, in slack, away or idle (the engine's tests check
            // that the states' times add up), so idle is the rest.
            idle: (1.0 - busy - slack - away).max(0.0),
        }
    }
}

/// A skill group's categories, in the order of [`Group`]'s arrays: each of [`GROUP_TRACKED`].
const GROUP_CATEGORIES: [TimeCategory; 5] = [
    TimeCategory::Busy,
    TimeCategory::Talk,
    TimeCategory::Slack,
    TimeCategory::Away,
    TimeCategory::OffDuty,
];

/// A skill group's time integral of agents per category, packed (a floor has dozens of
/// groups, and their tracks stay in the cache beside everything else): the window is the
/// floor's, kept once, and the counts themselves are not needed (see [`StepArea`]).
#[derive(Debug, Clone)]
struct Group {
    head_count: f64,
    /// Per category, the time integral over the floor's window.
    area: [StepArea; 5],
}

impl Group {
    /// Where each [`TimeCategory`] bit goes in the group's arrays (`u8::MAX`: not kept).
    const SLOT: [u8; TimeCategory::COUNT] = {
        let mut slot = [u8::MAX; TimeCategory::COUNT];
        let mut i = 0;
        while i < GROUP_CATEGORIES.len() {
            slot[GROUP_CATEGORIES[i] as usize] = i as u8;
            i += 1;
        }
        slot
    };

    #[inline(always)]
    fn change(&mut self, time: f64, window: (f64, f64), mut changed: u8, is: u8) {
        while changed != 0 {
            let c = changed.trailing_zeros() as usize;
            changed &= changed - 1;
            let k = usize::from(Self::SLOT[c]);
            self.area[k].step(time, is & (1 << c) != 0, window);
        }
    }

    /// Time-average agents in `c` over the window.
    fn mean(&self, c: TimeCategory, window: (f64, f64)) -> f64 {
        self.area[usize::from(Self::SLOT[c as usize])].finish(window)
    }
}

/// Agent time of one replication: the floor's, and each skill group's.
#[derive(Debug, Clone)]
pub(super) struct AgentTime {
    /// Agents on the floor: the head count and call-taking managers.
    head_count: f64,
    /// Categories tracked: every one but talk where talk is all of busy time (no after-call
    /// work, follow-ups or reports), so such scenarios pay nothing for it.
    tracked: u8,
    floor: Tracks,
    /// The skill groups (none with a single queue).
    groups: Vec<Group>,
    /// The observation window, `[warmup, horizon)`.
    window: (f64, f64),
}

impl AgentTime {
    pub(super) fn new(scenario: &Scenario) -> Self {
        let head_count = scenario.agents.count + scenario.floor.call_taking_managers();
        let talk_differs = super::talk_differs_from_busy(scenario);
        let skill_groups = SkillGroups::of(scenario);
        let mut groups = vec![
            Group {
                head_count: 0.0,
                area: [StepArea::default(); 5],
            };
            skill_groups.count()
        ];
        for &g in &skill_groups.group_of {
            groups[g as usize].head_count += 1.0;
        }
        Self {
            head_count: f64::from(head_count),
            tracked: if talk_differs {
                u8::MAX
            } else {
                !TimeCategory::Talk.bit()
            },
            floor: Tracks::new(scenario),
            groups,
            window: (scenario.warmup, scenario.horizon),
        }
    }

    /// An agent went from `from` to `to` at `time`; returns the floor's categories that
    /// changed (see [`TimeCategory::bit`]).
    #[inline(always)]
    pub(super) fn change(&mut self, time: f64, from: AgentState, to: AgentState) -> u8 {
        let (was, is) = (TimeCategory::of(from), TimeCategory::of(to));
        let changed = (was ^ is) & self.tracked;
        self.floor.change(time, changed, is);
        changed
    }

    /// An agent of skill group `group` went from `from` to `to` at `time`.
    #[inline(always)]
    pub(super) fn change_in_group(
        &mut self,
        time: f64,
        group: u32,
        from: AgentState,
        to: AgentState,
    ) {
        let (was, is) = (TimeCategory::of(from), TimeCategory::of(to));
        let changed = (was ^ is) & self.tracked & GROUP_TRACKED;
        if let Some(g) = self.groups.get_mut(group as usize) {
            g.change(time, self.window, changed, is);
        }
    }

    /// Agents of the floor in `c` right now.
    #[inline(always)]
    pub(super) fn agents_in(&self, c: TimeCategory) -> u32 {
        self.floor.agents[c as usize]
    }

    /// The floor's agents logged in on average over the window.
    pub(super) fn logged_in(&self) -> f64 {
        self.head_count - self.floor.mean(TimeCategory::OffDuty)
    }

    /// Sets the floor's shares of agent time in `values`.
    pub(super) fn set_floor(&self, values: &mut KpiValues) {
        let s = Shares::of(self.head_count, self.talk_tracked(), |c| self.floor.mean(c));
        let share = |c| self.floor.mean(c) / s.logged_in;
        values.set(Kpi::StaffedAgentsMean, s.logged_in);
        values.set(Kpi::Occupancy, s.busy);
        values.set(Kpi::TalkShare, s.talk);
        values.set(Kpi::SlackShare, s.slack);
        values.set(Kpi::AwayShare, s.away);
        values.set(Kpi::IdleShare, s.idle);
        values.set(Kpi::CallbackShare, share(TimeCategory::Callback));
        values.set(Kpi::ReportShare, share(TimeCategory::Report));
        values.set(Kpi::OutboundShare, share(TimeCategory::Outbound));
    }

    /// Whether talk time is tracked apart from busy time.
    fn talk_tracked(&self) -> bool {
        self.tracked & TimeCategory::Talk.bit() != 0
    }

    /// Each skill group's KPIs: agents logged in, occupancy, talk share and idle share.
    pub(super) fn by_group(&self) -> Vec<KpiValues> {
        self.groups
            .iter()
            .map(|g| {
                let s = Shares::of(g.head_count, self.talk_tracked(), |c| {
                    g.mean(c, self.window)
                });
                let mut v = KpiValues::undefined();
                v.set(Kpi::StaffedAgentsMean, s.logged_in);
                v.set(Kpi::Occupancy, s.busy);
                v.set(Kpi::TalkShare, s.talk);
                v.set(Kpi::IdleShare, s.idle);
                v
            })
            .collect()
    }
}
