//! Simulation against closed-form theory: Erlang C, Erlang A and Cobham's priority formula,
//! from one agent to a hundred, light to heavy load. Tolerances come from the standard error
//! across replications (see `common::ALPHA`); seeds are fixed so the suite is deterministic.

use callsim::theory::{ErlangA, ErlangC, LineLimited, erlang_b, priority_waits};

use crate::common::{assert_agrees, run, scenario};

/// An M/M/c (+M when `patience_s` is given) scenario.
fn mmc(
    agents: u32,
    calls_per_hour: f64,
    handle_s: f64,
    patience_s: Option<f64>,
    hours: f64,
    warmup_h: f64,
) -> String {
    let patience = patience_s
        .map(|p| format!("patience = {{ dist = \"exponential\", mean = \"{p}s\" }}"))
        .unwrap_or_default();
    format!(
        r#"
        name = "M/M/{agents} at {calls_per_hour}/h"
        horizon = "{total}h"
        warmup = "{warmup_h}h"
        service_level_threshold = "20s"
        [arrivals]
        rate = "{calls_per_hour}/h"
        [[callers]]
        handle_time = {{ dist = "exponential", mean = "{handle_s}s" }}
        {patience}
        [agents]
        count = {agents}
        "#,
        total = hours + warmup_h
    )
}

fn check_erlang_c(
    agents: u32,
    load: f64,
    handle_s: f64,
    hours: f64,
    warmup_h: f64,
    reps: u32,
    seed: u64,
) {
    let lambda = load / handle_s;
    let s = scenario(&mmc(
        agents,
        lambda * 3600.0,
        handle_s,
        None,
        hours,
        warmup_h,
    ));
    let r = run(&s, reps, seed);
    let exact = ErlangC::new(agents, lambda, 1.0 / handle_s).unwrap();
    assert_agrees(&r, "all", "p_wait", exact.p_wait);
    assert_agrees(&r, "all", "asa_s", exact.mean_wait_s);
    assert_agrees(&r, "all", "mean_wait_s", exact.mean_wait_s);
    assert_agrees(&r, "all", "service_level", exact.service_level(20.0));
    assert_agrees(&r, "all", "occupancy", exact.occupancy);
    assert_agrees(&r, "all", "queue_length_mean", exact.queue_length_mean);
}

#[test]
fn erlang_c_single_agent_mm1() {
    // ρ = 0.7: P(wait) = 0.7, Wq = 140 s with a 60 s handle time.
    check_erlang_c(1, 0.7, 60.0, 60.0, 3.0, 40, 101);
}

#[test]
fn erlang_c_ten_agents_heavy_load() {
    check_erlang_c(10, 9.0, 240.0, 100.0, 6.0, 40, 102);
}

#[test]
fn erlang_c_hundred_agents_moderate_and_heavy_load() {
    // Not lighter than 85 %: at 70 % only 1 call in 2,000 waits, the waits come in rare bursts,
    // and 40 replications are too few for a normal-theory interval on such a rare event.
    check_erlang_c(100, 85.0, 240.0, 24.0, 1.0, 40, 103);
    check_erlang_c(100, 95.0, 240.0, 48.0, 4.0, 40, 104);
}

fn check_erlang_a(
    agents: u32,
    load: f64,
    handle_s: f64,
    patience_s: f64,
    hours: f64,
    reps: u32,
    seed: u64,
) {
    let lambda = load / handle_s;
    let s = scenario(&mmc(
        agents,
        lambda * 3600.0,
        handle_s,
        Some(patience_s),
        hours,
        2.0,
    ));
    let r = run(&s, reps, seed);
    let exact = ErlangA::new(agents, lambda, 1.0 / handle_s, 1.0 / patience_s).unwrap();
    assert_agrees(&r, "all", "p_wait", exact.p_wait);
    assert_agrees(&r, "all", "abandonment_rate", exact.p_abandon);
    assert_agrees(&r, "all", "mean_wait_s", exact.mean_wait_s);
    assert_agrees(&r, "all", "asa_s", exact.asa_s);
    assert_agrees(&r, "all", "service_level", exact.service_level(20.0));
    assert_agrees(&r, "all", "occupancy", exact.occupancy);
    assert_agrees(&r, "all", "queue_length_mean", exact.queue_length_mean);
}

#[test]
fn erlang_a_single_agent_overloaded() {
    // 120 % load is stable only because callers give up.
    check_erlang_a(1, 1.2, 60.0, 90.0, 40.0, 40, 201);
}

#[test]
fn erlang_a_ten_agents_critically_loaded() {
    check_erlang_a(10, 10.0, 240.0, 180.0, 60.0, 40, 202);
}

#[test]
fn erlang_a_benchmark_case_fifty_agents() {
    // The yardstick: 50 agents, 12 calls/min, handle 4 min, patience 2 min.
    check_erlang_a(50, 48.0, 240.0, 120.0, 24.0, 40, 203);
}

#[test]
fn erlang_a_hundred_agents_overloaded() {
    check_erlang_a(100, 110.0, 240.0, 120.0, 24.0, 40, 204);
}

fn check_priority(agents: u32, load: f64, shares: [f64; 2], hours: f64, seed: u64) {
    let handle_s = 120.0;
    let lambda = load / handle_s;
    let s = scenario(&format!(
        r#"
        name = "priority M/M/{agents}"
        horizon = "{total}h"
        warmup = "3h"
        [arrivals]
        rate = "{rate}/h"
        [[callers]]
        name = "high"
        share = {hi}
        priority = 2
        handle_time = {{ dist = "exponential", mean = "{handle_s}s" }}
        [[callers]]
        name = "low"
        share = {lo}
        priority = 1
        handle_time = {{ dist = "exponential", mean = "{handle_s}s" }}
        [agents]
        count = {agents}
        "#,
        total = hours + 3.0,
        rate = lambda * 3600.0,
        hi = shares[0],
        lo = shares[1],
    ));
    let r = run(&s, 40, seed);
    let waits = priority_waits(
        agents,
        &[lambda * shares[0], lambda * shares[1]],
        1.0 / handle_s,
    )
    .unwrap();
    assert_agrees(&r, "high", "asa_s", waits[0]);
    assert_agrees(&r, "low", "asa_s", waits[1]);
    // Priorities only reorder the queue: P(wait) is still Erlang C for everyone.
    let c = ErlangC::new(agents, lambda, 1.0 / handle_s).unwrap();
    assert_agrees(&r, "high", "p_wait", c.p_wait);
    assert_agrees(&r, "low", "p_wait", c.p_wait);
    // The theory column of `run` shows the same values, per class, with verdicts that agree.
    let t = r.theory.clone().expect("priorities have a closed form");
    assert_eq!(t.form, callsim::experiment::ClosedForm::Priorities);
    for (class, wait) in t.by_class.iter().zip(&waits) {
        assert!(class.contains(&(callsim::kpi::Kpi::AsaS, *wait)));
    }
    for (kpi, x) in &t.overall {
        assert!(
            callsim::report::agrees(r.overall.get(*kpi).unwrap(), *x),
            "{kpi:?}"
        );
    }
    let table = callsim::report::table(&r, "priorities", &[]);
    assert!(table.contains("Priorities by class"), "{table}");
    assert!(!table.contains("differs"), "{table}");
}

#[test]
fn priority_classes_single_agent_cobham() {
    check_priority(1, 0.8, [0.3, 0.7], 80.0, 301);
}

#[test]
fn priority_classes_ten_agents_cobham() {
    check_priority(10, 9.0, [0.4, 0.6], 60.0, 302);
}

#[test]
fn theory_check_can_fail() {
    // The same comparison against a wrong value (Erlang C with a 3 % higher arrival rate) must fail,
    // so the tolerance is tight enough to mean something.
    let s = scenario(&mmc(10, 9.0 / 240.0 * 3600.0, 240.0, None, 100.0, 6.0));
    let r = run(&s, 40, 102);
    let wrong = ErlangC::new(10, 9.0 / 240.0 * 1.03, 1.0 / 240.0).unwrap();
    let outcome = std::panic::catch_unwind(|| assert_agrees(&r, "all", "p_wait", wrong.p_wait));
    assert!(
        outcome.is_err(),
        "a 3 % error in the arrival rate went unnoticed"
    );
}

/// Issue #16: `lines = N` trunks. With as many lines as agents nobody waits (M/M/c/c): the
/// share of callers who hear a busy signal is Erlang B.
#[test]
fn lines_equal_to_agents_block_as_erlang_b() {
    for (agents, per_hour) in [(1u32, 6.0), (10, 120.0)] {
        // A top-level key, so before the scenario's tables.
        let s = scenario(&format!(
            "lines = {agents}\n{}",
            mmc(agents, per_hour, 240.0, None, 8.0, 0.5)
        ));
        let r = run(&s, 40, 31);
        let load = per_hour / 3600.0 * 240.0;
        assert_agrees(&r, "all", "blocking_rate", erlang_b(agents, load));
        assert_agrees(&r, "all", "p_wait", 0.0);
    }
}

/// Issue #16: lines per department. Two departments with their own agents and as many lines
/// as agents each are two Erlang B systems; a department whose lines are not limited blocks
/// nobody.
#[test]
fn lines_per_department_block_each_as_erlang_b() {
    let text = |lines: &str| {
        format!(
            "lines = {lines}\nhorizon = \"48h30m\"\nwarmup = \"30m\"\n[arrivals]\nrate = \"150/h\"\n\
             [[callers]]\nname = \"billing\"\nshare = 0.6\ndepartment = \"billing\"\n\
             handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n\
             [[callers]]\nname = \"technical\"\nshare = 0.4\ndepartment = \"technical\"\n\
             handle_time = {{ dist = \"exponential\", mean = \"6m\" }}\n\
             [agents]\ncount = 11\nskills = [{{ agents = 6, departments = [\"billing\"] }}, \
             {{ agents = 5, departments = [\"technical\"] }}]\n"
        )
    };
    let r = run(&scenario(&text("{ billing = 6, technical = 5 }")), 40, 33);
    // Offered loads: billing 90/h × 4 min = 6 Erlangs, technical 60/h × 6 min = 6 Erlangs.
    assert_agrees(&r, "billing", "blocking_rate", erlang_b(6, 6.0));
    assert_agrees(&r, "technical", "blocking_rate", erlang_b(5, 6.0));
    assert_agrees(&r, "billing", "p_wait", 0.0);
    // Only billing limited: technical callers queue and are never blocked.
    let r = run(&scenario(&text("{ billing = 6 }")), 10, 34);
    assert_agrees(&r, "billing", "blocking_rate", erlang_b(6, 6.0));
    let technical = r.by_class()[1].get(callsim::kpi::Kpi::Blocked).unwrap();
    assert_eq!(technical.mean, 0.0);
}

/// With a waiting room (lines above agents) and patience: the M/M/c/K+M chain.
#[test]
fn lines_with_a_waiting_room_match_the_mmck_chain() {
    let (agents, lines, per_hour, patience) = (10u32, 14u32, 144.0, 120.0);
    let s = scenario(&format!(
        "lines = {lines}\n{}",
        mmc(agents, per_hour, 240.0, Some(patience), 8.0, 0.5)
    ));
    let r = run(&s, 40, 32);
    let exact = LineLimited::new(
        agents,
        lines,
        per_hour / 3600.0,
        1.0 / 240.0,
        1.0 / patience,
    )
    .unwrap();
    assert_agrees(&r, "all", "blocking_rate", exact.blocking);
    assert_agrees(&r, "all", "abandonment_rate", exact.p_abandon);
}

/// Issue #16: the student scenario agrees with the theory in its own comment, at both loads.
#[test]
fn the_student_scenario_agrees_with_its_comment() {
    let path = format!("{}/scenarios/student_mm1.toml", env!("CARGO_MANIFEST_DIR"));
    for (rate, exact_wait) in [("42/h", 140.0), ("54/h", 540.0)] {
        let loaded = callsim::scenario::load(
            Some(std::path::Path::new(&path)),
            &[format!("arrivals.rate={rate}")],
        )
        .unwrap();
        let s = &loaded.scenario;
        let r = run(s, s.replications, s.seed);
        assert_agrees(&r, "all", "asa_s", exact_wait);
        let rho = if rate == "42/h" { 0.7 } else { 0.9 };
        assert_agrees(&r, "all", "p_wait", rho);
    }
}

/// Issue #16: `run` shows a theory column exactly when the scenario meets a closed form's
/// assumptions, with a verdict per KPI.
#[test]
fn the_theory_column_appears_exactly_when_its_assumptions_hold() {
    use callsim::experiment::{ClosedForm, theory};
    let base = mmc(10, 120.0, 240.0, Some(120.0), 8.0, 0.5);
    let form = |text: &str| theory(&scenario(text)).map(|t| t.form);
    assert_eq!(form(&base), Some(ClosedForm::ErlangA));
    assert_eq!(
        form(&mmc(10, 120.0, 240.0, None, 8.0, 0.5)),
        Some(ClosedForm::ErlangC)
    );
    assert_eq!(
        form(&format!("lines = 10\n{base}")),
        Some(ClosedForm::ErlangB)
    );
    assert_eq!(
        form(&format!("lines = 14\n{base}")),
        Some(ClosedForm::LineLimited)
    );
    // Priority classes of one exponential handle time and no patience: Cobham's formula.
    let two = |second_handle: &str, patience: &str| {
        format!(
            "horizon = \"8h\"\n[arrivals]\nrate = \"60/h\"\n\
             [[callers]]\nname = \"a\"\nshare = 0.5\npriority = 1\n{patience}\
             handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n\
             [[callers]]\nname = \"b\"\nshare = 0.5\n\
             handle_time = {{ dist = \"exponential\", mean = \"{second_handle}\" }}\n\
             [agents]\ncount = 6\n"
        )
    };
    assert_eq!(form(&two("4m", "")), Some(ClosedForm::Priorities));
    assert_eq!(form(&two("5m", "")), None, "different service rates");
    assert_eq!(
        form(&two(
            "4m",
            "patience = { dist = \"exponential\", mean = \"2m\" }\n"
        )),
        None,
        "abandonment"
    );
    // An unstable Erlang C has no steady state to show.
    assert_eq!(form(&mmc(2, 120.0, 240.0, None, 8.0, 0.5)), None);
    // Any assumption broken: no column.
    for broken in [
        base.replace("dist = \"exponential\", mean = \"240s\"", "dist = \"lognormal\", mean = \"240s\", cv = 0.5"),
        base.replace("patience = { dist = \"exponential\", mean = \"120s\" }", "patience = { dist = \"deterministic\", value = \"120s\" }"),
        base.replace("[agents]", "after_call_work = { dist = \"exponential\", mean = \"30s\" }\n[agents]"),
        base.replace("[agents]", "redial = { probability = 0.5, delay = { dist = \"exponential\", mean = \"5m\" } }\n[agents]"),
        format!("{base}\n[[managers]]\nstyle = \"office\"\n"),
        base.replace("rate = \"120/h\"", "profile = { interval = \"4h\", rates = [\"100/h\", \"140/h\"] }"),
    ] {
        assert_eq!(form(&broken), None, "{broken}");
    }
    // The verdict: the textbook case agrees; the 90 % student queue over one day does not.
    let r = run(&scenario(&base), 30, 5);
    let exact = r.theory.clone().unwrap().overall;
    for (kpi, x) in &exact {
        let e = r.overall.get(*kpi).unwrap();
        assert!(
            callsim::report::agrees(e, *x),
            "{}: {} against {x}",
            kpi.key(),
            e.mean
        );
    }
    let path = format!("{}/scenarios/student_mm1.toml", env!("CARGO_MANIFEST_DIR"));
    // Two hours from an empty start at 90 % load: far from steady state (the relaxation time
    // is 6.3 h), and the verdict says so.
    let short = callsim::scenario::load(
        Some(std::path::Path::new(&path)),
        &[
            "arrivals.rate=54/h".into(),
            "horizon=\"2h\"".into(),
            "warmup=\"0s\"".into(),
        ],
    )
    .unwrap();
    let r = run(&short.scenario, 200, 1);
    let exact = r.theory.clone().unwrap().overall;
    let asa = exact
        .iter()
        .find(|(k, _)| *k == callsim::kpi::Kpi::AsaS)
        .unwrap()
        .1;
    assert!(!callsim::report::agrees(
        r.overall.get(callsim::kpi::Kpi::AsaS).unwrap(),
        asa
    ));
    // The table shows the column and the verdicts.
    let table = callsim::report::table(&r, "student", &[]);
    assert!(
        table.contains("Erlang C") && table.contains("differs"),
        "{table}"
    );
}
