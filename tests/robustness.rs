//! Robustness (issue #8): random valid scenarios keep every invariant, and no text, however
//! mangled, makes the scenario reader panic.

use callsim::engine::{AgentState, AnsweredContact, Contact, Observer, SimTime, Simulation};
use callsim::kpi::Kpi;
use proptest::prelude::*;

use crate::common::AgentClock;

/// Checks the engine's facts as they come.
#[derive(Default)]
struct Invariants {
    last: f64,
    offered: u64,
    answered: u64,
    abandoned: u64,
    accepted: u64,
    clock: AgentClock,
    broken: Vec<String>,
}

impl Invariants {
    fn at(&mut self, now: SimTime) {
        let t = now.secs();
        if t.is_nan() || t < self.last || !t.is_finite() || t < 0.0 {
            self.broken.push(format!("time {} after {}", t, self.last));
        }
        self.clock.advance(t);
        self.last = t.max(self.last);
    }
}

impl Observer for Invariants {
    fn contact_offered(&mut self, now: SimTime, _: usize) {
        self.at(now);
        self.offered += 1;
    }
    fn contact_answered(&mut self, c: &AnsweredContact) {
        self.at(c.answered);
        self.answered += 1;
        let talk = c.talk.secs();
        if c.answered < c.arrival || talk.is_nan() || talk < 0.0 {
            self.broken.push(format!("bad answer {c:?}"));
        }
    }
    fn contact_abandoned(&mut self, now: SimTime, c: Contact) {
        self.at(now);
        self.abandoned += 1;
        if now < c.arrival {
            self.broken.push("negative wait".into());
        }
    }
    fn callback_offered(&mut self, _: SimTime, _: Contact, accepted: bool) {
        self.accepted += u64::from(accepted);
    }
    fn agent_state_changes(&mut self, now: SimTime, _: u32, from: AgentState, to: AgentState) {
        self.at(now);
        if !self.clock.moves(from, to) {
            self.broken.push(format!("no agent was {from:?}"));
        }
    }
    fn run_ends(&mut self, now: SimTime) {
        self.at(now);
    }
}

/// A random valid scenario: the generator only makes inputs the validator accepts.
fn scenario_text() -> impl Strategy<Value = String> {
    (
        1u32..12,                                   // agents
        10.0f64..300.0,                             // calls per hour
        prop::sample::select(vec!["exponential", "lognormal", "gamma", "weibull"]),
        0.2f64..2.0,                                // cv
        prop::option::of(30.0f64..600.0),           // patience
        0.0f64..1.0,                                // first-contact resolution
        prop::bool::ANY,                            // callbacks
        prop::bool::ANY,                            // a walker
        prop::bool::ANY,                            // boss behaviour
        0u8..16, // bits: redials, an outbound campaign, a back office, two departments
        prop::option::of((0.0f64..24.0, 2.0f64..12.0)), // a shift: start hour, length
        prop::option::of(prop::sample::select(vec!["none", "colleague", "pool"])), // a leave
    )
        .prop_map(|(agents, rate, dist, cv, patience, fcr, callbacks, walker, boss, extras, shift, leave)| {
            let (redial, outbound, back_office) = (extras & 1 != 0, extras & 2 != 0, extras & 4 != 0);
            let departments = extras & 8 != 0;
            let shape = if dist == "exponential" {
                String::new()
            } else {
                format!(", cv = {cv}")
            };
            let mut t = format!(
                "horizon = \"3h\"\nwarmup = \"20m\"\n[arrivals]\nrate = \"{rate}/h\"\n[[callers]]\n\
                 handle_time = {{ dist = \"{dist}\", mean = \"4m\"{shape} }}\n\
                 first_contact_resolution = {fcr}\n\
                 follow_up = {{ promise = \"30m\", work = {{ dist = \"exponential\", mean = \"5m\" }}, \
                 tolerance = {{ dist = \"exponential\", mean = \"20m\" }}{} }}\n\
                 callback_acceptance = 0.5\n",
                if back_office {
                    ", back_office = { probability = 0.5, work = { dist = \"exponential\", mean = \"20m\" } }"
                } else {
                    ""
                }
            );
            if departments {
                t += "department = \"b\"\nmisroute = { probability = 0.3, \
                      transfer_time = { dist = \"exponential\", mean = \"1m\" } }\n";
            }
            if let Some(p) = patience {
                t += &format!("patience = {{ dist = \"exponential\", mean = \"{p}s\" }}\n");
                if redial {
                    t += "redial = { probability = 0.5, delay = { dist = \"exponential\", mean = \"5m\" } }\n";
                }
            }
            t += "[agents]\n";
            match shift {
                // Two shifts; the first has a break.
                Some((start, length)) => t += &format!(
                    "shifts = [{{ start = \"{start}h\", end = \"{}h\", count = {agents}, \
                     breaks = [{{ start = \"{}h\", length = \"30m\" }}] }}, \
                     {{ start = \"{}h\", end = \"{}h\", count = 1 }}]\n",
                    start + length,
                    start + length / 2.0,
                    (start + 5.0) % 24.0,
                    (start + 5.0) % 24.0 + 8.0,
                ),
                None => t += &format!("count = {agents}\n"),
            }
            if departments {
                // Agent 0 serves only "a" (if there are others); the others "b" first, then "a".
                let total = agents + u32::from(shift.is_some());
                t += &if total > 1 {
                    format!(
                        "skills = [{{ agents = 1, departments = [\"a\"] }}, \
                         {{ agents = {}, departments = [\"b\", \"a\"] }}]\n",
                        total - 1
                    )
                } else {
                    "skills = [{ agents = 1, departments = [\"b\", \"a\"] }]\n".to_string()
                };
            }
            if let Some(handover) = leave {
                t += &format!(
                    "absences = [{{ agent = 0, from = \"30m\", to = \"2h30m\" }}]\nhandover = \"{handover}\"\n"
                );
            }
            if boss {
                t += "orientation = { boss = 1 }\n[agents.behaviour.boss]\n\
                      slack = { dist = \"exponential\", mean = \"2m\" }\n\
                      procrastination = { dist = \"exponential\", mean = \"30m\" }\npace = 1.2\n";
            }
            if walker {
                t += "[[managers]]\nstyle = \"walker\"\noffice = { dist = \"exponential\", mean = \"20m\" }\n\
                      visit = { dist = \"exponential\", mean = \"10m\" }\nreport_probability = 0.2\n\
                      report_time = { dist = \"exponential\", mean = \"3m\" }\n";
            }
            if outbound {
                t += "[outbound]\nlist = 50\ncontact_probability = 0.5\naccept_probability = 0.3\n\
                      attempt_time = \"30s\"\ntalk_time = { dist = \"exponential\", mean = \"2m\" }\n\
                      max_attempts = 2\nretry_delay = { dist = \"exponential\", mean = \"30m\" }\n";
            }
            if back_office {
                t += "[back_office]\ncount = 1\nhours = { start = \"1h\", end = \"2h30m\" }\n";
            }
            if callbacks {
                t += "[callbacks]\noffer_above = \"1m\"\npromise = \"20m\"\nanswer_probability = 0.8\n\
                      call_again_probability = 0.3\n";
            }
            t
        })
}

proptest! {
    // 64 cases per property in the suite; PROPTEST_CASES=10000 searches longer.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_valid_scenarios_keep_every_invariant(text in scenario_text(), seed in 0u64..1000) {
        let s = callsim::scenario::parse(&text, "random.toml", &[]).expect("generated scenarios are valid");
        let agents = s.agents.count;
        let mut sim = Simulation::new(&s);
        let mut inv = Invariants { clock: AgentClock::idle(agents), ..Invariants::default() };
        sim.run(seed, 0, &mut inv).expect("the run ends");
        prop_assert!(inv.broken.is_empty(), "{:?}", &inv.broken[..inv.broken.len().min(3)]);
        prop_assert_eq!(inv.offered, inv.answered + inv.abandoned + inv.accepted);
        let resting = inv.clock.in_state(AgentState::Idle) + inv.clock.in_state(AgentState::OffDuty);
        prop_assert_eq!(resting, agents, "everyone idle or off duty at the end");
        let total = inv.clock.total();
        prop_assert!((total - f64::from(agents) * inv.last).abs() <= 1e-6 * total.max(1.0));
        let k = callsim::experiment::run_replication(&s, seed, 0).expect("the run ends").overall;
        for kpi in Kpi::ALL.into_iter().filter(|k| k.is_share()) {
            let x = k.get(kpi);
            prop_assert!(x.is_nan() || (0.0..=1.0 + 1e-12).contains(&x), "{} = {}", kpi.key(), x);
        }
    }

    #[test]
    fn no_text_makes_the_reader_panic(text in ".{0,400}") {
        let _ = callsim::scenario::parse(&text, "fuzz.toml", &[]);
    }

    #[test]
    fn no_mangled_scenario_makes_the_reader_panic(
        text in scenario_text(),
        cut in 0usize..2000,
        insert in "[=\\[\\]{}\"a-z0-9., -]{0,12}",
    ) {
        // Splice junk into a valid scenario at a random char boundary.
        let at = text.char_indices().map(|(i, _)| i).nth(cut % text.chars().count().max(1)).unwrap_or(0);
        let mangled = format!("{}{insert}{}", &text[..at], &text[at..]);
        let _ = callsim::scenario::parse(&mangled, "fuzz.toml", &[]);
    }

    /// Issue #16: forecast files come from spreadsheets and exports: no text makes their
    /// reader panic, and what it accepts has rates >= 0 on a positive interval.
    #[test]
    fn no_forecast_makes_its_reader_panic(
        rows in proptest::collection::vec(
            ("(d?[0-9]{1,2}:[0-9]{2}|2026-0[1-3]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]|[a-z:]{0,6})",
             "(-?[0-9]{0,6}(\\.[0-9])?|[a-z]{0,3})",
             "([0-9]{0,4}[smh]?|)"),
            0..40,
        ),
        header in "(start,calls,aht|start,calls|calls,start|x)",
        interval in proptest::option::of(0.0f64..100_000.0),
    ) {
        let mut text = format!("{header}\n");
        for (start, calls, aht) in &rows {
            text.push_str(&format!("{start},{calls},{aht}\n"));
        }
        if let Ok(f) = callsim::scenario::parse_forecast(&text, "fuzz.csv", interval) {
            prop_assert!(f.interval_s > 0.0);
            prop_assert!(f.rates_per_s.iter().all(|r| *r >= 0.0 && r.is_finite()));
            prop_assert!(f.rates_per_s.len() <= callsim::scenario::MAX_FORECAST_INTERVALS);
        }
    }

    #[test]
    fn no_override_makes_the_reader_panic(key in "[a-z_.\\[\\]0-9]{0,30}", value in ".{0,30}") {
        let text = "horizon = \"1h\"\n[arrivals]\nrate = \"10/h\"\n[[callers]]\nhandle_time = { dist = \"exponential\", mean = \"1m\" }\n[agents]\ncount = 1\n";
        let _ = callsim::scenario::parse(text, "fuzz.toml", &[format!("{key}={value}")]);
    }
}

/// A duration as scenario text, from the extremes validation accepts: zero, nearly zero, a
/// millisecond, ordinary, and very long.
fn extreme_duration() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["0", "1e-9", "0.001", "1", "90", "4m", "1h", "3650d"])
        .prop_map(|d| d.to_string())
}

/// A distribution of such durations: fixed, or exponential around it (mean > 0 only).
fn extreme_dist() -> impl Strategy<Value = String> {
    (extreme_duration(), prop::bool::ANY).prop_map(|(d, fixed)| {
        if fixed || d == "0" {
            format!("{{ dist = \"deterministic\", value = {d:?} }}")
        } else {
            format!("{{ dist = \"exponential\", mean = {d:?} }}")
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    /// Issue #15: whatever durations validation accepts, zero and extreme ones included, a run
    /// ends: normally, or with the stall error of the event budget, never by hanging.
    #[test]
    fn extreme_durations_always_end_within_the_event_budget(
        handle in extreme_dist(),
        after in extreme_dist(),
        patience in extreme_dist(),
        redial in extreme_dist(),
        slack in extreme_dist(),
        office in extreme_dist(),
        visit in extreme_dist(),
        tolerance in extreme_dist(),
        status in extreme_dist(),
        retry in extreme_dist(),
        seed in 0u64..100,
    ) {
        let text = format!(
            "horizon = \"1h\"\n[arrivals]\nrate = \"60/h\"\n[[callers]]\n\
             handle_time = {handle}\nafter_call_work = {after}\npatience = {patience}\n\
             redial = {{ probability = 0.5, delay = {redial}, max_attempts = 3 }}\n\
             first_contact_resolution = 0.5\n\
             follow_up = {{ promise = \"10m\", work = {handle}, tolerance = {tolerance}, status_call = {status} }}\n\
             callback_acceptance = 0.5\n\
             [agents]\ncount = 3\norientation = {{ boss = 1 }}\n\
             [agents.behaviour.boss]\nslack = {slack}\nprocrastination = {slack}\n\
             [[managers]]\nstyle = \"walker\"\noffice = {office}\nvisit = {visit}\n\
             report_probability = 0.5\nreport_time = {after}\n\
             [callbacks]\noffer_above = \"1m\"\npromise = \"20m\"\nanswer_probability = 0.5\n\
             retry_delay = {retry}\nmax_attempts = 3\n"
        );
        // Validation refuses the cycles that can only loop; everything it accepts must end.
        let Ok(s) = callsim::scenario::parse(&text, "extreme.toml", &[]) else {
            return Ok(());
        };
        // A ten-year handle time drains for centuries while the walker keeps walking: valid,
        // but long. The budget bounds the work; the run ends normally or by the budget.
        const BUDGET: u64 = 4_000_000;
        let mut sim = Simulation::new(&s);
        sim.set_event_budget(BUDGET);
        match sim.run(seed, 0, &mut callsim::engine::NullObserver) {
            Ok(()) => prop_assert!(sim.events_handled() <= BUDGET + 2 * u64::from(callsim::engine::CHECK_EVERY_EVENTS)),
            Err(stopped) => prop_assert!(
                stopped.cause == callsim::engine::StallCause::Budget(BUDGET) && sim.events_handled() <= BUDGET + 2 * u64::from(callsim::engine::CHECK_EVERY_EVENTS),
                "{stopped}"
            ),
        }
    }
}
