//! Departments, skills and transfers (issue #9): one department is the earlier model, agents
//! answer only their departments, and a transfer adds exactly the configured handling.

use std::collections::HashMap;

use callsim::engine::{AgentState, AnsweredContact, Observer, Simulation};
use callsim::kpi::Kpi;

use crate::common::scenario;

/// Two classes: `agents` is the `[agents]` section's text, `billing` and `technical` are extra
/// keys of each class, and `patience` goes into both.
fn floor(agents: &str, billing: &str, technical: &str, patience: &str) -> String {
    format!(
        "horizon = \"6h\"\n[arrivals]\nrate = \"200/h\"\n\
         [[callers]]\nname = \"billing\"\nshare = 0.6\n{billing}\n{patience}\n\
         handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n\
         [[callers]]\nname = \"technical\"\nshare = 0.4\n{technical}\n{patience}\n\
         handle_time = {{ dist = \"exponential\", mean = \"6m\" }}\n\
         [agents]\n{agents}\n"
    )
}

const PATIENCE: &str = "patience = { dist = \"exponential\", mean = \"3m\" }";

#[test]
fn one_department_is_the_earlier_model() {
    let plain = scenario(&floor("count = 20", "", "", PATIENCE));
    let one = scenario(&floor(
        "count = 20\nskills = [{ agents = 20, departments = [\"all\"] }]",
        "department = \"all\"",
        "department = \"all\"",
        PATIENCE,
    ));
    for replication in 0..4 {
        let a = callsim::experiment::run_replication(&plain, 5, replication);
        let b = callsim::experiment::run_replication(&one, 5, replication);
        assert_eq!(a.overall, b.overall);
        assert_eq!(a.by_class, b.by_class);
    }
}

const SKILLS: &str = "count = 20\nskills = [{ agents = 9, departments = [\"billing\"] }, \
                      { agents = 8, departments = [\"technical\"] }, \
                      { agents = 3, departments = [\"technical\", \"billing\"] }]";

/// Who answered which class, busy agent time, and each transferred caller's transfer time.
#[derive(Default)]
struct Ledger {
    answered_by: Vec<(u32, usize)>,
    busy: u32,
    busy_time: f64,
    last: f64,
    transferred: HashMap<u64, f64>,
    waits_after_transfer: Vec<(f64, f64)>,
    offered: u64,
    answered: u64,
    abandoned: u64,
}

impl Observer for Ledger {
    fn contact_offered(&mut self, _: f64, _: usize) {
        self.offered += 1;
    }
    fn contact_answered(&mut self, c: &AnsweredContact) {
        self.answered += 1;
        self.answered_by.push((c.agent, c.class));
        if let Some(&t) = self.transferred.get(&c.arrival.to_bits()) {
            self.waits_after_transfer
                .push((c.answered - c.arrival, t - c.arrival));
        }
    }
    fn contact_abandoned(&mut self, _: f64, _: f64, _: usize) {
        self.abandoned += 1;
    }
    fn contact_transferred(&mut self, time: f64, arrival: f64, _: usize) {
        self.transferred.insert(arrival.to_bits(), time);
    }
    fn agent_state_changes(&mut self, t: f64, _: u32, from: AgentState, to: AgentState) {
        self.busy_time += f64::from(self.busy) * (t - self.last);
        self.last = t;
        self.busy = self.busy + u32::from(to.is_busy()) - u32::from(from.is_busy());
    }
}

#[test]
fn agents_answer_only_their_departments_and_every_call_ends_once() {
    let misroute = "misroute = { probability = 0.2, transfer_time = { dist = \"exponential\", mean = \"1m\" } }";
    // Technical cases are not always solved at once: status calls come back to technical too.
    let follow_up = "first_contact_resolution = 0.6\nfollow_up = { promise = \"1h\", \
                     work = { dist = \"exponential\", mean = \"5m\" }, \
                     tolerance = { dist = \"exponential\", mean = \"20m\" } }";
    let s = scenario(&floor(
        SKILLS,
        &format!("department = \"billing\"\n{misroute}"),
        &format!("department = \"technical\"\n{misroute}\n{follow_up}"),
        PATIENCE,
    ));
    let mut sim = Simulation::new(&s);
    let mut ledger = Ledger::default();
    sim.run(3, 0, &mut ledger);
    let status_calls = callsim::experiment::run_replication(&s, 3, 0)
        .overall
        .get(Kpi::StatusCalls);
    assert!(status_calls > 20.0, "{status_calls} status calls");
    assert!(
        ledger.transferred.len() > 50,
        "{} transfers",
        ledger.transferred.len()
    );
    for &(agent, class) in &ledger.answered_by {
        let department = s.callers[class].department;
        assert!(
            s.agents.skills[agent as usize].contains(&department),
            "agent {agent} answered a call of {}",
            s.callers[class].name
        );
    }
    assert_eq!(ledger.offered, ledger.answered + ledger.abandoned);
    // A transferred caller's wait counts from the first ring, transfer talk included.
    for &(wait, transfer) in &ledger.waits_after_transfer {
        assert!(
            wait >= transfer && transfer > 0.0,
            "wait {wait} < {transfer}"
        );
    }
    let kpis = callsim::experiment::run_replication(&s, 3, 0).overall;
    assert_eq!(kpis.get(Kpi::Transfers), ledger.transferred.len() as f64);
}

#[test]
fn a_transfer_adds_exactly_the_configured_handling() {
    // Nobody gives up, so the same callers are all answered, each after the same talk, with
    // and without misroutes; the only extra agent time is one minute per transfer.
    let misroute = "misroute = { probability = 0.15, transfer_time = { dist = \"deterministic\", value = \"1m\" } }";
    let with = scenario(&floor(
        SKILLS,
        &format!("department = \"billing\"\n{misroute}"),
        &format!("department = \"technical\"\n{misroute}"),
        "",
    ));
    let without = scenario(&floor(
        SKILLS,
        "department = \"billing\"",
        "department = \"technical\"",
        "",
    ));
    for replication in 0..3 {
        let run = |s: &callsim::model::Scenario| {
            let mut ledger = Ledger::default();
            Simulation::new(s).run(9, replication, &mut ledger);
            ledger
        };
        let (a, b) = (run(&with), run(&without));
        assert!(!a.transferred.is_empty());
        assert_eq!(a.answered, b.answered);
        let extra = a.busy_time - b.busy_time;
        let expected = 60.0 * a.transferred.len() as f64;
        assert!(
            (extra - expected).abs() < 1e-6 * expected,
            "extra agent time {extra} s, {} transfers",
            a.transferred.len()
        );
    }
}
