//! Decision benchmarks (criterion). Run with `cargo bench --bench decide`.
//!
//! * `staff/default_day/day`: `staff` on the built-in default day (24 half hours, 30
//!   replications per day simulation) by whole-day simulations, the default method. Issue #17
//!   asks for at most 20 s on 2 cores; it takes about 3 s.
//! * `staff/default_day/sipp`: the same by stationary independent periods, for comparison.
//! * `schedule/default_day`: `schedule` on the default day with its `[scheduling]` patterns:
//!   the day-verified requirement, the covering integer program and the roster's day
//!   simulations. Issue #17 asks for at most 60 s on 2 cores.
//! * `floor`: not criterion; `staff` and `schedule` on a 500-agent, 4-department day
//!   (`support/four_departments.toml`) and on the same day as a single queue, timed in turns
//!   (best of 2; about 8 minutes), printed as seconds and the ratio departments / single
//!   queue. `cargo bench --bench decide -- floor` runs only this report.

use criterion::{Criterion, criterion_group, criterion_main};

use callsim::experiment::{RunOptions, ScheduleMethod, StaffTarget, schedule, staff, staff_day};

#[path = "support/measure.rs"]
#[allow(dead_code, reason = "this bench times jobs and counts no bytes")]
mod measure;

/// 80 % answered within 20 s.
fn target() -> StaffTarget {
    StaffTarget {
        service_level: 0.8,
        within_s: 20.0,
        max_abandon: None,
    }
}

/// The scenario's own replications and seed, on every thread.
fn options(s: &callsim::model::Scenario) -> RunOptions {
    RunOptions {
        replications: s.replications,
        seed: s.seed,
        threads: None,
        details: false,
        clock: None,
    }
}

fn default_day() -> callsim::model::Scenario {
    callsim::scenario::load(None, &[])
        .expect("the built-in scenario is valid")
        .scenario
}

/// The 500-agent, 4-department day, and the same day as a single queue.
fn four_departments() -> (callsim::model::Scenario, callsim::model::Scenario) {
    let text = include_str!("support/four_departments.toml");
    let floor =
        callsim::scenario::parse(text, "four_departments.toml", &[]).expect("the floor is valid");
    // The same callers and head count without departments: drop each class's department and
    // the skill groups.
    let mut single = String::new();
    let mut in_skills = false;
    for line in text.lines() {
        if line.starts_with("skills = [") {
            in_skills = true;
        } else if in_skills {
            in_skills = line != "]";
        } else if !line.starts_with("department = ") {
            single.push_str(line);
            single.push('\n');
        }
    }
    let single = callsim::scenario::parse(&single, "single_queue.toml", &[])
        .expect("the single queue is valid");
    assert!(single.agents.departments.len() < 2 && floor.agents.departments.len() == 4);
    (floor, single)
}

fn report_floor() {
    let (floor, single) = four_departments();
    let (target, options) = (target(), options(&floor));
    let staff_of = |s: &callsim::model::Scenario| {
        std::hint::black_box(staff_day(s, &target, &options, &|_, _| {}).expect("staffs"));
    };
    let schedule_of = |s: &callsim::model::Scenario| {
        std::hint::black_box(
            schedule(s, &target, &options, ScheduleMethod::Day).expect("a roster"),
        );
    };
    let [staff_floor, staff_single, schedule_floor, schedule_single] = measure::best_in_turns(
        2,
        &mut [
            &mut || staff_of(&floor),
            &mut || staff_of(&single),
            &mut || schedule_of(&floor),
            &mut || schedule_of(&single),
        ],
    );
    println!(
        "floor: staff on 500 agents in 4 departments {staff_floor:.1} s, as a single queue \
         {staff_single:.1} s: {:.2}x (best of 2, in turns)",
        staff_floor / staff_single
    );
    println!(
        "floor: schedule on 500 agents in 4 departments {schedule_floor:.1} s, as a single \
         queue {schedule_single:.1} s: {:.2}x (best of 2, in turns)",
        schedule_floor / schedule_single
    );
}

fn staff_benches(c: &mut Criterion) {
    report_floor();
    let s = default_day();
    let (target, options) = (target(), options(&s));
    let mut group = c.benchmark_group("staff/default_day");
    group.sample_size(10);
    group.bench_function("day", |b| {
        b.iter(|| staff_day(&s, &target, &options, &|_, _| {}).expect("runs"))
    });
    group.bench_function("sipp", |b| {
        b.iter(|| staff(&s, &target, &options, &|_, _| {}).expect("runs"))
    });
    group.finish();
    let mut group = c.benchmark_group("schedule");
    group.sample_size(10);
    group.bench_function("default_day", |b| {
        b.iter(|| schedule(&s, &target, &options, ScheduleMethod::Day).expect("a roster"))
    });
    group.finish();
}

criterion_group!(decide, staff_benches);
criterion_main!(decide);
