//! The floor (issue #3): orientation and behaviour, follow-ups, managers, observed versus
//! unobserved, perceived versus true. Statistical checks use the same α as the theory tests;
//! the rest are invariants that must hold exactly.

use callsim::engine::{
    AgentState, AnsweredContact, Case, Contact, FollowUpOutcome, Observer, SimTime, Simulation,
};
use callsim::experiment::ExperimentResult;
use callsim::kpi::Kpi;
use callsim::stats::Estimate;
use callsim::theory::ErlangA;

use crate::common::{AgentClock, assert_agrees, band, run, scenario};

fn overall(r: &ExperimentResult, kpi: Kpi) -> Estimate {
    *r.overall.get(kpi).expect("KPI reported overall")
}

/// A floor of `agents` with follow-ups; `floor` adds `[agents.*]` keys and `[[managers]]`.
fn floor(agents: u32, calls_per_hour: f64, floor: &str) -> String {
    format!(
        r#"
        name = "test floor"
        horizon = "8h"
        warmup = "1h"
        [arrivals]
        rate = "{calls_per_hour}/h"
        [[callers]]
        name = "c"
        handle_time = {{ dist = "exponential", mean = "4m" }}
        first_contact_resolution = 0.5
        follow_up = {{ promise = "1h", work = {{ dist = "exponential", mean = "6m" }} }}
        [agents]
        count = {agents}
        {floor}
        "#
    )
}

const WALKER: &str = r#"
    [[managers]]
    name = "walker"
    style = "walker"
    office = { dist = "exponential", mean = "30m" }
    visit = { dist = "exponential", mean = "15m" }
"#;

#[test]
fn customer_oriented_agents_look_the_same_watched_or_not() {
    // Agents who behave the same either way: the walker's presence must change nothing, so the
    // observed and unobserved response times agree and what she believes is the truth.
    let s = scenario(&floor(
        12,
        80.0,
        &format!("orientation = {{ customer = 1 }}\n{WALKER}"),
    ));
    let r = run(&s, 200, 301);
    let diff = Estimate::from_values(r.per_replication.iter().map(|v| {
        v.get(Kpi::FollowUpResponseMeanSObserved) - v.get(Kpi::FollowUpResponseMeanSUnobserved)
    }));
    assert!(diff.n > 150, "most replications see both kinds: {}", diff.n);
    assert!(
        diff.mean.abs() <= band(&diff),
        "observed − unobserved response: {:.1} ± {:.1} s",
        diff.mean,
        band(&diff)
    );
    let gap = overall(&r, Kpi::PerceptionGap);
    assert!(
        (gap.mean - 1.0).abs() <= band(&gap),
        "perception gap {:.3} ± {:.3} should contain 1",
        gap.mean,
        band(&gap)
    );
    let handle = Estimate::from_values(
        r.per_replication
            .iter()
            .map(|v| v.get(Kpi::HandleTimeMeanSObserved) - v.get(Kpi::HandleTimeMeanSUnobserved)),
    );
    assert!(handle.mean.abs() <= band(&handle));
    assert_eq!(overall(&r, Kpi::SlackShare).mean, 0.0);
}

#[test]
fn boss_oriented_agents_open_a_perception_gap() {
    let s = scenario(&floor(
        12,
        80.0,
        &format!(
            r#"orientation = {{ boss = 1 }}
            [agents.behaviour.boss]
            procrastination = {{ dist = "exponential", mean = "90m" }}
            slack = {{ dist = "exponential", mean = "1m" }}
            {WALKER}"#
        ),
    ));
    let r = run(&s, 60, 302);
    let gap = overall(&r, Kpi::PerceptionGap);
    assert!(
        gap.mean - band(&gap) > 1.0,
        "customers wait longer than the boss believes: gap {:.2} ± {:.2}",
        gap.mean,
        band(&gap)
    );
}

#[test]
fn without_a_manager_nothing_is_ever_observed() {
    for managers in ["", "[[managers]]\nname = \"desk\"\nstyle = \"office\""] {
        let s = scenario(&floor(
            10,
            100.0,
            &format!(
                r#"orientation = {{ boss = 3, customer = 1 }}
                [agents.behaviour.boss]
                slack = {{ dist = "exponential", mean = "2m" }}
                procrastination = {{ dist = "exponential", mean = "1h" }}
                {managers}"#
            ),
        ));
        let r = run(&s, 10, 303);
        for v in &r.per_replication {
            assert_eq!(v.get(Kpi::ObservedShare), 0.0);
            assert!(v.get(Kpi::SlackShare) > 0.0);
            assert!(v.get(Kpi::FollowUpResponseMeanSObserved).is_nan());
            assert!(v.get(Kpi::HandleTimeMeanSObserved).is_nan());
            assert!(v.get(Kpi::PerceivedFollowUpResponseMeanS).is_nan());
            assert_eq!(
                v.get(Kpi::FollowUpResponseMeanS),
                v.get(Kpi::FollowUpResponseMeanSUnobserved)
            );
        }
    }
}

#[test]
fn more_frequent_walks_cut_slack() {
    let with_office = |mean: &str| {
        let walker = WALKER.replace("mean = \"30m\"", &format!("mean = \"{mean}\""));
        scenario(&floor(
            10,
            100.0,
            &format!(
                r#"orientation = {{ boss = 1 }}
                [agents.behaviour.boss]
                slack = {{ dist = "exponential", mean = "3m" }}
                {walker}"#
            ),
        ))
    };
    let rare = run(&with_office("3h"), 40, 304);
    let often = run(&with_office("10m"), 40, 304);
    // Same seed, same callers (common random numbers): compare replication by replication.
    let fall = Estimate::from_values(
        rare.per_replication
            .iter()
            .zip(&often.per_replication)
            .map(|(a, b)| a.get(Kpi::SlackShare) - b.get(Kpi::SlackShare)),
    );
    assert!(
        fall.mean - band(&fall) > 0.0,
        "slack share falls by {:.4} ± {:.4}",
        fall.mean,
        band(&fall)
    );
    let watched =
        overall(&often, Kpi::ObservedShare).mean - overall(&rare, Kpi::ObservedShare).mean;
    assert!(watched > 0.2, "walking more watches more: {watched}");
}

#[test]
fn erlang_a_holds_with_managers_when_behaviour_is_off() {
    // Orientations at the survey's defaults, a walker and an alongside lead, but no behaviour:
    // the queue must still be the textbook M/M/10+M.
    let (agents, lambda, handle, patience) = (10, 10.0 / 240.0, 240.0, 180.0);
    let s = scenario(&format!(
        r#"
        name = "Erlang A with managers"
        horizon = "42h"
        warmup = "2h"
        [arrivals]
        rate = "{}/h"
        [[callers]]
        handle_time = {{ dist = "exponential", mean = "{handle}s" }}
        patience = {{ dist = "exponential", mean = "{patience}s" }}
        [agents]
        count = {agents}
        {WALKER}
        [[managers]]
        name = "lead"
        style = "alongside"
        team = 4
        "#,
        lambda * 3600.0
    ));
    let r = run(&s, 40, 305);
    let exact = ErlangA::new(agents, lambda, 1.0 / handle, 1.0 / patience).unwrap();
    assert_agrees(&r, "all", "p_wait", exact.p_wait);
    assert_agrees(&r, "all", "abandonment_rate", exact.p_abandon);
    assert_agrees(&r, "all", "asa_s", exact.asa_s);
    assert_agrees(&r, "all", "service_level", exact.service_level(20.0));
    assert_agrees(&r, "all", "occupancy", exact.occupancy);
    assert!(overall(&r, Kpi::ObservedShare).mean > 0.4);
}

#[test]
fn unobserved_pace_stretches_handle_time_by_its_factor() {
    let s = scenario(&floor(
        10,
        100.0,
        &format!(
            r#"orientation = {{ unsure = 1 }}
            [agents.behaviour.unsure]
            pace = 1.25
            observed_pace = 0.9
            {WALKER}"#
        ),
    ));
    let r = run(&s, 60, 306);
    let ratio = Estimate::ratio_of_means(r.per_replication.iter().map(|v| {
        (
            v.get(Kpi::HandleTimeMeanSUnobserved),
            v.get(Kpi::HandleTimeMeanSObserved),
        )
    }));
    let expected = 1.25 / 0.9;
    assert!(
        (ratio.mean - expected).abs() <= band(&ratio),
        "unobserved ÷ observed handle time {:.4} ± {:.4}, expected {expected:.4}",
        ratio.mean,
        band(&ratio)
    );
    assert_agrees(&r, "all", "handle_time_mean_s_observed", 240.0 * 0.9);
}

#[test]
fn overdue_first_trades_caller_waits_for_faster_follow_ups() {
    // A busy floor, where callers nearly always wait: with inbound_first, follow-ups get only
    // the gaps between calls; with overdue_first a late promise goes before the queue.
    let policy = |p: &str| {
        let text = floor(10, 80.0, &format!("follow_up_policy = \"{p}\""));
        scenario(&text.replace("promise = \"1h\"", "promise = \"15m\""))
    };
    let inbound = run(&policy("inbound_first"), 40, 310);
    let overdue = run(&policy("overdue_first"), 40, 310);
    // Same seed, same callers: paired differences (overdue_first − inbound_first).
    let paired = |kpi: Kpi| {
        Estimate::from_values(
            overdue
                .per_replication
                .iter()
                .zip(&inbound.per_replication)
                .map(|(a, b)| a.get(kpi) - b.get(kpi)),
        )
    };
    let response = paired(Kpi::FollowUpResponseMeanS);
    let asa = paired(Kpi::AsaS);
    assert!(
        response.mean + band(&response) < 0.0,
        "follow-ups faster by {:.0} ± {:.0} s",
        -response.mean,
        band(&response)
    );
    assert!(
        asa.mean - band(&asa) > 0.0,
        "callers wait longer by {:.1} ± {:.1} s",
        asa.mean,
        band(&asa)
    );
}

#[test]
fn contacts_per_resolution_without_status_calls_is_two_minus_fcr() {
    // Infinite patience and no tolerance: every case resolves, with one contact when the first
    // call resolves and two (call plus follow-up call back) when it does not.
    let s = scenario(&floor(10, 90.0, ""));
    let r = run(&s, 40, 307);
    assert_agrees(&r, "all", "contacts_per_resolution", 2.0 - 0.5);
    assert_eq!(overall(&r, Kpi::StatusCalls).mean, 0.0);
}

#[test]
fn an_alongside_lead_who_does_not_take_calls_watches_her_team_all_day() {
    let s = scenario(&floor(
        10,
        100.0,
        r#"orientation = { boss = 1 }
        [agents.behaviour.boss]
        slack = { dist = "exponential", mean = "3m" }
        procrastination = { dist = "exponential", mean = "1h" }
        [[managers]]
        name = "lead"
        style = "alongside"
        team = 4
        morale = 0.5"#,
    ));
    let r = run(&s, 10, 308);
    for (v, m) in r.per_replication.iter().zip(&r.per_replication) {
        assert!((v.get(Kpi::ObservedShare) - 0.4).abs() < 1e-12);
        assert!(m.get(Kpi::SlackShare) > 0.0, "the other six still slack");
    }
    // The whole floor watched: nobody slacks.
    let all = scenario(&floor(
        10,
        100.0,
        r#"orientation = { boss = 1 }
        [agents.behaviour.boss]
        slack = { dist = "exponential", mean = "3m" }
        [[managers]]
        name = "lead"
        style = "alongside""#,
    ));
    let r = run(&all, 10, 308);
    for v in &r.per_replication {
        assert_eq!(v.get(Kpi::SlackShare), 0.0);
        assert!((v.get(Kpi::ObservedShare) - 1.0).abs() < 1e-12);
    }
}

/// Records what the engine reports, to check invariants exactly.
#[derive(Default)]
struct Ledger {
    first_calls: u64,
    status_calls: u64,
    answered: u64,
    abandoned: u64,
    cases_resolved: u64,
    cases_abandoned: u64,
    follow_ups: Vec<FollowUpOutcome>,
    follow_up_cases: u64,
    clock: AgentClock,
    /// The statistics window, and the time in each state within it.
    window: (f64, f64),
    window_time: [f64; AgentState::COUNT],
    /// Times at which some manager started watching somebody.
    watch_starts: Vec<SimTime>,
    violations: Vec<String>,
}

impl Ledger {
    fn tick(&mut self, now: SimTime) {
        let time = now.secs();
        if time < self.clock.last || !time.is_finite() {
            self.violations
                .push(format!("time went from {} to {time}", self.clock.last));
        }
        // Integrate the time spent in each state up to now, overall and within the window.
        let (w0, w1) = self.window;
        let inside = (time.min(w1) - self.clock.last.max(w0)).max(0.0);
        for (count, t) in self.clock.agents.iter().zip(&mut self.window_time) {
            *t += f64::from(*count) * inside;
        }
        self.clock.advance(time);
    }
}

impl Observer for Ledger {
    fn contact_offered(&mut self, now: SimTime, _class: usize) {
        self.tick(now);
        self.first_calls += 1;
    }
    fn status_call_offered(&mut self, _time: SimTime, _class: usize) {
        // Also reported as offered: move it from first calls to status calls.
        self.first_calls -= 1;
        self.status_calls += 1;
    }
    fn contact_answered(&mut self, c: &AnsweredContact) {
        self.tick(c.answered);
        self.answered += 1;
        let talk = c.talk.secs();
        if c.answered < c.arrival || talk.is_nan() || talk < 0.0 {
            self.violations.push(format!("bad answer {c:?}"));
        }
    }
    fn contact_abandoned(&mut self, now: SimTime, c: Contact) {
        self.tick(now);
        self.abandoned += 1;
        if now < c.arrival {
            self.violations.push("negative wait".into());
        }
    }
    fn follow_up_resolved(&mut self, o: &FollowUpOutcome) {
        self.tick(o.resolved);
        if !(o.first_arrival <= o.promised && o.promised <= o.started && o.started <= o.resolved) {
            self.violations
                .push(format!("follow-up out of order {o:?}"));
        }
        self.follow_ups.push(*o);
    }
    fn case_resolved(&mut self, now: SimTime, case: Case, contacts: u32) {
        self.tick(now);
        self.cases_resolved += 1;
        self.follow_up_cases += u64::from(contacts > 1);
        if now < case.first_arrival || contacts == 0 {
            self.violations.push("bad case".into());
        }
    }
    fn case_abandoned(&mut self, now: SimTime, _: Case) {
        self.tick(now);
        self.cases_abandoned += 1;
    }
    fn agent_state_changes(&mut self, now: SimTime, _agent: u32, from: AgentState, to: AgentState) {
        self.tick(now);
        if from == to || !self.clock.moves(from, to) {
            self.violations
                .push(format!("bad transition {from:?} -> {to:?}"));
        }
    }
    fn agents_watched(&mut self, now: SimTime, _manager: usize, watched: u32) {
        if watched > 0 {
            self.watch_starts.push(now);
        }
    }
    fn run_ends(&mut self, now: SimTime) {
        self.tick(now);
    }
}

/// Everything at once: every orientation, slack, procrastination, pace, status calls, overdue
/// first, a walker asking for reports, an alongside lead who takes calls, an office manager.
const BUSY_FLOOR: &str = r#"
    name = "everything"
    horizon = "6h"
    warmup = "30m"
    [arrivals]
    rate = "150/h"
    [[callers]]
    name = "vip"
    share = 0.3
    priority = 1
    patience = { dist = "exponential", mean = "3m" }
    handle_time = { dist = "lognormal", mean = "4m", cv = 0.8 }
    after_call_work = { dist = "exponential", mean = "30s" }
    first_contact_resolution = 0.6
    follow_up = { promise = "20m", work = { dist = "exponential", mean = "5m" }, tolerance = { dist = "exponential", mean = "15m" }, status_call = { dist = "exponential", mean = "90s" } }
    [[callers]]
    name = "std"
    share = 0.7
    patience = { dist = "exponential", mean = "2m" }
    handle_time = { dist = "exponential", mean = "4m" }
    first_contact_resolution = 0.8
    follow_up = { promise = "1h", work = { dist = "deterministic", value = "4m" }, tolerance = { dist = "deterministic", value = "30m" } }
    [agents]
    count = 11
    orientation = { boss = 5, unsure = 3, customer = 2 }
    follow_up_policy = "overdue_first"
    [agents.behaviour.boss]
    slack = { dist = "exponential", mean = "2m" }
    procrastination = { dist = "exponential", mean = "40m" }
    pace = 1.2
    [agents.behaviour.unsure]
    slack = { dist = "deterministic", value = "30s" }
    procrastination = { dist = "deterministic", value = "10m" }
    [[managers]]
    name = "walker"
    style = "walker"
    office = { dist = "exponential", mean = "20m" }
    visit = { dist = "exponential", mean = "10m" }
    watches = 5
    report_probability = 0.3
    report_time = { dist = "exponential", mean = "4m" }
    [[managers]]
    name = "lead"
    style = "alongside"
    team = 4
    morale = 0.5
    takes_calls = true
    [[managers]]
    name = "desk"
    style = "office"
"#;

#[test]
fn every_case_ends_exactly_once_and_agent_time_adds_up() {
    let s = scenario(BUSY_FLOOR);
    let agents = 12; // 11 agents and the lead who takes calls
    let mut sim = Simulation::new(&s);
    for r in 0..30 {
        let mut l = Ledger {
            clock: AgentClock::idle(agents),
            ..Ledger::default()
        };
        sim.run(9, r, &mut l).expect("the run ends");
        assert!(
            l.violations.is_empty(),
            "{:?}",
            &l.violations[..l.violations.len().min(5)]
        );
        assert!(l.status_calls > 0 && l.follow_ups.len() > 10);
        // Every contact ends once: answered or abandoned.
        assert_eq!(l.first_calls + l.status_calls, l.answered + l.abandoned);
        // Every case ends once: resolved or (first call abandoned) lost.
        assert_eq!(l.first_calls, l.cases_resolved + l.cases_abandoned);
        // Every follow-up is resolved once, and resolves its case.
        assert_eq!(l.follow_ups.len() as u64, l.follow_up_cases);
        // At the end everyone is idle again, and the time in the states is the logged-in time.
        assert_eq!(l.clock.in_state(AgentState::Idle), agents);
        let total = l.clock.total();
        let logged_in = f64::from(agents) * l.clock.last;
        assert!(
            (total - logged_in).abs() <= 1e-9 * logged_in,
            "{total} vs {logged_in}"
        );
        for state in [AgentState::Slack, AgentState::Report, AgentState::FollowUp] {
            assert!(
                l.clock.time[state as usize] > 0.0,
                "{state:?} never happened"
            );
        }
    }
    // The collector's shares of agent time match this independent integration of the states.
    for r in 0..5 {
        let mut l = Ledger {
            clock: AgentClock::idle(agents),
            window: (s.warmup, s.horizon),
            ..Ledger::default()
        };
        sim.run(9, r, &mut l).expect("the run ends");
        let v = callsim::experiment::run_replication(&s, 9, r)
            .expect("the run ends")
            .overall;
        let logged_in = f64::from(agents) * (s.horizon - s.warmup);
        let share = |states: &[AgentState]| {
            states
                .iter()
                .map(|x| l.window_time[*x as usize])
                .sum::<f64>()
                / logged_in
        };
        use AgentState::*;
        for (kpi, states) in [
            (Kpi::Occupancy, &[Talking, WrapUp, FollowUp, Report][..]),
            (Kpi::SlackShare, &[Slack][..]),
            (Kpi::ReportShare, &[Report][..]),
            (Kpi::IdleShare, &[Idle][..]),
        ] {
            assert!(
                (v.get(kpi) - share(states)).abs() < 1e-9,
                "{}: {} vs {}",
                kpi.key(),
                v.get(kpi),
                share(states)
            );
        }
    }
}

#[test]
fn the_evening_rep_resolves_the_case_once_the_boss_walks_in() {
    // The rep never starts a follow-up he promised unwatched, until the boss walks in (every
    // half hour, for ten minutes). Then it may start: at once if the rep is free, else after
    // the call in hand (and if the boss has left by then, unwatched). It takes exactly the
    // three minutes of work.
    let s = scenario(
        r#"
        horizon = "4h"
        [arrivals]
        rate = "4/h"
        [[callers]]
        handle_time = { dist = "exponential", mean = "3m" }
        first_contact_resolution = 0
        follow_up = { promise = "10m", work = { dist = "deterministic", value = "3m" }, tolerance = { dist = "deterministic", value = "7m" }, status_call = { dist = "deterministic", value = "1m" } }
        [agents]
        count = 1
        orientation = { boss = 1 }
        [agents.behaviour.boss]
        slack = { dist = "exponential", mean = "20m" }
        procrastination = { dist = "deterministic", value = "1000h" }
        [[managers]]
        name = "boss"
        style = "walker"
        office = { dist = "deterministic", value = "20m" }
        visit = { dist = "deterministic", value = "10m" }
        "#,
    );
    let mut sim = Simulation::new(&s);
    let mut resolved = 0;
    for r in 0..50 {
        let mut l = Ledger {
            clock: AgentClock::idle(1),
            ..Ledger::default()
        };
        sim.run(11, r, &mut l).expect("the run ends");
        assert!(l.violations.is_empty(), "{:?}", l.violations);
        for f in &l.follow_ups {
            if f.watchers_at_promise == 0 {
                let boss_came = l
                    .watch_starts
                    .iter()
                    .any(|&t| f.promised <= t && t <= f.started);
                assert!(boss_came, "started only after the boss came: {f:?}");
                resolved += usize::from(f.watchers_at_start != 0);
            }
            let work = (f.resolved - f.started).secs();
            assert!((work - 180.0).abs() < 1e-9, "{f:?}");
        }
        assert!(l.status_calls > 0, "customers call again while they wait");
    }
    assert!(resolved > 100);
}
