//! Staffing plans (issue #16, item 2): `agents.plan = { interval, counts }` logs agents in
//! and out as people: those logged out longest log in, those logged in longest log out after
//! the task in hand. A plan equal to a set of shifts gives those shifts' results bit for bit.

use callsim::engine::AgentState;
use callsim::experiment::{ExperimentResult, trace};
use callsim::kpi::Kpi;

use crate::common::{ok, run, scenario};

/// One day from 08:00 to 20:00 with a morning and an afternoon team and a walking manager.
fn day(agents: &str, horizon: &str) -> String {
    format!(
        "opens = \"08:00\"\nhorizon = \"{horizon}\"\nreplications = 6\nseed = 5\n\
         [arrivals]\nprofile = {{ interval = \"1h\", rates = [\"60/h\", \"90/h\", \"110/h\", \"120/h\", \
         \"150/h\", \"160/h\", \"150/h\", \"130/h\", \"90/h\", \"70/h\", \"60/h\", \"40/h\"] }}\n\
         [[callers]]\npatience = {{ dist = \"exponential\", mean = \"3m\" }}\n\
         handle_time = {{ dist = \"lognormal\", mean = \"5m\", cv = 0.8 }}\n\
         after_call_work = {{ dist = \"exponential\", mean = \"30s\" }}\n\
         first_contact_resolution = 0.8\n\
         follow_up = {{ promise = \"4h\", work = {{ dist = \"exponential\", mean = \"6m\" }} }}\n\
         [agents]\n{agents}\n\
         [agents.behaviour.unsure]\nslack = {{ dist = \"exponential\", mean = \"2m\" }}\n\
         [[managers]]\nstyle = \"walker\"\noffice = {{ dist = \"exponential\", mean = \"20m\" }}\n\
         visit = {{ dist = \"exponential\", mean = \"3m\" }}\n"
    )
}

const SHIFTS: &str = "shifts = [\n  { name = \"early\", start = \"08:00\", end = \"16:00\", count = 10 },\n  \
                      { name = \"late\", start = \"12:00\", end = \"20:00\", count = 8 },\n]";

/// The same people as SHIFTS: 10 from 08:00, 18 from 12:00, 8 from 16:00 (the early team,
/// logged in longest, leaves first), nobody from 20:00.
const PLAN: &str = "plan = { interval = \"30m\", counts = [10, 10, 10, 10, 10, 10, 10, 10, \
                    18, 18, 18, 18, 18, 18, 18, 18, 8, 8, 8, 8, 8, 8, 8, 8] }";

fn same_bits(a: &ExperimentResult, b: &ExperimentResult) {
    assert_eq!(a.per_replication.len(), b.per_replication.len());
    for (k, e) in &a.overall.kpis {
        let f = b.overall.get(*k).expect("same KPIs");
        for (x, y) in [(e.mean, f.mean), (e.std_dev, f.std_dev)] {
            assert!(
                x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                "{k:?}: {x} against {y}"
            );
        }
    }
}

#[test]
fn a_plan_equal_to_shifts_gives_the_same_results_bit_for_bit() {
    for horizon in ["12h", "3d"] {
        let shifts = scenario(&day(SHIFTS, horizon));
        let plan = scenario(&day(PLAN, horizon));
        assert_eq!(plan.agents.count, 18);
        assert_eq!(plan.agents.closed_hours(), shifts.agents.closed_hours());
        same_bits(&run(&shifts, 6, 5), &run(&plan, 6, 5));
    }
}

/// Who is logged in, from the trace's state changes, at time `t`.
fn logged_in_at(s: &callsim::model::Scenario, t: f64) -> Vec<u32> {
    let tr = trace(s, s.seed, 0).expect("small run");
    let mut off = vec![false; s.agents.count as usize];
    for seg in tr.segments.iter().filter(|g| g.span.0 <= t && t < g.span.1) {
        off[seg.agent as usize] = seg.state == AgentState::OffDuty;
    }
    // An agent whose current state began before t and has not ended is in no segment yet:
    // the last state change before t says.
    for row in tr
        .rows
        .iter()
        .filter(|r| r.event == "agent_state" && r.time <= t)
    {
        let agent = row.agent.unwrap() as usize;
        off[agent] = row.detail.ends_with("-> OffDuty");
    }
    (0..s.agents.count).filter(|a| !off[*a as usize]).collect()
}

/// Nearly no calls, so nobody is busy at a change: the rule shows plainly.
fn quiet(plan: &str, horizon: &str) -> callsim::model::Scenario {
    scenario(&format!(
        "horizon = \"{horizon}\"\nseed = 3\n[arrivals]\nrate = \"1/d\"\n[[callers]]\n\
         handle_time = {{ dist = \"exponential\", mean = \"1m\" }}\n[agents]\n{plan}\n"
    ))
}

#[test]
fn agents_are_people_the_longest_logged_in_leave_first() {
    let s = quiet("plan = { interval = \"1h\", counts = [3, 5, 2] }", "3h");
    let h = 3600.0;
    assert_eq!(logged_in_at(&s, 0.5 * h), [0, 1, 2]);
    // Two more log in; the first three stay on (the same people across intervals).
    assert_eq!(logged_in_at(&s, 1.5 * h), [0, 1, 2, 3, 4]);
    // Down to two: the three logged in since 00:00 leave, the two from 01:00 stay.
    assert_eq!(logged_in_at(&s, 2.5 * h), [3, 4]);
}

#[test]
fn the_plan_repeats_daily_and_rotates_who_works_the_late_interval() {
    // Two in the morning, one in the afternoon: each afternoon the one logged in longest
    // leaves, so the afternoon agent alternates from day to day.
    let s = quiet("plan = { interval = \"12h\", counts = [2, 1] }", "4d");
    let h = 3600.0;
    let afternoons: Vec<Vec<u32>> = (0..4)
        .map(|d| logged_in_at(&s, f64::from(d) * 24.0 * h + 18.0 * h))
        .collect();
    assert_eq!(afternoons, [vec![1], vec![0], vec![1], vec![0]]);
    for d in 0..4 {
        assert_eq!(logged_in_at(&s, f64::from(d) * 24.0 * h + 6.0 * h), [0, 1]);
    }
}

#[test]
fn an_agent_due_to_log_out_finishes_the_call_in_hand() {
    // Busy agents: a long call in progress at 01:00 is finished before the agent leaves.
    let s = scenario(
        "horizon = \"2h\"\nseed = 8\n[arrivals]\nrate = \"120/h\"\n[[callers]]\n\
         handle_time = { dist = \"exponential\", mean = \"10m\" }\n[agents]\n\
         plan = { interval = \"1h\", counts = [6, 2] }\n",
    );
    let tr = trace(&s, s.seed, 0).unwrap();
    let h = 3600.0;
    let mut late_leavers = 0;
    for agent in 0..4u32 {
        // The agents logged in longest are 0..6; four of them (0..4) leave at 01:00.
        let seg = tr
            .segments
            .iter()
            .find(|g| g.agent == agent && g.span.0 < h && h <= g.span.1);
        let leaves = tr
            .rows
            .iter()
            .find(|r| r.agent == Some(agent) && r.time >= h && r.detail.ends_with("-> OffDuty"))
            .expect("leaves after 01:00")
            .time;
        match seg {
            // Talking or wrapping up at 01:00: leaves when that task ends, not before.
            Some(g) if matches!(g.state, AgentState::Talking | AgentState::WrapUp) => {
                assert!(leaves >= g.span.1 - 1e-9 && leaves > h);
                late_leavers += 1;
            }
            _ => {}
        }
        // Once told to leave, nobody takes a new call.
        assert!(!tr.rows.iter().any(|r| r.agent == Some(agent)
            && r.time > h
            && r.time < leaves
            && r.detail.ends_with("-> Talking")));
    }
    assert!(late_leavers > 0, "at this load some agent is busy at 01:00");
}

#[test]
fn staff_writes_a_scenario_with_its_plan_that_run_reads() {
    use crate::common::{callsim, temp_dir, write};
    let dir = temp_dir("plan_out");
    let file = write(
        &dir,
        "day.toml",
        "# A short day.\nname = \"short day\"\nopens = \"09:00\"\nhorizon = \"2h\"\nreplications = 4\n\
         [arrivals]\nprofile = { interval = \"30m\", rates = [\"60/h\", \"120/h\", \"180/h\", \"90/h\"] }\n\
         [[callers]]\npatience = { dist = \"exponential\", mean = \"2m\" }\n\
         handle_time = { dist = \"exponential\", mean = \"4m\" }\n[agents]\ncount = 3\n",
    );
    let out_file = dir.join("staffed.toml");
    let json = dir.join("staff.json");
    ok(&callsim(&[
        "staff",
        &file,
        "--service-level",
        "0.8",
        "--within",
        "20s",
        "--replications",
        "4",
        "--quiet",
        "--json",
        json.to_str().unwrap(),
        "--scenario-out",
        out_file.to_str().unwrap(),
    ]));
    let found: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let agents: Vec<u32> = found["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["agents"].as_u64().unwrap() as u32)
        .collect();
    let written = callsim::scenario::load(Some(&out_file), &[])
        .unwrap()
        .scenario;
    let plan = written.agents.plan.expect("a plan");
    assert_eq!(plan.counts, agents);
    assert_eq!(plan.interval_s, 1800.0);
    assert_eq!((written.opens_s, written.horizon), (9.0 * 3600.0, 7200.0));
    ok(&callsim(&["run", out_file.to_str().unwrap(), "--quiet"]));

    // Skill groups cannot take a whole-floor head count: refused before simulating, and
    // nothing is written.
    let skills = write(
        &dir,
        "skills.toml",
        &std::fs::read_to_string(&file).unwrap().replace(
            "count = 3\n",
            "count = 3\nskills = [{ agents = 3, departments = [\"sales\"] }]\n",
        ),
    );
    let refused_out = dir.join("refused.toml");
    let refused = callsim(&[
        "staff",
        &skills,
        "--service-level",
        "0.8",
        "--within",
        "20s",
        "--scenario-out",
        refused_out.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("agents.skills"));
    assert!(!refused_out.exists());
}

/// Issue #17, item 1: `staff` verified on the whole day. Its plan meets the target in every
/// interval of the day simulation, and one agent fewer in any interval makes the day miss it;
/// the answer is the same for any thread count.
#[test]
fn staff_by_day_meets_every_interval_and_one_fewer_misses() {
    use callsim::experiment::{RunOptions, StaffTarget, staff_day};
    let s = scenario(
        "opens = \"08:00\"\nhorizon = \"3h\"\nseed = 12\n[arrivals]\n\
         profile = { interval = \"30m\", rates = [\"60/h\", \"150/h\", \"240/h\", \"240/h\", \"120/h\", \"60/h\"] }\n\
         [[callers]]\npatience = { dist = \"exponential\", mean = \"2m\" }\n\
         handle_time = { dist = \"exponential\", mean = \"4m\" }\n[agents]\ncount = 1\n",
    );
    let target = StaffTarget {
        service_level: 0.8,
        within_s: 20.0,
        max_abandon: None,
    };
    let options = |threads| RunOptions {
        replications: 20,
        seed: 3,
        threads: Some(threads),
        details: false,
        clock: None,
    };
    let (periods, _) = staff_day(&s, &target, &options(2), &|_, _| {}).unwrap();
    let counts: Vec<u32> = periods.iter().map(|p| p.staffed.unwrap().agents).collect();
    for p in &periods {
        assert!(p.staffed.unwrap().service_level.mean >= 0.8, "{p:?}");
    }
    // Check the claim in a day simulation of our own, on the same random numbers.
    let day = |counts: &[u32]| {
        let mut d = s.clone();
        d.agents.count = *counts.iter().max().unwrap();
        d.agents.plan = Some(callsim::model::Plan {
            daily: true,
            interval_s: 1800.0,
            counts: counts.to_vec(),
        });
        d.report_interval_s = 1800.0;
        let mut o = options(2);
        o.details = true;
        let r = callsim::experiment::run(&d, &o, &|_, _| {}).unwrap();
        r.by_interval
            .iter()
            .map(|row| {
                row.iter()
                    .find(|(k, _)| *k == Kpi::ServiceLevel)
                    .unwrap()
                    .1
                    .mean
            })
            .collect::<Vec<f64>>()
    };
    assert!(day(&counts).iter().all(|sl| *sl >= 0.8));
    for i in 0..counts.len() {
        let mut fewer = counts.clone();
        fewer[i] -= 1;
        assert!(
            day(&fewer).iter().any(|sl| *sl < 0.8),
            "one fewer at interval {i} still meets the target: {counts:?}"
        );
    }
    let (again, _) = staff_day(&s, &target, &options(1), &|_, _| {}).unwrap();
    let again: Vec<u32> = again.iter().map(|p| p.staffed.unwrap().agents).collect();
    assert_eq!(again, counts, "thread count changed the answer");
}

#[test]
fn staff_by_day_refuses_a_profile_a_plan_cannot_follow() {
    use crate::common::{callsim, temp_dir, write};
    let dir = temp_dir("staff_day_refused");
    let file = write(
        &dir,
        "odd.toml",
        "horizon = \"21m\"\n[arrivals]\nprofile = { interval = \"7m\", rates = [\"60/h\", \"90/h\", \"60/h\"] }\n\
         [[callers]]\nhandle_time = { dist = \"exponential\", mean = \"4m\" }\n[agents]\ncount = 3\n",
    );
    let args = [
        "staff",
        &file,
        "--service-level",
        "0.8",
        "--within",
        "20s",
        "--quiet",
    ];
    let out = callsim(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use --method sipp"));
    ok(&callsim(
        &[&args[..], &["--method", "sipp", "--replications", "4"]].concat(),
    ));
}

/// `staff` answers for one pool of agents: lines per department, like the departments
/// themselves, do not reach its trials (they once limited the whole pool to the first
/// department's lines).
#[test]
fn staff_ignores_department_lines_as_it_ignores_departments() {
    use callsim::experiment::{RunOptions, StaffTarget, staff};
    let text = |lines: &str| {
        format!(
            "{lines}horizon = \"1h\"\n[arrivals]\nrate = \"150/h\"\n\
             [[callers]]\nname = \"billing\"\nshare = 0.6\ndepartment = \"billing\"\n\
             handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n\
             [[callers]]\nname = \"technical\"\nshare = 0.4\ndepartment = \"technical\"\n\
             handle_time = {{ dist = \"exponential\", mean = \"6m\" }}\n\
             [agents]\ncount = 11\nskills = [{{ agents = 6, departments = [\"billing\"] }}, \
             {{ agents = 5, departments = [\"technical\"] }}]\n"
        )
    };
    let target = StaffTarget {
        service_level: 0.8,
        within_s: 20.0,
        max_abandon: None,
    };
    let options = RunOptions {
        replications: 6,
        seed: 2,
        threads: None,
        details: false,
        clock: None,
    };
    let agents = |text: &str| {
        staff(&scenario(text), &target, &options, &|_, _| {})
            .unwrap()
            .iter()
            .map(|p| {
                p.staffed
                    .map(|t| (t.agents, t.service_level.mean.to_bits()))
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        agents(&text("lines = { billing = 2 }\n")),
        agents(&text(""))
    );
}
