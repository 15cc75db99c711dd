//! One replication's trace, cut into what the animated floor draws: each agent's states over
//! time, who watched whom, each caller's time in the queue and each callback's wait. Flat
//! arrays of numbers keep a day of a 77-agent floor under a megabyte.

use std::collections::HashMap;

use serde::Serialize;

use crate::engine::AgentState;
use crate::experiment::Trace;

/// How a caller's time in the queue ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Left {
    /// An agent answered.
    Answered = 0,
    /// The caller hung up.
    Abandoned = 1,
    /// The caller took a callback and hung up to wait for it.
    Callback = 2,
    /// Still waiting when the trace ended.
    Open = 3,
}

/// What the page animates. Times are seconds of simulated time.
#[derive(Debug, Clone, Serialize)]
pub struct Replay {
    /// The scenario's name.
    pub name: String,
    /// Agents on the floor (managers who take calls included).
    pub agents: u32,
    /// When the replication ended.
    pub end: f64,
    /// Seconds after midnight at time 0, for the clock.
    pub opens_s: f64,
    /// Whether the clock names the day.
    pub multi_day: bool,
    /// Agent state names, by code.
    pub states: Vec<&'static str>,
    /// Manager names, by index.
    pub managers: Vec<String>,
    /// Caller class names, by index.
    pub classes: Vec<String>,
    /// Agent state spells: `[agent, start, end, state code]` repeated.
    pub segments: Vec<f64>,
    /// Watching: `[agent, manager, start, end]` repeated.
    pub watches: Vec<f64>,
    /// Spells in the queue: `[since, left, how (Left), class]` repeated, by start; a transferred
    /// caller has a second spell, from the transfer.
    pub queue: Vec<f64>,
    /// Callbacks waiting: `[accepted, ended]` repeated.
    pub callbacks: Vec<f64>,
}

/// The state names, in [`AgentState`] code order.
pub const STATE_NAMES: [&str; AgentState::COUNT] = [
    "idle",
    "talk",
    "wrap-up",
    "follow-up",
    "slack",
    "status report",
    "callback",
    "away",
    "off duty",
    "outbound",
];

/// A caller's key in the trace: its class and arrival time, exactly.
fn key(class: Option<usize>, arrival: Option<f64>) -> Option<(usize, u64)> {
    Some((class?, arrival?.to_bits()))
}

/// The replay of `trace` of scenario `name`.
pub fn replay(name: &str, trace: &Trace) -> Replay {
    let mut segments = Vec::with_capacity(trace.segments.len() * 4);
    for s in &trace.segments {
        segments.extend([
            f64::from(s.agent),
            s.span.0,
            s.span.1,
            f64::from(s.state as u8),
        ]);
    }
    let mut watches = Vec::with_capacity(trace.watches.len() * 4);
    for w in &trace.watches {
        watches.extend([f64::from(w.agent), w.manager as f64, w.span.0, w.span.1]);
    }
    // Rows are in time order, so each caller's spell opens before it closes.
    let mut waiting: HashMap<(usize, u64), usize> = HashMap::new();
    let mut queue: Vec<[f64; 4]> = Vec::new();
    let mut pending: HashMap<(usize, u64), usize> = HashMap::new();
    let mut callbacks: Vec<[f64; 2]> = Vec::new();
    for row in &trace.rows {
        let caller = key(row.class, row.caller_arrival);
        let left = match row.event {
            // A transferred caller waits again, in the right department's queue.
            "offered" | "transferred" => {
                if let Some(k) = caller {
                    waiting.insert(k, queue.len());
                    queue.push([row.time, trace.end, Left::Open as u8 as f64, k.0 as f64]);
                }
                continue;
            }
            "answered" => Left::Answered,
            "abandoned" => Left::Abandoned,
            "callback_accepted" => {
                if let Some(class) = row.class {
                    pending.insert((class, row.time.to_bits()), callbacks.len());
                    callbacks.push([row.time, trace.end]);
                }
                Left::Callback
            }
            // A callback's key is its acceptance time.
            "callback_ends" => {
                if let Some(i) = caller.and_then(|k| pending.remove(&k)) {
                    callbacks[i][1] = row.time;
                }
                continue;
            }
            _ => continue,
        };
        if let Some(i) = caller.and_then(|k| waiting.remove(&k)) {
            queue[i][1] = row.time;
            queue[i][2] = f64::from(left as u8);
        }
    }
    Replay {
        name: name.to_string(),
        agents: trace.agents,
        end: trace.end,
        opens_s: trace.clock.opens_s,
        multi_day: trace.clock.multi_day,
        states: STATE_NAMES.to_vec(),
        managers: trace.managers.clone(),
        classes: trace.classes.clone(),
        segments,
        watches,
        queue: queue.into_iter().flatten().collect(),
        callbacks: callbacks.into_iter().flatten().collect(),
    }
}
