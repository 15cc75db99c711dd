//! Agents: what each one is doing, the follow-ups they own, and the idle line that makes
//! "longest idle takes the call" O(1).

use std::collections::VecDeque;

pub use super::call_in_hand::{CallInHand, CallKind};
use super::event::{AgentId, CallerId, FollowUpId};
use super::group_lines::GroupLines;
use super::observer::{AgentState, OutboundOutcome};
use super::time::{SimDuration, SimTime};

/// What an agent is doing, with what only that activity needs: the call in hand while
/// talking, the follow-up being worked, the callback being dialled, the outbound customer.
/// [`Activity::kind`] is the state the observer hears of.
#[derive(Debug, Clone, Copy, Default)]
pub enum Activity {
    /// Ready and waiting for work.
    #[default]
    Idle,
    /// On a call (first call or status call); after-call work follows if the call owes any.
    Talking(CallInHand),
    /// On a misrouted call, working out where it belongs; the caller waits in a slot to be put
    /// through to the right department.
    Transferring {
        /// The caller's slot.
        caller: CallerId,
        /// The (wrong) department the call is at, whose line it holds meanwhile.
        department: u8,
    },
    /// After-call work.
    WrapUp,
    /// Working a promised follow-up.
    FollowUp {
        /// The follow-up.
        id: FollowUpId,
        /// When the work started.
        started: SimTime,
        /// Managers watching when it started.
        watchers: u64,
    },
    /// "Not ready" while nobody watches.
    Slack,
    /// Writing a status report a manager asked for.
    Report,
    /// Dialling a callback that will go unanswered.
    Dialling {
        /// The callback's slot.
        caller: CallerId,
        /// Its generation when dialled.
        generation: u32,
    },
    /// Talking to a customer reached by a callback.
    CallingBack(CallInHand),
    /// Unable to work (an outage).
    Away,
    /// Not logged in: off shift, on a break or on leave.
    OffDuty,
    /// Calling a customer on the outbound campaign's list.
    Outbound {
        /// Index on the list.
        customer: u32,
        /// When the attempt started.
        started: SimTime,
        /// How it will end.
        outcome: OutboundOutcome,
    },
}

impl Activity {
    /// The state the observer hears of.
    #[inline]
    pub fn kind(&self) -> AgentState {
        match self {
            Activity::Idle => AgentState::Idle,
            Activity::Talking(_) | Activity::Transferring { .. } => AgentState::Talking,
            Activity::WrapUp => AgentState::WrapUp,
            Activity::FollowUp { .. } => AgentState::FollowUp,
            Activity::Slack => AgentState::Slack,
            Activity::Report => AgentState::Report,
            Activity::Dialling { .. } | Activity::CallingBack(_) => AgentState::Callback,
            Activity::Away => AgentState::Away,
            Activity::OffDuty => AgentState::OffDuty,
            Activity::Outbound { .. } => AgentState::Outbound,
        }
    }

    /// Whether the agent is idle.
    #[inline]
    pub fn is_idle(&self) -> bool {
        matches!(self, Activity::Idle)
    }

    /// The stand-in of `state` that carries no payload, for the states that need none
    /// (idle, wrap-up, slack, reports, away, off duty).
    pub fn plain(state: AgentState) -> Self {
        match state {
            AgentState::Idle => Activity::Idle,
            AgentState::WrapUp => Activity::WrapUp,
            AgentState::Slack => Activity::Slack,
            AgentState::Report => Activity::Report,
            AgentState::Away => Activity::Away,
            AgentState::OffDuty => Activity::OffDuty,
            other => unreachable!("{other:?} carries a payload"),
        }
    }
}

/// Behaviour index of agents who follow no orientation (managers taking calls).
pub const NO_BEHAVIOUR: u8 = u8::MAX;

/// One agent's state that outlives an event. What the plain path reads and writes for every
/// call (the activity, the watchers, the flags, the skill group) comes first and fills exactly
/// one cache line;
/// the rest is read only by features that are switched on. Aligned, an agent touches one line
/// per call instead of two: on the floor of 10,000 agents, 9.5 % fewer L1 data misses
/// (cachegrind) and about 1 to 2 % of the time (median of 16 runs in turns).
#[derive(Debug, Clone, Default)]
#[repr(C, align(64))]
pub struct Agent {
    /// What the agent is doing, and with what.
    pub activity: Activity,
    /// Managers watching, one bit per manager index.
    pub watchers: u64,
    /// Bumped when slack ends early, so the pending `SlackEnds` becomes stale.
    pub slack_epoch: u32,
    /// Orientation index into the floor's behaviours, or [`NO_BEHAVIOUR`].
    pub behaviour: u8,
    /// Whether the agent only makes callbacks.
    pub reserved: bool,
    /// The agent's skill group, kept here so that an agent freed on a floor of many agents
    /// finds its group's line in the line it reads anyway, not in a map of every agent;
    /// [`Agent::WIDE_GROUP`] without departments or with more groups than fit.
    group: u16,
    /// Factor on unobserved slack and procrastination (an alongside manager's morale).
    pub morale: f64,
    /// Outside the agent's shift or on a break.
    pub off_shift: bool,
    /// On leave.
    pub absent: bool,
    /// A manager asked for a status report that takes this long, to write when free.
    pub report_pending: Option<SimDuration>,
    /// Follow-ups this agent promised and has not resolved yet.
    pub owned: Vec<FollowUpId>,
    /// The manager this agent is, for managers who take calls.
    pub is_manager: Option<u32>,
}

// The fields every call touches (activity to `group`) fill the first cache line exactly.
const _: () = assert!(
    std::mem::offset_of!(Agent, morale) == 64,
    "an agent's hot fields fill its first cache line"
);

impl Agent {
    /// [`Agent::group`] when the group is not kept in the agent: look it up in the groups'
    /// lines.
    const WIDE_GROUP: u16 = u16::MAX;

    /// What the agent is doing, as the observer hears it.
    #[inline]
    pub fn state(&self) -> AgentState {
        self.activity.kind()
    }

    /// Whether at least one manager watches.
    #[inline]
    pub fn observed(&self) -> bool {
        self.watchers != 0
    }
}

/// All agents. Idle agents queue in the order they became free, so the front has been idle
/// longest. Agents taken out of idleness for other work leave a stale entry, skipped lazily.
#[derive(Default)]
pub struct Agents {
    agents: Vec<Agent>,
    /// Each agent's stamp: an idle-line entry stands while it carries its agent's stamp, which
    /// moves on whenever the agent becomes idle, stops being idle, is taken from a line or is
    /// reserved for callbacks. Kept apart from the agents so that checking an entry reads 4
    /// bytes, not an agent (the stamps of a floor of 10,000 agents fit in the second-level
    /// cache, if not always in the first). Empty when entries cannot go stale
    /// ([`Agents::forgo_stamps`]): every entry then stands.
    stamps: Vec<u32>,
    /// Whether no stamps are kept (see [`Agents::forgo_stamps`]).
    stampless: bool,
    idle: VecDeque<(AgentId, u32)>,
    /// With departments, the same idle line split by skill group (empty without).
    by_group: GroupLines,
    /// Whether the whole idle line is kept beside the groups' (it always is without groups).
    whole_line: bool,
    /// The idle line of agents reserved for callbacks.
    idle_reserved: VecDeque<(AgentId, u32)>,
    /// Agents in [`AgentState::Idle`].
    idle_count: u32,
}

impl Agents {
    /// `count` idle agents, keeping capacity. Agent 0 counts as idle longest.
    pub fn reset(&mut self, count: u32) {
        self.agents.truncate(count as usize);
        self.agents.resize_with(count as usize, Agent::default);
        for (i, a) in self.agents.iter_mut().enumerate() {
            let mut owned = std::mem::take(&mut a.owned);
            owned.clear();
            *a = Agent {
                morale: 1.0,
                owned,
                group: self.by_group.group_of(i).map_or(Agent::WIDE_GROUP, |g| {
                    // Group 65,535 itself reads as `WIDE_GROUP` and is looked up too.
                    u16::try_from(g).unwrap_or(Agent::WIDE_GROUP)
                }),
                ..Agent::default()
            };
        }
        self.stamps.clear();
        if !self.stampless {
            self.stamps.resize(count as usize, 0);
        }
        self.idle.clear();
        if self.whole_line || self.by_group.is_empty() {
            self.idle.extend((0..count).map(|i| (AgentId(i), 0)));
        }
        self.by_group.reset(count);
        self.idle_count = count;
        self.idle_reserved.clear();
    }

    /// Splits the idle line by skill group: `group_of` gives each agent's group (kept across
    /// replications).
    pub fn set_skill_groups(&mut self, group_of: Vec<u32>, groups: usize, whole_line: bool) {
        self.by_group = GroupLines::new(group_of, groups);
        self.whole_line = whole_line;
    }

    /// Keeps no stamps from the next [`Agents::reset`] on, when no agent can leave idleness
    /// but through the one line it waits in: nothing else takes idle agents (the plain path,
    /// [`super::sim::Simulation`]'s `plain`) and an agent waits in one line only (no whole
    /// line beside the groups'). Entries then never go stale, and a call no longer reads and
    /// writes its agent's stamp: on the floor of 10,000 agents that is two cache misses per
    /// call (cachegrind) that the single queue of 5,000, whose stamps stay in the cache,
    /// hardly pays.
    pub fn forgo_stamps(&mut self) {
        self.stampless = !self.whole_line || self.by_group.is_empty();
    }

    /// Reserves agent `agent` for callbacks: it leaves the inbound idle line for its own.
    pub fn reserve(&mut self, agent: AgentId) {
        debug_assert!(
            !self.stampless,
            "reserved agents wait in a line of their own"
        );
        self.agents[agent.0 as usize].reserved = true;
        let stamp = Self::bump(&mut self.stamps, agent);
        self.idle_reserved.push_back((agent, stamp));
    }

    /// Moves the agent's stamp on, so that its idle-line entries go stale; returns the new one.
    #[inline(always)]
    pub(super) fn bump(stamps: &mut [u32], agent: AgentId) -> u32 {
        match stamps.get_mut(agent.0 as usize) {
            Some(s) => {
                *s = s.wrapping_add(1);
                *s
            }
            None => 0, // no stamps kept
        }
    }

    /// Takes the longest-idle agent reserved for callbacks.
    #[inline]
    pub fn take_longest_idle_reserved(&mut self) -> Option<AgentId> {
        Self::take_from(&mut self.idle_reserved, &mut self.stamps, false)
    }

    /// `agent`'s skill group; `None` without departments. Read from the agent's own line,
    /// which its caller has just touched (a floor's map of agents to groups does not stay in
    /// the first-level cache).
    #[inline(always)]
    pub fn skill_group(&self, agent: AgentId) -> Option<u32> {
        match self.agents[agent.0 as usize].group {
            Agent::WIDE_GROUP => self.by_group.group_of(agent.0 as usize),
            g => Some(u32::from(g)),
        }
    }

    /// Number of agents (managers who take calls included).
    pub fn count(&self) -> u32 {
        self.agents.len() as u32
    }

    /// Whether an idle-line entry still stands: its agent has been idle since the entry was
    /// made (every move into or out of idleness moves the stamp on).
    #[inline(always)]
    pub(super) fn live(stamps: &[u32], (id, stamp): (AgentId, u32)) -> bool {
        stamps.get(id.0 as usize).is_none_or(|&s| s == stamp)
    }

    /// Takes the first live entry of `line`; with skill groups (`grouped`) the agent's entry
    /// in its group's line goes stale at once (without, the agent has no other live entry,
    /// and its stamp moves on when it starts the work it was taken for).
    #[inline]
    fn take_from(
        line: &mut VecDeque<(AgentId, u32)>,
        stamps: &mut [u32],
        grouped: bool,
    ) -> Option<AgentId> {
        while let Some(entry) = line.pop_front() {
            if Self::live(stamps, entry) {
                if grouped {
                    Self::bump(stamps, entry.0);
                }
                return Some(entry.0);
            }
        }
        None
    }

    /// The longest-idle inbound agent, left in the idle line (stale entries in front of it
    /// are dropped).
    #[inline]
    pub fn peek_longest_idle(&mut self) -> Option<AgentId> {
        debug_assert!(
            self.whole_line || self.by_group.is_empty(),
            "the whole idle line is kept for work that any agent may take"
        );
        while let Some(&entry) = self.idle.front() {
            if Self::live(&self.stamps, entry) {
                return Some(entry.0);
            }
            self.idle.pop_front();
        }
        None
    }

    /// Takes the longest-idle inbound agent of the skill groups `groups` (see
    /// [`GroupLines::take_longest_in`]): the same agent as the first one of those groups in the
    /// whole line.
    #[inline]
    pub fn take_longest_idle_in(&mut self, groups: &[u32]) -> Option<AgentId> {
        // The group's new front is the agent its next call most likely goes to, and on a
        // large floor that agent's line left the cache when it went idle: ask for it now
        // (floor of 10,000 agents: about 3 % less time per arrival; the single queue's idle
        // line, asked the same way, measured no faster, so it is not).
        let (agents, prefetch) = (&self.agents, self.worth_prefetching());
        self.by_group
            .take_longest_in(groups, &mut self.stamps, |next| {
                if prefetch {
                    Self::prefetch_in(agents, next);
                }
            })
    }

    /// Takes the longest-idle inbound agent out of the idle line (the caller sets the new
    /// state).
    #[inline]
    pub fn take_longest_idle(&mut self) -> Option<AgentId> {
        debug_assert!(
            self.whole_line || self.by_group.is_empty(),
            "the whole idle line is kept for work that any agent may take"
        );
        Self::take_from(&mut self.idle, &mut self.stamps, !self.by_group.is_empty())
    }

    /// Moves `agent` to `activity`; returns the activity it left.
    #[inline]
    pub fn set_activity(&mut self, agent: AgentId, activity: Activity) -> Activity {
        let to_idle = activity.is_idle();
        let from = std::mem::replace(&mut self.agents[agent.0 as usize].activity, activity);
        if from.is_idle() && !to_idle {
            Self::bump(&mut self.stamps, agent);
        }
        self.idle_count = self.idle_count + u32::from(to_idle) - u32::from(from.is_idle());
        from
    }

    /// Agents idle now (reserved ones included).
    pub fn idle_count(&self) -> u32 {
        self.idle_count
    }

    /// Puts an agent at the back of the idle line; returns the activity it left. Always
    /// inlined: it runs once per call, and calling it cost the textbook queue 0.6 % more
    /// instructions.
    #[inline(always)]
    pub fn make_idle(&mut self, agent: AgentId) -> Activity {
        let from = self.set_activity(agent, Activity::Idle);
        let stamp = Self::bump(&mut self.stamps, agent);
        let count = self.agents.len();
        let reserved = self.agents[agent.0 as usize].reserved;
        if reserved {
            Self::push_idle(&mut self.idle_reserved, (agent, stamp), &self.stamps, count);
            return from;
        }
        if self.by_group.is_empty() {
            Self::push_idle(&mut self.idle, (agent, stamp), &self.stamps, count);
        } else {
            if self.whole_line {
                Self::push_idle(&mut self.idle, (agent, stamp), &self.stamps, count);
            }
            let group = self
                .skill_group(agent)
                .expect("with skill groups every agent has one");
            self.by_group.push(agent, group, stamp, &self.stamps);
        }
        from
    }

    /// Appends an entry to `line`, dropping its stale entries when they pile up.
    #[inline(always)]
    fn push_idle(
        line: &mut VecDeque<(AgentId, u32)>,
        entry: (AgentId, u32),
        stamps: &[u32],
        agents: usize,
    ) {
        line.push_back(entry);
        if line.len() > 4 * agents + 16 {
            Self::compact(line, stamps);
        }
    }

    /// Many agents left idleness for other work: drops the stale entries at once.
    #[cold]
    #[inline(never)]
    fn compact(line: &mut VecDeque<(AgentId, u32)>, stamps: &[u32]) {
        line.retain(|&entry| Self::live(stamps, entry));
    }

    /// Whether any agent has work in hand or slacks: neither idle, nor away, nor off duty
    /// (scans: call it rarely).
    pub fn any_at_work(&self) -> bool {
        self.agents.iter().any(|a| {
            !matches!(
                a.activity,
                Activity::Idle | Activity::Away | Activity::OffDuty
            )
        })
    }

    /// Whether the agents' hot lines (64 bytes each) outgrow a quarter of a common 1 MiB
    /// second-level cache, from 4,096 agents. Below that an agent is still in the cache when
    /// its call ends: the 5,000-agent single queue gained nothing from the hint, and on the
    /// 50-agent yardstick it measured 1 to 2 % slower (within this machine's noise).
    #[inline(always)]
    pub fn worth_prefetching(&self) -> bool {
        self.agents.len() >= 4096
    }

    /// Asks the processor to bring `agent`'s hot line into the cache: an agent whose call ends
    /// was last touched when it began, long enough ago on a large floor for the line to have
    /// left the cache, and the event that ends it is known one event in advance. Does nothing
    /// on processors other than x86-64.
    #[inline(always)]
    pub fn prefetch(&self, agent: AgentId) {
        Self::prefetch_in(&self.agents, agent);
    }

    /// [`Agents::prefetch`] on the agents alone, for when another field is borrowed.
    #[inline(always)]
    fn prefetch_in(agents: &[Agent], agent: AgentId) {
        if let Some(a) = agents.get(agent.0 as usize) {
            super::prefetch::line(a);
        }
    }

    /// One agent.
    #[inline]
    pub fn get(&self, agent: AgentId) -> &Agent {
        &self.agents[agent.0 as usize]
    }

    /// Mutable state of one agent.
    #[inline]
    pub fn get_mut(&mut self, agent: AgentId) -> &mut Agent {
        &mut self.agents[agent.0 as usize]
    }
}
