//! Skill-group KPIs (issue #20): each group's occupancy, talk share, idle share and agents on
//! duty, against Erlang A where groups do not share departments, and adding up to the floor's.

use callsim::experiment::ScopeResult;
use callsim::kpi::{Kpi, ListedScope};
use callsim::stats::student_t_quantile;
use callsim::theory::ErlangA;

use crate::common::{ALPHA, run, scenario};

/// Two departments at 200 calls an hour (billing 60 %, 4 min; technical 40 %, 6 min), three
/// minutes of patience, with the `[agents]` section `agents` and `extra` keys in each class.
fn floor(agents: &str, extra: &str) -> String {
    format!(
        "horizon = \"42h\"\nwarmup = \"2h\"\n[arrivals]\nrate = \"200/h\"\n\
         [[callers]]\nname = \"billing\"\nshare = 0.6\ndepartment = \"billing\"\n{extra}\n\
         patience = {{ dist = \"exponential\", mean = \"3m\" }}\n\
         handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n\
         [[callers]]\nname = \"technical\"\nshare = 0.4\ndepartment = \"technical\"\n{extra}\n\
         patience = {{ dist = \"exponential\", mean = \"3m\" }}\n\
         handle_time = {{ dist = \"exponential\", mean = \"6m\" }}\n\
         [agents]\n{agents}\n"
    )
}

fn group<'r>(r: &'r callsim::experiment::ExperimentResult, name: &str) -> &'r ScopeResult {
    r.listed(ListedScope::SkillGroup)
        .iter()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("no skill group {name}"))
}

/// `kpi` of `scope` within t(1 − α/2) standard errors of `exact`.
fn assert_within_band(scope: &ScopeResult, kpi: Kpi, exact: f64) {
    let e = scope.get(kpi).expect("reported for the scope");
    let t = student_t_quantile(1.0 - ALPHA / 2.0, (e.n - 1) as f64);
    assert!(
        (e.mean - exact).abs() <= t * e.std_error(),
        "{} {}: {:.5} ± {:.5}, exact {exact:.5}",
        scope.name,
        kpi.key(),
        e.mean,
        t * e.std_error()
    );
}

#[test]
fn groups_that_share_no_department_are_each_their_own_erlang_a_queue() {
    let s = scenario(&floor(
        "count = 22\nskills = [{ agents = 12, departments = [\"billing\"] }, \
         { agents = 10, departments = [\"technical\"] }]",
        "",
    ));
    let r = run(&s, 40, 2001);
    let names: Vec<&str> = r
        .listed(ListedScope::SkillGroup)
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    assert_eq!(names, ["billing", "technical"]);
    let lambda = 200.0 / 3600.0;
    for (name, agents, share, handle) in
        [("billing", 12, 0.6, 240.0), ("technical", 10, 0.4, 360.0)]
    {
        let exact = ErlangA::new(agents, share * lambda, 1.0 / handle, 1.0 / 180.0).unwrap();
        let g = group(&r, name);
        assert_within_band(g, Kpi::Occupancy, exact.occupancy);
        // No after-call work: every busy moment is talk, and the rest is idle.
        assert_within_band(g, Kpi::TalkShare, exact.occupancy);
        assert_within_band(g, Kpi::IdleShare, 1.0 - exact.occupancy);
        assert_eq!(
            g.get(Kpi::StaffedAgentsMean).unwrap().mean,
            f64::from(agents)
        );
        // Only agent time is reported for a group, not its callers' waits.
        assert!(g.get(Kpi::AsaS).is_none());
    }
}

#[test]
fn group_shares_add_up_to_the_floor_and_talk_leaves_out_after_call_work() {
    // An overflow group serves both departments; after-call work makes talk less than busy.
    let s = scenario(&floor(
        "count = 22\nskills = [{ agents = 10, departments = [\"billing\"] }, \
         { agents = 8, departments = [\"technical\"] }, \
         { agents = 4, departments = [\"technical\", \"billing\"] }]",
        "after_call_work = { dist = \"exponential\", mean = \"1m\" }",
    ));
    for replication in 0..5 {
        let rep = callsim::experiment::run_replication(&s, 7, replication).unwrap();
        let groups = &rep.by_scope[ListedScope::SkillGroup];
        assert_eq!(groups.len(), 3);
        let staffed: Vec<f64> = groups
            .iter()
            .map(|g| g.get(Kpi::StaffedAgentsMean))
            .collect();
        assert_eq!(staffed, [10.0, 8.0, 4.0]);
        for kpi in [Kpi::Occupancy, Kpi::TalkShare, Kpi::IdleShare] {
            let by_groups: f64 = groups
                .iter()
                .map(|g| g.get(kpi) * g.get(Kpi::StaffedAgentsMean))
                .sum();
            let floor = rep.overall.get(kpi) * rep.overall.get(Kpi::StaffedAgentsMean);
            assert!(
                (by_groups - floor).abs() < 1e-9 * floor.max(1.0),
                "{}: groups {by_groups} vs floor {floor}",
                kpi.key()
            );
        }
        for g in groups.iter().chain([&rep.overall]) {
            let (occupancy, talk) = (g.get(Kpi::Occupancy), g.get(Kpi::TalkShare));
            assert!(
                talk > 0.0 && talk < occupancy,
                "talk {talk}, occupancy {occupancy}"
            );
            let idle = g.get(Kpi::IdleShare);
            assert!(
                (occupancy + idle - 1.0).abs() < 1e-12,
                "{occupancy} + {idle}"
            );
        }
    }
}

#[test]
fn a_single_queue_has_no_skill_groups_and_talk_is_all_of_busy() {
    let s = scenario(&floor("count = 22", "").replace("department = ", "# department = "));
    let rep = callsim::experiment::run_replication(&s, 7, 0).unwrap();
    assert!(rep.by_scope[ListedScope::SkillGroup].is_empty());
    assert_eq!(
        rep.overall.get(Kpi::TalkShare).to_bits(),
        rep.overall.get(Kpi::Occupancy).to_bits()
    );
}

#[test]
fn skill_groups_reach_the_table_json_and_csv() {
    let dir = crate::common::temp_dir("skill_groups");
    let text = floor(
        "count = 22\nskills = [{ agents = 18, departments = [\"billing\"] }, \
         { agents = 4, departments = [\"technical\", \"billing\"] }]",
        "",
    )
    .replace("42h", "4h");
    let path = crate::common::write(&dir, "floor.toml", &text);
    let (json, csv) = (dir.join("r.json"), dir.join("csv"));
    let (json_arg, csv_arg) = (json.display().to_string(), csv.display().to_string());
    let table = crate::common::ok(&crate::common::callsim(&[
        "run",
        &path,
        "--replications",
        "3",
        "--json",
        &json_arg,
        "--csv",
        &csv_arg,
    ]));
    assert!(table.contains("By skill group"), "{table}");
    assert!(table.contains("technical+billing"), "{table}");
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let groups = doc["by_skill_group"].as_object().unwrap();
    assert_eq!(
        groups.keys().collect::<Vec<_>>(),
        ["billing", "technical+billing"]
    );
    for key in [
        "occupancy",
        "talk_share",
        "idle_share",
        "staffed_agents_mean",
    ] {
        assert!(groups["billing"]["kpis"][key]["mean"].is_number(), "{key}");
    }
    let kpis = std::fs::read_to_string(csv.join("kpis.csv")).unwrap();
    assert!(kpis.contains("group:technical+billing"), "{kpis}");
}
