//! Decision benchmarks (criterion). Run with `cargo bench --bench decide`.
//!
//! * `staff/default_day/day`: `staff` on the built-in default day (24 half hours, 30
//!   replications per day simulation) by whole-day simulations, the default method. Issue #17
//!   asks for at most 20 s on 2 cores; it takes about 3 s.
//! * `staff/default_day/sipp`: the same by stationary independent periods, for comparison.
//! * `schedule/default_day`: `schedule` on the default day with its `[scheduling]` patterns:
//!   the day-verified requirement, the covering integer program and the roster's day
//!   simulations. Issue #17 asks for at most 60 s on 2 cores.

use criterion::{Criterion, criterion_group, criterion_main};

use callsim::experiment::{RunOptions, ScheduleMethod, StaffTarget, schedule, staff, staff_day};

fn default_day() -> callsim::model::Scenario {
    callsim::scenario::load(None, &[])
        .expect("the built-in scenario is valid")
        .scenario
}

fn staff_benches(c: &mut Criterion) {
    let s = default_day();
    let target = StaffTarget {
        service_level: 0.8,
        within_s: 20.0,
        max_abandon: None,
    };
    let options = RunOptions {
        replications: s.replications,
        seed: s.seed,
        threads: None,
        details: false,
        clock: None,
    };
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
