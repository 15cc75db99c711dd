//! The `random` manager (issue #18's example of a feature added in one place): she roams the
//! floor all day, standing beside one agent drawn at random among those on duty for a visit,
//! then beside the next one drawn.

use callsim::engine::{AgentState, Observer, SimTime, Simulation};
use callsim::kpi::{Kpi, ListedScope};
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::common::{ALPHA, band, callsim, run, scenario, temp_dir, write};

/// A floor of `agents` with a rover; `extra` adds `[agents]` keys.
fn floor(agents: u32, extra: &str) -> String {
    format!(
        r#"
        horizon = "6h"
        warmup = "30m"
        [arrivals]
        rate = "{rate}/h"
        [[callers]]
        handle_time = {{ dist = "exponential", mean = "5m" }}
        [agents]
        count = {agents}
        {extra}
        [[managers]]
        name = "Robin"
        style = "random"
        visit = {{ dist = "exponential", mean = "10m" }}
        "#,
        rate = agents * 9
    )
}

/// What the rover does, seen through the observer.
#[derive(Default)]
struct Rover {
    horizon: f64,
    /// Each agent's state now.
    states: Vec<AgentState>,
    /// Visits begun per agent.
    visits: Vec<u64>,
    /// The most agents she watched at once.
    most: u32,
    /// Moments before the horizon, after her first visit began, when she watched nobody.
    idle_moments: u64,
    started: bool,
    /// Visits to an agent not on duty, unless they came on duty at that very instant (an agent
    /// logging in is on duty before they report their first state).
    off_duty: Vec<(u32, f64)>,
    off_duty_visits: u64,
}

impl Observer for Rover {
    fn agent_state_changes(&mut self, now: SimTime, agent: u32, from: AgentState, to: AgentState) {
        let time = now.secs();
        self.states[agent as usize] = to;
        if from == AgentState::OffDuty {
            self.off_duty.retain(|&(a, t)| (a, t) != (agent, time));
        }
    }

    fn agent_watched(&mut self, now: SimTime, agent: u32, manager: usize, watching: bool) {
        let time = now.secs();
        assert_eq!(manager, 0);
        if watching {
            self.visits[agent as usize] += 1;
            if self.states[agent as usize] == AgentState::OffDuty {
                self.off_duty.push((agent, time));
            }
        }
    }

    fn agents_watched(&mut self, now: SimTime, _: usize, watched: u32) {
        let time = now.secs();
        self.most = self.most.max(watched);
        self.started |= watched > 0;
        // She moves on in one step: leave one, stand beside the next, then report.
        if self.started && watched == 0 && time < self.horizon {
            self.idle_moments += 1;
        }
    }
}

fn watch(text: &str, replications: u64) -> Rover {
    let s = scenario(text);
    let agents = s.agents.count as usize;
    let mut sim = Simulation::new(&s);
    let mut total = Rover {
        visits: vec![0; agents],
        ..Rover::default()
    };
    for replication in 0..replications {
        let mut rover = Rover {
            horizon: s.horizon,
            states: vec![AgentState::Idle; agents],
            visits: vec![0; agents],
            ..Rover::default()
        };
        sim.run(5, replication, &mut rover).unwrap();
        for (t, v) in total.visits.iter_mut().zip(&rover.visits) {
            *t += v;
        }
        total.most = total.most.max(rover.most);
        total.idle_moments += rover.idle_moments;
        total.off_duty_visits += rover.off_duty.len() as u64;
    }
    total
}

#[test]
fn a_random_manager_stands_beside_exactly_one_agent_all_day() {
    let rover = watch(&floor(10, ""), 20);
    assert_eq!(rover.most, 1, "she watches one agent at a time");
    assert_eq!(rover.idle_moments, 0, "she is beside someone all day");
    // So one agent in ten is observed at every moment of the window: exactly 1/10.
    let r = run(&scenario(&floor(10, "")), 8, 5);
    for v in &r.per_replication {
        let share = v.get(Kpi::ObservedShare);
        assert!((share - 0.1).abs() < 1e-9, "observed share {share}");
    }
    let robin = &r.by_scope[ListedScope::Manager][0];
    let seen = robin.get(Kpi::ObservedShare).unwrap().mean;
    assert!((seen - 0.1).abs() < 1e-9, "her own observed share {seen}");
}

#[test]
fn a_random_manager_visits_every_agent_alike() {
    let rover = watch(&floor(8, ""), 60);
    let total: u64 = rover.visits.iter().sum();
    let expected = total as f64 / 8.0;
    assert!(expected > 100.0, "{total} visits");
    let chi2: f64 = rover
        .visits
        .iter()
        .map(|&o| (o as f64 - expected).powi(2) / expected)
        .sum();
    let limit = ChiSquared::new(7.0).unwrap().inverse_cdf(1.0 - ALPHA);
    assert!(
        chi2 < limit,
        "visits per agent {:?}: χ² = {chi2:.1} above {limit:.1}",
        rover.visits
    );
}

#[test]
fn a_random_manager_visits_only_agents_on_duty() {
    // Half the floor works the morning, half the afternoon.
    let shifts = r#"shifts = [{ start = "0h", end = "3h", count = 5 }, { start = "3h", end = "6h", count = 5 }]"#;
    let text = floor(10, shifts).replace("count = 10\n", "");
    let rover = watch(&text, 20);
    assert_eq!(rover.off_duty_visits, 0);
    assert!(rover.visits.iter().all(|&v| v > 0), "{:?}", rover.visits);
    assert_eq!(
        rover.idle_moments, 0,
        "someone is always on duty to stand beside"
    );
}

#[test]
fn agents_who_slack_unwatched_work_faster_beside_a_random_manager() {
    // Boss-oriented agents work 20 % slower unobserved: the calls she sees are shorter.
    let text = floor(
        10,
        r#"orientation = { boss = 1 }
        [agents.behaviour.boss]
        pace = 1.2
        observed_pace = 1.0"#,
    );
    let r = run(&scenario(&text), 40, 9);
    let diff = callsim::stats::Estimate::from_values(
        r.per_replication
            .iter()
            .map(|v| v.get(Kpi::HandleTimeMeanSUnobserved) - v.get(Kpi::HandleTimeMeanSObserved)),
    );
    // Unobserved talk is 1.2 × 5 min, observed 5 min: 60 s apart.
    assert!(
        (diff.mean - 60.0).abs() <= band(&diff),
        "unobserved − observed talk: {:.1} ± {:.1} s",
        diff.mean,
        band(&diff)
    );
}

#[test]
fn a_random_manager_is_checked_like_any_other() {
    let dir = temp_dir("rover");
    let cases = [
        (
            "visit = { dist = \"exponential\", mean = \"10m\" }",
            "",
            "managers[0].visit",
        ),
        (
            "visit = { dist = \"exponential\", mean = \"10m\" }",
            "office = { dist = \"exponential\", mean = \"10m\" }",
            "not a key of a random manager",
        ),
        (
            "visit = { dist = \"exponential\", mean = \"10m\" }",
            "watches = 3",
            "managers[0].watches",
        ),
    ];
    for (i, (visit, extra, expect)) in cases.iter().enumerate() {
        let mut text = floor(4, "");
        if extra.is_empty() {
            text = text.replace(visit, "");
        } else {
            text = text.replace(visit, &format!("{visit}\n{extra}"));
        }
        let path = write(&dir, &format!("r{i}.toml"), &text);
        let out = callsim(&["run", &path, "--quiet"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(expect), "{expect}: {err}");
        assert!(err.contains(&path), "names the file: {err}");
    }
    let zero = floor(4, "").replace("mean = \"10m\" }", "mean = \"0s\" }");
    let path = write(&dir, "zero.toml", &zero);
    let out = callsim(&["run", &path, "--quiet"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("managers[0].visit"), "{err}");
}
