//! Multi-skill routing at scale (issue #20): a floor of 20 departments and 10,000 agents (20
//! single-skill groups of 400 and 20 two-skill groups of 100, each serving its department and
//! the next) against a 5,000-agent single queue, both at 96 % offered load with the same number
//! of arrivals (talks of 4 min, patience of 5 min, one replication, one thread).
//!
//! * `skills`: not criterion; the floor, the single queue and a single queue of 10,000 agents
//!   timed in turns (7 turns), printed as the time per arrival and the ratios of each turn's
//!   times (best and median turn), so that a busy spell on this shared machine slows both sides
//!   of a ratio alike. The aim of issue #20 is floor / single queue of at most 1.5.
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

/// A single queue of `agents` agents at the same load, with about `arrivals` arrivals.
fn single_queue(agents: u32, arrivals: f64) -> Scenario {
    let rate = LOAD * f64::from(agents) / HANDLE_S;
    let text = format!(
        "name = \"single queue, {agents} agents\"\nhorizon = {:.0}\n[arrivals]\nrate = \"{rate}/s\"\n\
         [[callers]]\npatience = {{ dist = \"exponential\", mean = \"5m\" }}\n\
         handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n[agents]\ncount = {agents}\n",
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

/// Seconds per arrival of the floor, the 5,000-agent single queue and a 10,000-agent one, in
/// turns; prints the ratios of each turn's times (best and median), so that a busy spell
/// weighs on both sides of a ratio. The 10,000-agent queue tells the cost of twice the agents
/// (memory touched per call) from the cost of routing by skill.
fn report_skills() {
    const TURNS: usize = 7;
    let arrivals = 2e6;
    let contestants = [
        floor(arrivals),
        single_queue(5000, arrivals),
        single_queue(10_000, arrivals),
    ];
    let mut sims: Vec<Simulation> = contestants.iter().map(Simulation::new).collect();
    let mut per_arrival = [[0.0; 3]; TURNS];
    for (turn, times) in per_arrival.iter_mut().enumerate() {
        for (i, s) in contestants.iter().enumerate() {
            let start = std::time::Instant::now();
            let offered = one_replication(s, &mut sims[i], turn as u64);
            times[i] = start.elapsed().as_secs_f64() / offered;
        }
    }
    let ratios = |a: usize, b: usize| {
        let mut r: Vec<f64> = per_arrival.iter().map(|t| t[a] / t[b]).collect();
        r.sort_by(f64::total_cmp);
        (r[0], r[TURNS / 2])
    };
    let best_ns = |i: usize| {
        per_arrival
            .iter()
            .map(|t| t[i] * 1e9)
            .fold(f64::INFINITY, f64::min)
    };
    println!(
        "skills: 20 departments x 10,000 agents {:.0} ns/arrival, single queue of 5,000 {:.0}, \
         of 10,000 {:.0} (best of {TURNS} turns, about {arrivals:.0} arrivals each)",
        best_ns(0),
        best_ns(1),
        best_ns(2)
    );
    let (best, median) = ratios(0, 1);
    println!(
        "skills: floor / single queue of 5,000 = {best:.2} best, {median:.2} median turn \
         (aim of issue #20: 1.5 or less)"
    );
    let (best, median) = ratios(2, 1);
    let (floor_best, floor_median) = ratios(0, 2);
    println!(
        "skills: single queue of 10,000 / of 5,000 = {best:.2} best, {median:.2} median turn; \
         floor / single queue of 10,000 = {floor_best:.2} best, {floor_median:.2} median turn"
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
        ("single_5000", single_queue(5000, arrivals)),
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
