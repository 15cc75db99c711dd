//! The caller's journey (issue #4): redials, balking, queue callbacks, outages, and comparison
//! on common random numbers.

use callsim::engine::{
    AgentState, AnsweredContact, CallbackEnd, CallbackOutcome, Case, Contact, Observer, SimTime,
    Simulation,
};
use callsim::experiment::{self, RunOptions, Variant};
use callsim::kpi::Kpi;
use callsim::theory::{ErlangA, erlang_b};

use crate::common::{AgentClock, assert_agrees, run, scenario};

/// A busy queue with every journey feature; `extra` adds keys to `[callbacks]`.
fn journey(policy: &str, extra: &str) -> String {
    format!(
        r#"
        name = "journey"
        horizon = "5h"
        warmup = "30m"
        [arrivals]
        profile = {{ interval = "1h", rates = ["90/h", "150/h", "170/h", "120/h", "90/h"] }}
        [[callers]]
        name = "vip"
        share = 0.3
        priority = 1
        patience = {{ dist = "exponential", mean = "3m" }}
        handle_time = {{ dist = "exponential", mean = "4m" }}
        first_contact_resolution = 0.8
        follow_up = {{ promise = "1h", work = {{ dist = "exponential", mean = "5m" }} }}
        callback_acceptance = 0.5
        redial = {{ probability = 0.6, delay = {{ dist = "exponential", mean = "5m" }}, max_attempts = 3 }}
        [[callers]]
        name = "std"
        share = 0.7
        patience = {{ dist = "exponential", mean = "2m" }}
        handle_time = {{ dist = "lognormal", mean = "4m", cv = 0.8 }}
        after_call_work = {{ dist = "exponential", mean = "30s" }}
        callback_acceptance = 0.7
        balking = {{ above = "4m", probability = 0.5 }}
        redial = {{ probability = 0.4, delay = {{ dist = "exponential", mean = "10m" }} }}
        [agents]
        count = 10
        outages = [{{ start = "2h", end = "2h20m" }}]
        [callbacks]
        offer_above = "1m"
        policy = "{policy}"
        promise = "30m"
        answer_probability = 0.7
        attempt_time = "40s"
        retry_delay = {{ dist = "exponential", mean = "5m" }}
        max_attempts = 3
        call_again_probability = 0.5
        {extra}
        "#
    )
}

#[derive(Default)]
struct Ledger {
    offered: u64,
    fresh: u64,
    answered: u64,
    abandoned: u64,
    balked: u64,
    accepted: u64,
    ends: [u64; 3],
    cases_resolved: u64,
    cases_lost: u64,
    clock: AgentClock,
    violations: Vec<String>,
}

impl Ledger {
    fn tick(&mut self, now: SimTime) {
        let time = now.secs();
        if time < self.clock.last {
            self.violations
                .push(format!("time went back {} -> {time}", self.clock.last));
        }
        self.clock.advance(time);
    }
}

impl Observer for Ledger {
    fn contact_offered(&mut self, now: SimTime, _class: usize) {
        self.tick(now);
        self.offered += 1;
        self.fresh += 1;
    }
    fn redial_offered(&mut self, _time: SimTime, _class: usize) {
        self.fresh -= 1;
    }
    fn repeat_call_offered(&mut self, _time: SimTime, _class: usize) {
        self.fresh -= 1;
    }
    fn status_call_offered(&mut self, _time: SimTime, _class: usize) {
        self.fresh -= 1;
    }
    fn contact_answered(&mut self, c: &AnsweredContact) {
        self.tick(c.answered);
        self.answered += 1;
    }
    fn contact_abandoned(&mut self, now: SimTime, c: Contact) {
        self.tick(now);
        self.abandoned += 1;
        if now < c.arrival {
            self.violations.push("negative wait".into());
        }
    }
    fn contact_balked(&mut self, _time: SimTime, _class: usize) {
        self.balked += 1;
    }
    fn callback_offered(&mut self, _: SimTime, _: Contact, accepted: bool) {
        self.accepted += u64::from(accepted);
    }
    fn callback_ends(&mut self, e: &CallbackEnd) {
        let i = match e.outcome {
            CallbackOutcome::Reached => 0,
            CallbackOutcome::CalledAgain => 1,
            CallbackOutcome::Failed => 2,
        };
        self.ends[i] += 1;
        if !(e.ended >= e.accepted && e.accepted >= e.case_start && e.attempts >= 1)
            && e.outcome != CallbackOutcome::CalledAgain
        {
            self.violations.push(format!("bad callback {e:?}"));
        }
        if e.outcome == CallbackOutcome::Reached && (e.ended - e.accepted).secs() < 40.0 - 1e-9 {
            self.violations.push(format!(
                "reached before the first attempt could ring: {e:?}"
            ));
        }
    }
    fn case_resolved(&mut self, now: SimTime, case: Case, contacts: u32) {
        self.tick(now);
        self.cases_resolved += 1;
        if now < case.first_arrival || contacts == 0 {
            self.violations.push("bad case".into());
        }
    }
    fn case_abandoned(&mut self, now: SimTime, _: Case) {
        self.tick(now);
        self.cases_lost += 1;
    }
    fn agent_state_changes(&mut self, now: SimTime, _agent: u32, from: AgentState, to: AgentState) {
        self.tick(now);
        if !self.clock.moves(from, to) {
            self.violations.push(format!("no agent was {from:?}"));
        }
    }
    fn run_ends(&mut self, now: SimTime) {
        self.tick(now);
    }
}

#[test]
fn every_callback_and_every_case_ends_exactly_once() {
    let mut balked = 0;
    for (policy, extra) in [
        ("keep_place", ""),
        ("inbound_first", ""),
        ("deadline", "deadline_margin = \"10m\""),
        ("inbound_first", "reserved_agents = 2"),
        ("deadline", "reserved_agents = 1"),
    ] {
        let s = scenario(&journey(policy, extra));
        let mut sim = Simulation::new(&s);
        let mut seen = [0u64; 4];
        for r in 0..20 {
            let mut l = Ledger {
                clock: AgentClock::idle(10),
                ..Ledger::default()
            };
            sim.run(5, r, &mut l).expect("the run ends");
            let label = format!("{policy} {extra} replication {r}");
            assert!(l.violations.is_empty(), "{label}: {:?}", l.violations);
            seen[0] += l.balked;
            seen[1] += l.ends[0];
            seen[2] += l.ends[1];
            seen[3] += l.ends[2];
            // Every contact: answered, abandoned (balked included) or turned into a callback.
            assert_eq!(l.offered, l.answered + l.abandoned + l.accepted, "{label}");
            // Every accepted callback ends once: reached, replaced by a new call, or failed.
            // (Runs always drain, so none is pending at the end.)
            assert_eq!(l.accepted, l.ends.iter().sum::<u64>(), "{label}");
            // Every case ends once.
            assert_eq!(l.fresh, l.cases_resolved + l.cases_lost, "{label}");
            // Agent time adds up, outage and callbacks included.
            let total = l.clock.total();
            assert!(
                (total - 10.0 * l.clock.last).abs() < 1e-6 * total,
                "{label}"
            );
            assert!(l.clock.time[AgentState::Away as usize] > 0.0, "{label}");
            assert!(l.clock.time[AgentState::Callback as usize] > 0.0, "{label}");
            assert_eq!(l.clock.in_state(AgentState::Idle), 10, "{label}");
        }
        // Callbacks were reached, replaced by a new call, and failed.
        assert!(
            seen[1..].iter().all(|&n| n > 0),
            "{policy} {extra}: {seen:?}"
        );
        balked += seen[0];
    }
    assert!(balked > 0, "some callers balked");
}

#[test]
fn an_offer_threshold_above_any_wait_changes_nothing() {
    let with = journey("keep_place", "").replace("offer_above = \"1m\"", "offer_above = \"100d\"");
    let without = with.replace("[callbacks]", "[callbacks]\nenabled = false");
    let (a, b) = (
        run(&scenario(&with), 20, 8),
        run(&scenario(&without), 20, 8),
    );
    assert_eq!(a.per_replication, b.per_replication);
    assert!(a.overall.get(Kpi::Redials).unwrap().mean > 0.0);
}

#[test]
fn balking_everyone_who_must_wait_is_erlang_b() {
    // Callers who would have to wait all balk: the queue is the M/M/c/c loss system, and the
    // share that balks is Erlang B's blocking probability.
    let s = scenario(
        r#"
        horizon = "42h"
        warmup = "2h"
        [arrivals]
        rate = "150/h"
        [[callers]]
        handle_time = { dist = "exponential", mean = "4m" }
        balking = { above = "0s", probability = 1 }
        [agents]
        count = 10
        "#,
    );
    let r = run(&s, 30, 401);
    let blocking = erlang_b(10, 150.0 / 60.0 * 4.0);
    assert_agrees(&r, "all", "abandonment_rate", blocking);
    assert_eq!(r.overall.get(Kpi::PWait).unwrap().mean, 0.0);
}

#[test]
fn erlang_a_holds_when_the_journey_features_are_switched_off() {
    let s = scenario(
        r#"
        horizon = "42h"
        warmup = "2h"
        [arrivals]
        rate = "150/h"
        [[callers]]
        handle_time = { dist = "exponential", mean = "4m" }
        patience = { dist = "exponential", mean = "3m" }
        callback_acceptance = 0
        redial = { probability = 0, delay = { dist = "exponential", mean = "5m" } }
        balking = { above = "1m", probability = 0 }
        [agents]
        count = 10
        [callbacks]
        offer_above = "30s"
        promise = "30m"
        "#,
    );
    let r = run(&s, 40, 402);
    let exact = ErlangA::new(10, 150.0 / 3600.0, 1.0 / 240.0, 1.0 / 180.0).unwrap();
    assert_agrees(&r, "all", "p_wait", exact.p_wait);
    assert_agrees(&r, "all", "abandonment_rate", exact.p_abandon);
    assert_agrees(&r, "all", "asa_s", exact.asa_s);
    assert_agrees(&r, "all", "service_level", exact.service_level(20.0));
}

#[test]
fn paired_differences_are_much_narrower_than_unpaired_ones() {
    let base = scenario(&journey("keep_place", ""));
    let mut more = base.clone();
    more.callbacks.as_mut().unwrap().offer_above_s = 120.0;
    let variants = [
        Variant {
            name: "base".into(),
            source: "base".into(),
            scenario: base,
        },
        Variant {
            name: "later offer".into(),
            source: "base with offer_above = 2m".into(),
            scenario: more,
        },
    ];
    let options = RunOptions {
        replications: 40,
        seed: 3,
        threads: None,
        details: false,
        clock: None,
    };
    let c = experiment::compare(&variants, &options).unwrap();
    for kpi in [Kpi::ServiceLevel, Kpi::AsaS, Kpi::Offered] {
        let (_, d) = c.differences[0].iter().find(|(k, _)| *k == kpi).unwrap();
        let ratio = d.paired.half_width() / d.unpaired_half_width;
        assert!(
            ratio < 0.5,
            "{}: paired ±{:.4} vs unpaired ±{:.4}",
            kpi.key(),
            d.paired.half_width(),
            d.unpaired_half_width
        );
    }
    // The fresh calls are the same callers in both variants.
    let (_, fresh) = c.differences[0]
        .iter()
        .find(|(k, _)| *k == Kpi::FreshContacts)
        .unwrap();
    assert_eq!(fresh.paired.mean, 0.0);
    assert_eq!(fresh.paired.std_dev, 0.0);
}

/// Issue #16: a caller who finds every line taken hears a busy signal, counts as offered and
/// blocked (never answered or abandoned), and redials with their class's redial settings.
#[test]
fn busy_signals_are_counted_and_redialled() {
    let text = |redial: &str| {
        format!(
            "lines = 2\nhorizon = \"8h\"\n[arrivals]\nrate = \"40/h\"\n[[callers]]\n\
             handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n{redial}\n[agents]\ncount = 2\n"
        )
    };
    let with = crate::common::scenario(&text(
        "redial = { probability = 1.0, delay = { dist = \"exponential\", mean = \"2m\" }, max_attempts = 3 }",
    ));
    let without = crate::common::scenario(&text(""));
    for replication in 0..3 {
        let a = callsim::experiment::run_replication(&with, 4, replication)
            .expect("the run ends")
            .overall;
        let b = callsim::experiment::run_replication(&without, 4, replication)
            .expect("the run ends")
            .overall;
        for k in [&a, &b] {
            let offered = k.get(Kpi::Offered);
            let ended = k.get(Kpi::Answered) + k.get(Kpi::Abandoned) + k.get(Kpi::Blocked);
            assert_eq!(offered, ended, "every contact ends exactly once");
            assert!(k.get(Kpi::Blocked) > 0.0);
            assert!((k.get(Kpi::BlockingRate) - k.get(Kpi::Blocked) / offered).abs() < 1e-12);
        }
        // Nobody waits with as many lines as agents.
        assert_eq!(b.get(Kpi::PWait), 0.0);
        assert_eq!(b.get(Kpi::Redials), 0.0);
        assert!(a.get(Kpi::Redials) > 0.0, "blocked callers redial");
    }
    // Fewer lines than a fixed team: the other agents could never talk (issue #16, exit 2).
    let e = callsim::scenario::parse(&text("").replace("lines = 2", "lines = 0"), "l.toml", &[])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("l.toml") && e.contains("`lines`") && e.contains("allowed 2 to"),
        "{e}"
    );
    // Lines that are never all taken change nothing.
    let plain = crate::common::scenario(&text("").replace("lines = 2\n", ""));
    let roomy = crate::common::scenario(&text("").replace("lines = 2", "lines = 1000"));
    for replication in 0..3 {
        let p = callsim::experiment::run_replication(&plain, 4, replication).expect("the run ends");
        let r = callsim::experiment::run_replication(&roomy, 4, replication).expect("the run ends");
        assert_eq!(p.overall, r.overall);
    }
}
