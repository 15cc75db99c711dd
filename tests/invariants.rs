//! Invariants that hold for any scenario: every contact ends exactly once, time never runs
//! backwards, waits are never negative, busy agents never exceed the agents there are.

use callsim::engine::{AgentState, AnsweredContact, Contact, Observer, SimTime, Simulation};

use crate::common::scenario;

#[derive(Default)]
struct Checker {
    agents: u32,
    last_time: f64,
    offered: u64,
    answered: u64,
    abandoned: u64,
    max_busy: u32,
    busy: u32,
    violations: Vec<String>,
}

impl Checker {
    fn tick(&mut self, now: SimTime) {
        let time = now.secs();
        if time < self.last_time || !time.is_finite() {
            self.violations
                .push(format!("time went from {} to {time}", self.last_time));
        }
        self.last_time = time;
    }
}

impl Observer for Checker {
    fn contact_offered(&mut self, now: SimTime, _class: usize) {
        self.tick(now);
        self.offered += 1;
    }
    fn contact_answered(&mut self, c: &AnsweredContact) {
        self.tick(c.answered);
        self.answered += 1;
        if c.answered < c.arrival {
            self.violations
                .push(format!("negative wait {}", c.answered - c.arrival));
        }
    }
    fn contact_abandoned(&mut self, now: SimTime, c: Contact) {
        self.tick(now);
        self.abandoned += 1;
        if now < c.arrival {
            self.violations
                .push(format!("negative wait {}", now - c.arrival));
        }
    }
    fn agent_state_changes(&mut self, now: SimTime, _agent: u32, from: AgentState, to: AgentState) {
        self.tick(now);
        self.busy = if to == AgentState::Idle {
            self.busy - 1
        } else if from == AgentState::Idle {
            self.busy + 1
        } else {
            self.busy
        };
        let busy = self.busy;
        self.max_busy = self.max_busy.max(busy);
        if busy > self.agents {
            self.violations
                .push(format!("{busy} busy of {} agents", self.agents));
        }
    }
    fn queue_length(&mut self, now: SimTime, _waiting: u32) {
        self.tick(now);
    }
}

#[test]
fn every_contact_ends_exactly_once_and_time_is_monotone() {
    let variants = [
        // Overloaded with impatient callers and after-call work; several classes and priorities.
        (6u32, "90/h", "{ dist = \"exponential\", mean = \"1m\" }"),
        // Patience zero: whoever must wait hangs up at once (ties at equal times).
        (4, "60/h", "{ dist = \"deterministic\", value = 0 }"),
        // Deterministic everything: many events at identical times.
        (2, "30/h", "{ dist = \"deterministic\", value = \"2m\" }"),
    ];
    for (agents, rate, patience) in variants {
        let s = scenario(&format!(
            r#"
            horizon = "6h"
            [arrivals]
            rate = "{rate}"
            [[callers]]
            name = "x"
            share = 0.3
            priority = 2
            patience = {patience}
            handle_time = {{ dist = "deterministic", value = "4m" }}
            after_call_work = {{ dist = "deterministic", value = "30s" }}
            [[callers]]
            name = "y"
            share = 0.7
            patience = {patience}
            handle_time = {{ dist = "lognormal", mean = "4m", cv = 1.5 }}
            [agents]
            count = {agents}
            "#
        ));
        let mut sim = Simulation::new(&s);
        for r in 0..20 {
            let mut c = Checker {
                agents,
                ..Checker::default()
            };
            sim.run(3, r, &mut c).expect("the run ends");
            assert!(
                c.violations.is_empty(),
                "{rate}: {:?}",
                &c.violations[..c.violations.len().min(5)]
            );
            assert!(c.offered > 0);
            assert_eq!(
                c.offered,
                c.answered + c.abandoned,
                "{rate} replication {r}"
            );
            assert_eq!(c.max_busy, agents, "{rate}: the floor never filled up");
        }
    }
}

#[test]
fn kpis_respect_their_definitions() {
    let s = scenario(
        r#"
        horizon = "8h"
        warmup = "1h"
        [arrivals]
        profile = { interval = "1h", rates = ["20/h", "60/h", "90/h", "60/h", "40/h", "80/h", "50/h", "30/h"] }
        [[callers]]
        patience = { dist = "gamma", mean = "90s", cv = 0.7 }
        handle_time = { dist = "exponential", mean = "5m" }
        [agents]
        count = 5
        "#,
    );
    let r = crate::common::run(&s, 30, 17);
    use callsim::kpi::Kpi;
    for v in &r.per_replication {
        assert_eq!(
            v.get(Kpi::Offered),
            v.get(Kpi::Answered) + v.get(Kpi::Abandoned)
        );
        for k in Kpi::ALL.into_iter().filter(|k| k.is_share()) {
            let x = v.get(k);
            // Undefined (NaN) where nothing was counted, e.g. on-time share without follow-ups.
            assert!(x.is_nan() || (0.0..=1.0).contains(&x), "{} = {x}", k.key());
        }
        // The answered callers' waits are part of all callers' waits, and none is negative.
        let answered_waits = v.get(Kpi::AsaS) * v.get(Kpi::Answered);
        let all_waits = v.get(Kpi::MeanWaitS) * v.get(Kpi::Offered);
        assert!(v.get(Kpi::AsaS) >= 0.0, "ASA {}", v.get(Kpi::AsaS));
        assert!(
            answered_waits <= all_waits * (1.0 + 1e-12),
            "answered callers waited {answered_waits} s, all callers {all_waits} s"
        );
        assert!(
            v.get(Kpi::WaitP50S) <= v.get(Kpi::WaitP90S)
                && v.get(Kpi::WaitP90S) <= v.get(Kpi::WaitP99S)
        );
        assert!(v.get(Kpi::ServiceLevel) <= 1.0 - v.get(Kpi::AbandonmentRate) + 1e-12);
    }
    // Offered calls in the window match the profile's expected count (hours 1..8).
    let expected = s.arrivals.expected_arrivals(s.horizon) - s.arrivals.expected_arrivals(s.warmup);
    let e = r.overall.get(Kpi::Offered).unwrap();
    assert!(
        (e.mean - expected).abs() < 4.0 * e.std_error(),
        "{} vs {expected}",
        e.mean
    );
}
