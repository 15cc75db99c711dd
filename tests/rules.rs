//! Behaviour tests of model rules that golden files alone used to guard: longest-idle routing,
//! the warm-up window and the service level's denominator. Each watches the engine through an
//! observer of its own and states the rule directly, so that a change of the rule fails here
//! with a message that names it.

use callsim::engine::{AgentState, AnsweredContact, Contact, Observer, SimTime, Simulation};
use callsim::kpi::Kpi;

use crate::common::{run, scenario};

/// Watches who leaves the idle line for a call: every idle-to-talking move must take, among the
/// idle agents who serve the call's department, the one idle the longest.
#[derive(Default)]
struct IdleLine {
    /// Idle agents, longest idle first.
    idle: Vec<u32>,
    /// The agent just taken from the idle line, with the agents idle longer than them.
    taken: Option<(u32, Vec<u32>)>,
    /// Departments each agent serves (empty: a single queue).
    serves: Vec<Vec<u8>>,
    /// Department of each caller class.
    department: Vec<u8>,
    checked: u64,
    violations: Vec<String>,
}

impl Observer for IdleLine {
    fn agent_state_changes(&mut self, now: SimTime, agent: u32, from: AgentState, to: AgentState) {
        let time = now.secs();
        if to == AgentState::Idle {
            self.idle.push(agent);
        }
        if from == AgentState::Idle {
            let at = self.idle.iter().position(|&a| a == agent).expect("idle");
            let before = self.idle[..at].to_vec();
            self.idle.remove(at);
            if to == AgentState::Talking {
                self.taken = Some((agent, before));
            } else {
                self.violations
                    .push(format!("{time}: agent {agent} left idle for {to:?}"));
            }
        }
    }

    fn contact_answered(&mut self, c: &AnsweredContact) {
        let Some((agent, before)) = self.taken.take() else {
            return; // a freed agent took a waiting caller: no idle line involved
        };
        assert_eq!(agent, c.agent);
        let department = self.department[c.class];
        let serves = |a: u32| {
            self.serves
                .get(a as usize)
                .is_none_or(|s| s.contains(&department))
        };
        self.checked += 1;
        if let Some(&longer) = before.iter().find(|&&a| serves(a)) {
            self.violations.push(format!(
                "{}: agent {agent} took the call although agent {longer} had been idle longer",
                c.answered
            ));
        }
    }
}

/// Four hours of two departments, `a` and `b`, with a caller class each (half the calls,
/// exponential talk of 4 and 6 minutes, patience of 2 minutes); `top` adds top-level keys.
fn two_departments(top: &str, calls_per_hour: u32, agents: u32, skills: &str) -> String {
    format!(
        r#"
        horizon = "4h"
        {top}
        [arrivals]
        rate = "{calls_per_hour}/h"
        [[callers]]
        name = "a"
        share = 0.5
        department = "a"
        patience = {{ dist = "exponential", mean = "2m" }}
        handle_time = {{ dist = "exponential", mean = "4m" }}
        [[callers]]
        name = "b"
        share = 0.5
        department = "b"
        patience = {{ dist = "exponential", mean = "2m" }}
        handle_time = {{ dist = "exponential", mean = "6m" }}
        [agents]
        count = {agents}
        skills = {skills}
        "#
    )
}

fn check_idle_line(text: &str) {
    let s = scenario(text);
    let serves = s.agents.skills.clone();
    let department: Vec<u8> = s.callers.iter().map(|c| c.department).collect();
    let mut sim = Simulation::new(&s);
    for replication in 0..4 {
        // Every agent starts idle, in roster order (no state change is reported for that).
        let mut line = IdleLine {
            idle: (0..s.agents.count).collect(),
            serves: serves.clone(),
            department: department.clone(),
            ..IdleLine::default()
        };
        sim.run(7, replication, &mut line).unwrap();
        assert!(line.violations.is_empty(), "{:?}", &line.violations[..1]);
        // Enough calls found agents idle for the rule to have been exercised.
        assert!(
            line.checked > 100,
            "only {} calls met an idle agent",
            line.checked
        );
    }
}

#[test]
fn a_call_goes_to_the_agent_idle_longest() {
    check_idle_line(
        r#"
        horizon = "4h"
        [arrivals]
        rate = "50/h"
        [[callers]]
        patience = { dist = "exponential", mean = "2m" }
        handle_time = { dist = "exponential", mean = "5m" }
        after_call_work = { dist = "exponential", mean = "30s" }
        [agents]
        count = 6
        "#,
    );
}

#[test]
fn a_call_goes_to_the_agent_idle_longest_among_those_with_its_skill() {
    check_idle_line(&two_departments(
        "",
        80,
        9,
        r#"[
          { agents = 4, departments = ["a"] },
          { agents = 3, departments = ["b"] },
          { agents = 2, departments = ["b", "a"] },
        ]"#,
    ));
}

/// Counts what the warm-up window and the service level are defined over, independently of
/// the KPI collector: contacts that arrive in [warm-up, horizon).
#[derive(Default)]
struct Window {
    warmup: f64,
    horizon: f64,
    threshold: f64,
    offered: u64,
    answered: u64,
    within_threshold: u64,
    callbacks_accepted: u64,
}

impl Window {
    fn counts(&self, arrival: SimTime) -> bool {
        let t = arrival.secs();
        t >= self.warmup && t < self.horizon
    }
}

impl Observer for Window {
    fn contact_offered(&mut self, now: SimTime, _class: usize) {
        self.offered += u64::from(self.counts(now));
    }

    fn contact_answered(&mut self, c: &AnsweredContact) {
        if self.counts(c.arrival) {
            self.answered += 1;
            let wait = (c.answered - c.arrival).secs();
            self.within_threshold += u64::from(wait <= self.threshold);
        }
    }

    fn callback_offered(&mut self, _: SimTime, contact: Contact, accepted: bool) {
        self.callbacks_accepted += u64::from(accepted && self.counts(contact.arrival));
    }
}

/// Runs `s` on `seed` both through the experiment and with a [`Window`] per replication.
fn windows(s: &callsim::model::Scenario, replications: u32, seed: u64) -> Vec<(Window, [f64; 4])> {
    let result = run(s, replications, seed);
    let mut sim = Simulation::new(s);
    result
        .per_replication
        .iter()
        .enumerate()
        .map(|(i, kpis)| {
            let mut w = Window {
                warmup: s.warmup,
                horizon: s.horizon,
                threshold: s.service_level_threshold,
                ..Window::default()
            };
            sim.run(seed, i as u64, &mut w).unwrap();
            let got = [
                Kpi::Offered,
                Kpi::Answered,
                Kpi::ServiceLevel,
                Kpi::ServiceLevelOffered,
            ]
            .map(|k| kpis.get(k));
            (w, got)
        })
        .collect()
}

#[test]
fn only_contacts_arriving_after_the_warm_up_count() {
    // Calls come only in the first hour, which is the warm-up: they wait and are answered in
    // the window, yet none of them counts there. The second case, without warm-up, shows the
    // same calls do count when the window covers their arrival.
    let text = |warmup: &str| {
        format!(
            r#"
            horizon = "2h"
            warmup = "{warmup}"
            [arrivals]
            profile = {{ interval = "1h", rates = ["40/h", "0/h"] }}
            [[callers]]
            handle_time = {{ dist = "exponential", mean = "6m" }}
            [agents]
            count = 2
            "#
        )
    };
    for (w, [offered, answered, ..]) in windows(&scenario(&text("1h")), 6, 3) {
        assert_eq!((w.offered, offered), (0, 0.0), "a warm-up arrival counted");
        assert_eq!(answered, 0.0, "a call answered after the warm-up counted");
    }
    for (w, [offered, answered, ..]) in windows(&scenario(&text("0s")), 6, 3) {
        assert!(w.offered > 10);
        assert_eq!(offered, w.offered as f64);
        assert_eq!(answered, w.answered as f64);
    }
    // A warm-up in mid-day: exactly the arrivals at or after it count.
    let s = scenario(&text("30m"));
    for (w, [offered, answered, ..]) in windows(&s, 6, 3) {
        assert!(w.offered > 5 && w.offered < 40, "{}", w.offered);
        assert_eq!(offered, w.offered as f64);
        assert_eq!(answered, w.answered as f64);
    }
}

#[test]
fn the_service_level_leaves_accepted_callbacks_out_of_its_denominator() {
    let s = scenario(
        r#"
        horizon = "3h"
        warmup = "20m"
        service_level_threshold = "20s"
        [arrivals]
        rate = "110/h"
        [[callers]]
        patience = { dist = "exponential", mean = "90s" }
        handle_time = { dist = "exponential", mean = "4m" }
        callback_acceptance = 0.5
        [agents]
        count = 7
        [callbacks]
        offer_above = "60s"
        promise = "30m"
        policy = "inbound_first"
        "#,
    );
    let mut accepted = 0;
    for (w, [offered, _, sl, sl_offered]) in windows(&s, 8, 11) {
        assert_eq!(offered, w.offered as f64);
        let numerator = w.within_threshold as f64;
        let denominator = (w.offered - w.callbacks_accepted) as f64;
        assert_eq!(
            sl,
            numerator / denominator,
            "answered within ÷ (offered − accepted)"
        );
        assert_eq!(
            sl_offered,
            numerator / w.offered as f64,
            "answered within ÷ offered"
        );
        accepted += w.callbacks_accepted;
    }
    assert!(accepted > 20, "callbacks were accepted: {accepted}");
}

#[test]
fn a_department_counts_its_callers_talking_when_an_agent_goes_from_one_call_to_the_next() {
    // Ten agents serve both departments, each with far more lines than callers could ever
    // hold (500 each, against ten agents and a short queue): nobody may hear a busy signal.
    // With no wrap-up, an agent often goes from a call of one department straight to a call
    // of the other; the line counts must follow the call, not the agent.
    let s = scenario(&two_departments(
        "lines = { a = 500, b = 500 }",
        150,
        10,
        r#"[{ agents = 10, departments = ["a", "b"] }]"#,
    ));
    let r = run(&s, 6, 21);
    for v in &r.per_replication {
        assert!(v.get(Kpi::Offered) > 300.0);
        assert_eq!(v.get(Kpi::Blocked), 0.0, "busy signals with 500 lines free");
    }
}
