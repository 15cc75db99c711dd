//! Departments, skills and transfers (issue #9): one department is the earlier model, agents
//! answer only their departments, and a transfer adds exactly the configured handling.

use std::collections::HashMap;

use callsim::engine::{AgentState, AnsweredContact, Contact, Observer, SimTime, Simulation};
use callsim::kpi::{Kpi, ListedScope};

use crate::common::{callsim, scenario};

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
        let a = callsim::experiment::run_replication(&plain, 5, replication).expect("the run ends");
        let b = callsim::experiment::run_replication(&one, 5, replication).expect("the run ends");
        assert_eq!(a.overall, b.overall);
        assert_eq!(
            a.by_scope[ListedScope::Class],
            b.by_scope[ListedScope::Class]
        );
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
    fn contact_offered(&mut self, _: SimTime, _: usize) {
        self.offered += 1;
    }
    fn contact_answered(&mut self, c: &AnsweredContact) {
        self.answered += 1;
        self.answered_by.push((c.agent, c.class));
        let arrival = c.arrival.secs();
        if let Some(&t) = self.transferred.get(&arrival.to_bits()) {
            self.waits_after_transfer
                .push(((c.answered - c.arrival).secs(), t - arrival));
        }
    }
    fn contact_abandoned(&mut self, _: SimTime, _: Contact) {
        self.abandoned += 1;
    }
    fn contact_transferred(&mut self, now: SimTime, c: Contact) {
        let arrival = c.arrival.secs();
        self.transferred.insert(arrival.to_bits(), now.secs());
    }
    fn agent_state_changes(&mut self, now: SimTime, _: u32, from: AgentState, to: AgentState) {
        let t = now.secs();
        self.busy_time += f64::from(self.busy) * (t - self.last);
        self.last = t;
        self.busy = self.busy + u32::from(to.is_busy()) - u32::from(from.is_busy());
    }
}

/// The two-department floor with misroutes on both sides; `technical_extra` adds lines to
/// the technical class.
fn misrouted_floor(technical_extra: &str) -> callsim::model::Scenario {
    let misroute = "misroute = { probability = 0.2, transfer_time = { dist = \"exponential\", mean = \"1m\" } }";
    scenario(&floor(
        SKILLS,
        &format!("department = \"billing\"\n{misroute}"),
        &format!("department = \"technical\"\n{misroute}\n{technical_extra}"),
        PATIENCE,
    ))
}

/// Runs replication 0 of `s` under `seed`, checking that many calls were transferred, that
/// every agent answered only calls of their departments and that every call ended once.
fn run_answering_only_skills(s: &callsim::model::Scenario, seed: u64) -> Ledger {
    let mut ledger = Ledger::default();
    Simulation::new(s)
        .run(seed, 0, &mut ledger)
        .expect("the run ends");
    assert!(ledger.answered > 500, "{} answered", ledger.answered);
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
    ledger
}

#[test]
fn agents_answer_only_their_departments_and_every_call_ends_once() {
    // Technical cases are not always solved at once: status calls come back to technical too.
    let follow_up = "first_contact_resolution = 0.6\nfollow_up = { promise = \"1h\", \
                     work = { dist = \"exponential\", mean = \"5m\" }, \
                     tolerance = { dist = \"exponential\", mean = \"20m\" } }";
    let s = misrouted_floor(follow_up);
    let ledger = run_answering_only_skills(&s, 3);
    let kpis = callsim::experiment::run_replication(&s, 3, 0)
        .expect("the run ends")
        .overall;
    let status_calls = kpis.get(Kpi::StatusCalls);
    assert!(status_calls > 20.0, "{status_calls} status calls");
    // A transferred caller's wait counts from the first ring, transfer talk included.
    for &(wait, transfer) in &ledger.waits_after_transfer {
        assert!(
            wait >= transfer && transfer > 0.0,
            "wait {wait} < {transfer}"
        );
    }
    assert_eq!(kpis.get(Kpi::Transfers), ledger.transferred.len() as f64);
}

/// Without follow-ups, managers, callbacks or shifts, a free agent's work choice takes the
/// engine's plain path; with departments it must still answer only its skills, in order.
#[test]
fn on_the_plain_path_too_agents_answer_only_their_departments() {
    run_answering_only_skills(&misrouted_floor(""), 5);
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
            Simulation::new(s)
                .run(9, replication, &mut ledger)
                .expect("the run ends");
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

#[test]
fn a_department_reports_its_classes_together() {
    // Billing has two classes (regular and VIP, served first); technical one.
    let text = floor(
        SKILLS,
        "department = \"billing\"",
        "department = \"technical\"",
        PATIENCE,
    )
    .replace(
        "[[callers]]\nname = \"technical\"",
        "[[callers]]\nname = \"vip\"\nshare = 0.1\npriority = 1\ndepartment = \"billing\"\n\
             patience = { dist = \"exponential\", mean = \"3m\" }\n\
             handle_time = { dist = \"exponential\", mean = \"4m\" }\n\
             [[callers]]\nname = \"technical\"",
    )
    .replace("share = 0.4", "share = 0.3");
    let s = scenario(&text);
    let r = crate::common::run(&s, 10, 2);
    assert_eq!(r.by_scope[ListedScope::Department].len(), 2);
    let billing = &r.by_scope[ListedScope::Department][0];
    assert_eq!(billing.name, "billing");
    let class = |name: &str| r.by_class().iter().find(|c| c.name == name).unwrap();
    for kpi in [Kpi::Offered, Kpi::Answered, Kpi::Abandoned] {
        let sum = class("billing").get(kpi).unwrap().mean + class("vip").get(kpi).unwrap().mean;
        let department = billing.get(kpi).unwrap().mean;
        assert!(
            (department - sum).abs() < 1e-9,
            "{}: {department} vs {sum}",
            kpi.key()
        );
    }
    // The VIPs' better service shows in the department's service level, between the two.
    let sl = |scope: &callsim::experiment::ScopeResult| scope.get(Kpi::ServiceLevel).unwrap().mean;
    let (regular, vip, department) = (sl(class("billing")), sl(class("vip")), sl(billing));
    assert!(
        regular < department && department < vip,
        "{regular} {department} {vip}"
    );
    // The table shows the departments beside the classes.
    let table = callsim::report::table(&r, "inline.toml", &[]);
    assert!(table.contains("dept billing") && table.contains("dept technical"));
}

#[test]
fn department_scopes_survive_shards_and_merge() {
    use crate::common::temp_dir;
    let dir = temp_dir("department_shards");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/departments.toml");
    let path = |name: &str| dir.join(name).display().to_string();
    let run = |args: &[&str]| {
        let out = callsim(args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let (one, a, b, merged) = (
        path("one.json"),
        path("a.part"),
        path("b.part"),
        path("m.json"),
    );
    let common = ["--replications", "12", "--quiet"];
    run(&[&["run", scenario, "--json", &one][..], &common].concat());
    for (shard, part) in [("1/2", &a), ("2/2", &b)] {
        run(&[
            &["run", scenario, "--shard", shard, "--partial", part][..],
            &common,
        ]
        .concat());
    }
    run(&["merge", &b, &a, "--quiet", "--json", &merged]);
    let (one, merged) = (
        std::fs::read_to_string(&one).unwrap(),
        std::fs::read_to_string(&merged).unwrap(),
    );
    assert!(one.contains("\"by_department\": {\n    \"billing\""));
    assert_eq!(one, merged);
}

#[test]
fn staffing_a_floor_with_departments_counts_heads_for_the_whole_floor() {
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/departments.toml");
    let out = callsim(&[
        "staff",
        scenario,
        "--service-level",
        "0.8",
        "--within",
        "30s",
        "--replications",
        "5",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("260"));
}

/// Two departments where every billing call reaches technical support first.
fn all_misrouted(after_transfer: &str, patience: &str) -> String {
    format!(
        "horizon = \"6h\"\nseed = 21\n[arrivals]\nrate = \"100/h\"\n\
         [[callers]]\nname = \"billing\"\nshare = 0.6\ndepartment = \"billing\"\n{patience}\n\
         handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n\
         misroute = {{ probability = 1.0, transfer_time = {{ dist = \"exponential\", mean = \"40s\" }} }}\n\
         {after_transfer}\n\
         [[callers]]\nname = \"technical\"\nshare = 0.4\ndepartment = \"technical\"\n{patience}\n\
         handle_time = {{ dist = \"exponential\", mean = \"5m\" }}\n\
         [agents]\ncount = 9\nskills = [{{ agents = 5, departments = [\"billing\"] }}, \
         {{ agents = 4, departments = [\"technical\"] }}]\n"
    )
}

/// Issue #16, item 6: factors of 1 change nothing, bit for bit.
#[test]
fn calm_callers_after_a_transfer_change_nothing() {
    let calm = "after_transfer = { patience_factor = 1.0, handle_factor = 1.0 }";
    let a = crate::common::run(&scenario(&all_misrouted("", PATIENCE)), 8, 3);
    let b = crate::common::run(&scenario(&all_misrouted(calm, PATIENCE)), 8, 3);
    assert!(a.per_replication == b.per_replication);
}

/// Agitated callers talk longer with the right department: every billing call is answered
/// there after its transfer, so its mean talk time scales by exactly the factor (the same
/// callers, on common random numbers).
#[test]
fn agitated_callers_talk_longer_by_the_handle_factor() {
    let run = |factor: &str| {
        let s = scenario(&all_misrouted(
            &format!("after_transfer = {{ handle_factor = {factor} }}"),
            "",
        ));
        let r = crate::common::run(&s, 6, 4);
        r.by_class()[0].get(Kpi::HandleTimeMeanS).unwrap().mean
    };
    let (calm, agitated) = (run("1.0"), run("1.5"));
    assert!(
        (agitated / calm - 1.5).abs() < 1e-9,
        "{agitated} against 1.5 × {calm}"
    );
}

/// Agitated callers give up sooner after the transfer: with a fixed patience of 60 s and a
/// factor of 0.5, everyone who hangs up after being put through does so 30 s later.
#[test]
fn agitated_callers_give_up_sooner_by_the_patience_factor() {
    let fixed = "patience = { dist = \"deterministic\", value = \"60s\" }";
    for (factor, expected) in [("1.0", 60.0), ("0.5", 30.0)] {
        let mut s = scenario(&all_misrouted(
            &format!("after_transfer = {{ patience_factor = {factor} }}"),
            fixed,
        ));
        // Few agents for billing, so that transferred callers wait long enough to hang up.
        s.agents.skills = [vec![vec![0u8]; 2], vec![vec![1u8]; 7]].concat();
        let t = callsim::experiment::trace(&s, s.seed, 0).unwrap();
        let mut put_through: HashMap<u64, f64> = HashMap::new();
        let mut gave_up = 0;
        for row in &t.rows {
            let Some(arrival) = row.caller_arrival else {
                continue;
            };
            match row.event {
                "transferred" => {
                    put_through.insert(arrival.to_bits(), row.time);
                }
                "abandoned" if row.class == Some(0) => {
                    if let Some(at) = put_through.get(&arrival.to_bits()) {
                        assert!(
                            (row.time - at - expected).abs() < 1e-6,
                            "factor {factor}: hung up {} s after the transfer",
                            row.time - at
                        );
                        gave_up += 1;
                    }
                }
                _ => {}
            }
        }
        assert!(
            gave_up > 10,
            "factor {factor}: only {gave_up} gave up after a transfer"
        );
    }
}
