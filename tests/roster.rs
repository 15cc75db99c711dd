//! Shifts, breaks, absences and handover (issue #9): the earlier model is unchanged, time and
//! cases are conserved, the roster does what the file says, and handover keeps promises.

use callsim::engine::{AgentState, Case, FollowUpOutcome, Observer, SimTime, Simulation};
use callsim::kpi::{Kpi, ListedScope};

use crate::common::{AgentClock, band, callsim, paired, run, scenario, temp_dir};

/// A day of steady calls with follow-ups; `agents` is the text of the `[agents]` keys.
fn day(agents: &str) -> String {
    format!(
        "horizon = \"1d\"\n[arrivals]\nrate = \"40/h\"\n[[callers]]\n\
         patience = {{ dist = \"exponential\", mean = \"3m\" }}\n\
         handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n\
         first_contact_resolution = 0.6\n\
         follow_up = {{ promise = \"4h\", work = {{ dist = \"exponential\", mean = \"10m\" }}, \
         tolerance = {{ dist = \"exponential\", mean = \"2h\" }} }}\n\
         [agents]\n{agents}\n\
         [[managers]]\nstyle = \"walker\"\noffice = {{ dist = \"exponential\", mean = \"1h\" }}\n\
         visit = {{ dist = \"exponential\", mean = \"15m\" }}\nwatches = 2\n\
         [agents.behaviour.boss]\nslack = {{ dist = \"exponential\", mean = \"1m\" }}\n\
         procrastination = {{ dist = \"exponential\", mean = \"1h\" }}\n"
    )
}

#[test]
fn a_whole_day_shift_is_the_same_as_a_count() {
    let count = scenario(&day("count = 6"));
    let shift = scenario(&day(
        "shifts = [{ start = \"0h\", end = \"24h\", count = 6 }]",
    ));
    for replication in 0..5 {
        let a =
            callsim::experiment::run_replication(&count, 11, replication).expect("the run ends");
        let b =
            callsim::experiment::run_replication(&shift, 11, replication).expect("the run ends");
        assert_eq!(a.overall, b.overall, "replication {replication}");
        assert_eq!(
            a.by_scope[ListedScope::Manager],
            b.by_scope[ListedScope::Manager],
            "replication {replication}"
        );
    }
}

/// Values of every key in `golden` (an object of KPI objects) equal those in `now`, bit for bit.
fn same_values(golden: &serde_json::Value, now: &serde_json::Value, path: &str) {
    match golden {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let there = now.get(k).unwrap_or_else(|| panic!("{path}/{k} is gone"));
                same_values(v, there, &format!("{path}/{k}"));
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                same_values(v, &now[i], &format!("{path}[{i}]"));
            }
        }
        other => assert_eq!(other, now, "{path}"),
    }
}

#[test]
fn scenarios_without_a_roster_give_the_results_of_the_earlier_model() {
    // tests/golden holds KPIs written by the binary before shifts existed (issue #9), with 4
    // replications each. New keys may appear; every old value must stay, bit for bit.
    let dir = temp_dir("golden");
    for name in [
        "default",
        "floor77_walker",
        "lunch_peak",
        "outage_redial_storm",
        "evening_rep",
    ] {
        let path = format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        let json = dir.join(format!("{name}.json"));
        let mut args = vec![
            "run",
            &path,
            "--replications",
            "4",
            "--quiet",
            "--json",
            json.to_str().unwrap(),
        ];
        if name == "lunch_peak" {
            args.extend(["--set", "callbacks.enabled=true"]);
        }
        let out = callsim(&args);
        assert!(out.status.success(), "{name}: {out:?}");
        let now: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let golden: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!(
                "{}/tests/golden/{name}.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap(),
        )
        .unwrap();
        for section in ["kpis", "by_class", "by_manager"] {
            same_values(
                &golden[section],
                &now[section],
                &format!("{name}/{section}"),
            );
        }
    }
}

#[test]
fn agents_on_duty_follow_the_timetable() {
    // 10 agents from 08:00 to 16:00 with a 30-minute break, and 4 more at night from 22:00
    // to 06:00: on average 10 × 7.5 / 24 + 4 × 8 / 24 agents are on duty.
    let shifts = "shifts = [{ start = \"8h\", end = \"16h\", count = 10, breaks = [{ start = \"12h\", \
                  length = \"30m\" }] }, { start = \"22h\", end = \"30h\", count = 4 }]";
    let timetable = 10.0 * 7.5 / 24.0 + 4.0 * 8.0 / 24.0;
    // Nobody calls: the timetable alone.
    let quiet = scenario(&day(shifts).replace("rate = \"40/h\"", "rate = \"0.001/h\""));
    let r = callsim::experiment::run_replication(&quiet, 3, 0)
        .expect("the run ends")
        .overall;
    let staffed = r.get(Kpi::StaffedAgentsMean);
    assert!(
        (staffed - timetable).abs() < 1e-9,
        "{staffed} vs {timetable}"
    );
    // A busy day: an agent due to log out finishes the task in hand first, so a little more.
    let busy = scenario(&day(shifts));
    let r = callsim::experiment::run_replication(&busy, 3, 0)
        .expect("the run ends")
        .overall;
    let staffed = r.get(Kpi::StaffedAgentsMean);
    assert!(
        staffed > timetable && staffed < timetable + 0.2,
        "{staffed} vs {timetable}"
    );
    for kpi in [Kpi::Occupancy, Kpi::IdleShare, Kpi::SlackShare] {
        assert!((0.0..=1.0).contains(&r.get(kpi)), "{}", kpi.key());
    }
}

/// Counts what conservation needs, and when the agent on leave starts follow-ups.
#[derive(Default)]
struct Ledger {
    offered: u64,
    status_calls: u64,
    resolved: u64,
    abandoned_cases: u64,
    clock: AgentClock,
    /// (owner, start) of every resolved follow-up.
    follow_ups: Vec<(u32, f64)>,
    handed_over: u64,
    status_call_times: Vec<f64>,
}

impl Observer for Ledger {
    fn contact_offered(&mut self, _: SimTime, _: usize) {
        self.offered += 1;
    }
    fn status_call_offered(&mut self, now: SimTime, _: usize) {
        self.status_calls += 1;
        self.status_call_times.push(now.secs());
    }
    fn case_resolved(&mut self, _: SimTime, _: Case, _: u32) {
        self.resolved += 1;
    }
    fn case_abandoned(&mut self, _: SimTime, _: Case) {
        self.abandoned_cases += 1;
    }
    fn follow_up_resolved(&mut self, o: &FollowUpOutcome) {
        self.follow_ups.push((o.owner, o.started.secs()));
    }
    fn follow_up_handed_over(&mut self, _: SimTime, _: Case) {
        self.handed_over += 1;
    }
    fn agent_state_changes(&mut self, now: SimTime, _: u32, from: AgentState, to: AgentState) {
        self.clock.advance(now.secs());
        assert!(self.clock.moves(from, to), "no agent was {from:?}");
    }
    fn run_ends(&mut self, now: SimTime) {
        self.clock.advance(now.secs());
    }
}

#[test]
fn cases_and_agent_time_are_conserved_under_every_handover() {
    let text = include_str!("../scenarios/broken_promises.toml");
    for handover in ["none", "colleague", "pool"] {
        let s = callsim::scenario::parse(
            text,
            "broken_promises.toml",
            &[format!("agents.handover=\"{handover}\"")],
        )
        .unwrap();
        let absence = s.agents.absences[0];
        let mut sim = Simulation::new(&s);
        for replication in 0..3 {
            let mut ledger = Ledger {
                clock: AgentClock::idle(s.agents.count),
                ..Ledger::default()
            };
            sim.run(s.seed, replication, &mut ledger)
                .expect("the run ends");
            // No redials or callbacks here: every first call opens a case that ends once.
            assert_eq!(
                ledger.offered - ledger.status_calls,
                ledger.resolved + ledger.abandoned_cases,
                "{handover}: cases"
            );
            let total = ledger.clock.total();
            let expected = f64::from(s.agents.count) * ledger.clock.last;
            assert!(
                (total - expected).abs() <= 1e-9 * expected,
                "{handover}: agent time"
            );
            assert_eq!(
                ledger.clock.in_state(AgentState::Idle)
                    + ledger.clock.in_state(AgentState::OffDuty),
                s.agents.count,
                "{handover}: nobody at work at the end"
            );
            // Nobody on leave starts work.
            assert!(
                !ledger
                    .follow_ups
                    .iter()
                    .any(|&(owner, started)| owner == absence.agent
                        && started > absence.from_s
                        && started < absence.to_s),
                "{handover}: agent {} worked on leave",
                absence.agent
            );
            assert_eq!(ledger.handed_over > 0, handover != "none", "{handover}");
            // Customers whose patience runs out at night call when the floor opens.
            let gaps = callsim::model::uncovered(&s.agents.shifts);
            assert!(!gaps.is_empty() && ledger.status_calls > 0);
            for t in &ledger.status_call_times {
                let clock = t.rem_euclid(86_400.0);
                assert!(
                    !gaps.iter().any(|&(a, b)| a <= clock && clock < b - 1e-6),
                    "{handover}: a status call at {:.2} h, when nobody works",
                    clock / 3600.0
                );
            }
        }
    }
}

#[test]
fn handing_over_an_absent_agents_promises_keeps_more_of_them() {
    let text = include_str!("../scenarios/broken_promises.toml");
    let with = |handover: &str| {
        callsim::scenario::parse(
            text,
            "broken_promises.toml",
            &[format!("agents.handover=\"{handover}\"")],
        )
        .unwrap()
    };
    let none = run(&with("none"), 30, 5);
    for handover in ["colleague", "pool"] {
        let other = run(&with(handover), 30, 5);
        let status = paired(&other, &none, Kpi::StatusCalls);
        let on_time = paired(&other, &none, Kpi::FollowUpOnTime);
        assert!(
            status.mean + band(&status) < 0.0,
            "{handover}: status calls {:+.1} ± {:.1}",
            status.mean,
            band(&status)
        );
        assert!(
            on_time.mean - band(&on_time) > 0.0,
            "{handover}: on time {:+.4} ± {:.4}",
            on_time.mean,
            band(&on_time)
        );
    }
}

#[test]
fn hours_with_calls_and_nobody_on_duty_are_a_warning() {
    let dir = temp_dir("uncovered");
    // Runs a day with `shifts`; returns the table and the JSON.
    let day_with = |name: &str, shifts: &str| {
        let path = dir.join(format!("{name}.toml"));
        let json = dir.join(format!("{name}.json"));
        std::fs::write(&path, day(shifts)).unwrap();
        let out = callsim(&[
            "run",
            path.to_str().unwrap(),
            "--replications",
            "10",
            "--json",
            json.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "a warning, not an error: {out:?}");
        (
            // Warnings go to stderr (issue #15).
            String::from_utf8_lossy(&out.stderr).into_owned(),
            std::fs::read_to_string(&json).unwrap(),
        )
    };
    let (table, json) = day_with(
        "night",
        "shifts = [{ start = \"8h\", end = \"20h\", count = 6 }]",
    );
    let message = "nobody is on duty from 00:00 to 08:00 while calls arrive";
    assert!(table.contains(message), "{table}");
    assert!(table.contains("from 20:00 to 24:00"), "{table}");
    assert!(json.contains(message));
    // A night shift covers the gap: no warning.
    let (table, _) = day_with(
        "covered",
        "shifts = [{ start = \"8h\", end = \"20h\", count = 6 }, \
         { start = \"20h\", end = \"32h\", count = 2 }]",
    );
    assert!(!table.contains("nobody is on duty"), "{table}");
}

#[test]
fn a_shift_with_days_works_only_those_days() {
    // Two agents, one every day and one on day 2 only, 08:00-10:00, over three days: the
    // agent-time on duty is 3 × 2 h for the first and 2 h for the second.
    let s = scenario(
        "horizon = \"3d\"\n[arrivals]\nrate = \"1/d\"\n[[callers]]\n\
         handle_time = { dist = \"deterministic\", value = \"1s\" }\n[agents]\n\
         shifts = [{ name = \"daily\", start = \"08:00\", end = \"10:00\", count = 1 },\n\
         { name = \"tuesday\", start = \"08:00\", end = \"10:00\", count = 1, days = [2] }]\n",
    );
    let r = run(&s, 1, 1);
    let on_duty = r.overall.get(Kpi::StaffedAgentsMean).unwrap().mean;
    let expected = (3.0 * 2.0 + 2.0) / 72.0;
    assert!(
        (on_duty - expected).abs() < 1e-9,
        "{on_duty} against {expected}"
    );
}
