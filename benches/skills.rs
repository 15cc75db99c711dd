//! Multi-skill routing at scale (issue #20): a floor of 20 departments and 10,000 agents (20
//! single-skill groups of 400 and 20 two-skill groups of 100, each serving its department and
//! the next) against a 5,000-agent single queue, both at 96 % offered load with the same number
//! of arrivals (talks of 4 min, patience of 5 min, one replication, one thread).
//!
//! * `skills`: not criterion; both timed in turns (best of 5, and the median), printed as the
//!   time per arrival and the ratio floor / single queue, so that a busy spell on this shared
//!   machine slows both alike. The aim of issue #20 is a ratio of at most 1.5.
//! * `skills/floor_20x10000` and `skills/single_5000`: criterion, a tenth of the arrivals.

use callsim::engine::Simulation;
use callsim::kpi::KpiCollector;
use callsim::model::Scenario;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const DEPARTMENTS: usize = 20;
/// Mean talk, seconds.
const HANDLE_S: f64 = 240.0;
const LOAD: f64 = 0.96;

/// The 20-department, 10,000-agent floor with about `arrivals` arrivals.
fn floor(arrivals: f64) -> Scenario {
    let agents = 10_000.0;
    let rate = LOAD * agents / HANDLE_S; // per second
    let mut text = format!(
        "name = \"20 departments, 10,000 agents\"\nhorizon = {:.0}\n[arrivals]\nrate = \"{}/s\"\n",
        arrivals / rate,
        rate
    );
    for d in 0..DEPARTMENTS {
        text += &format!(
            "[[callers]]\nname = \"d{d}\"\nshare = {}\ndepartment = \"d{d}\"\n\
             patience = {{ dist = \"exponential\", mean = \"5m\" }}\n\
             handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n",
            1.0 / DEPARTMENTS as f64
        );
    }
    text += "[agents]\ncount = 10000\nskills = [\n";
    for d in 0..DEPARTMENTS {
        text += &format!("  {{ agents = 400, departments = [\"d{d}\"] }},\n");
    }
    for d in 0..DEPARTMENTS {
        let next = (d + 1) % DEPARTMENTS;
        text += &format!("  {{ agents = 100, departments = [\"d{d}\", \"d{next}\"] }},\n");
    }
    text += "]\n";
    callsim::scenario::parse(&text, "floor.toml", &[]).expect("the floor is valid")
}

/// A 5,000-agent single queue at the same load, with about `arrivals` arrivals.
fn single_queue(arrivals: f64) -> Scenario {
    let rate = LOAD * 5000.0 / HANDLE_S;
    let text = format!(
        "name = \"single queue, 5,000 agents\"\nhorizon = {:.0}\n[arrivals]\nrate = \"{rate}/s\"\n\
         [[callers]]\npatience = {{ dist = \"exponential\", mean = \"5m\" }}\n\
         handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n[agents]\ncount = 5000\n",
        arrivals / rate
    );
    callsim::scenario::parse(&text, "single.toml", &[]).expect("the single queue is valid")
}

/// One replication with the full KPI collector; returns the offered count.
fn one_replication(s: &Scenario, sim: &mut Simulation, replication: u64) -> f64 {
    let mut collector = KpiCollector::new(s);
    sim.run(1, replication, &mut collector)
        .expect("the run ends");
    collector.finish().overall.0[0]
}

/// Seconds per arrival of the floor and the single queue, in turns; prints the ratio.
fn report_skills() {
    let arrivals = 2e6;
    let (floor, single) = (floor(arrivals), single_queue(arrivals));
    let (mut floor_sim, mut single_sim) = (Simulation::new(&floor), Simulation::new(&single));
    let (mut floor_times, mut single_times) = (Vec::new(), Vec::new());
    let (mut floor_offered, mut single_offered) = (0.0, 0.0);
    for r in 0..5 {
        let start = std::time::Instant::now();
        floor_offered = one_replication(&floor, &mut floor_sim, r);
        floor_times.push(start.elapsed().as_secs_f64() / floor_offered);
        let start = std::time::Instant::now();
        single_offered = one_replication(&single, &mut single_sim, r);
        single_times.push(start.elapsed().as_secs_f64() / single_offered);
    }
    let best = |t: &[f64]| t.iter().copied().fold(f64::INFINITY, f64::min);
    let median = |t: &mut Vec<f64>| {
        t.sort_by(f64::total_cmp);
        t[t.len() / 2]
    };
    let (fb, sb) = (best(&floor_times), best(&single_times));
    let (fm, sm) = (median(&mut floor_times), median(&mut single_times));
    println!(
        "skills: 20 departments x 10,000 agents {:.0} ns/arrival ({floor_offered:.0} arrivals), \
         single queue of 5,000 {:.0} ns/arrival ({single_offered:.0}), 5 turns",
        fb * 1e9,
        sb * 1e9
    );
    println!(
        "skills: floor / single queue = {:.2} best, {:.2} median (aim of issue #20: 1.5 or less)",
        fb / sb,
        fm / sm
    );
}

fn benches(c: &mut Criterion) {
    report_skills();
    let arrivals = 2e5;
    let mut group = c.benchmark_group("skills");
    group.sample_size(10);
    group.throughput(Throughput::Elements(arrivals as u64));
    for (name, s) in [
        ("floor_20x10000", floor(arrivals)),
        ("single_5000", single_queue(arrivals)),
    ] {
        let mut sim = Simulation::new(&s);
        let mut r = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                r += 1;
                one_replication(&s, &mut sim, r)
            })
        });
    }
    group.finish();
}

criterion_group!(skills, benches);
criterion_main!(skills);
