//! Outbound campaigns (issue #9): agents dial only when nobody is on hold and enough others
//! stay idle, only between the start and the horizon, and the outcomes come at the configured
//! rates.

use callsim::engine::{
    AgentState, Observer, OutboundAttempt, OutboundOutcome, SimTime, Simulation,
};
use callsim::kpi::{Kpi, ListedScope};
use callsim::stats::Estimate;

use crate::common::{band, paired, run};

fn campaign(keep_idle: u32) -> callsim::model::Scenario {
    callsim::scenario::parse(
        include_str!("../scenarios/outbound_invitations.toml"),
        "outbound_invitations.toml",
        &[
            format!("outbound.keep_idle={keep_idle}"),
            "outbound.start=\"1h\"".to_string(),
        ],
    )
    .expect("scenario is valid")
}

/// Watches every start of an outbound call.
#[derive(Default)]
struct Dialling {
    on_hold: u32,
    starts: u32,
    broken: Vec<String>,
    unreached: u64,
    contacts: u64,
}

impl Observer for Dialling {
    fn queue_length(&mut self, _: SimTime, waiting: u32) {
        self.on_hold = waiting;
    }
    fn agent_state_changes(&mut self, now: SimTime, _: u32, _: AgentState, to: AgentState) {
        let t = now.secs();
        if to == AgentState::Outbound {
            self.starts += 1;
            if self.on_hold > 0 {
                self.broken
                    .push(format!("dialled at {t} with {} on hold", self.on_hold));
            }
            if !(3600.0..36_000.0).contains(&t) {
                self.broken
                    .push(format!("dialled at {t}, outside 1 h to the horizon"));
            }
        }
    }
    fn outbound_attempt(&mut self, _: SimTime, attempt: &OutboundAttempt) {
        match attempt.outcome {
            OutboundOutcome::Unreached => self.unreached += 1,
            _ => self.contacts += 1,
        }
    }
}

#[test]
fn agents_dial_only_when_nobody_is_on_hold_and_within_the_campaign() {
    for keep_idle in [0, 2] {
        let s = campaign(keep_idle);
        let mut sim = Simulation::new(&s);
        let mut d = Dialling::default();
        sim.run(s.seed, 0, &mut d).expect("the run ends");
        assert!(d.starts > 100, "{} outbound calls", d.starts);
        assert!(
            d.broken.is_empty(),
            "{:?}",
            &d.broken[..d.broken.len().min(3)]
        );
        let r = callsim::experiment::run_replication(&s, s.seed, 0)
            .expect("the run ends")
            .overall;
        assert_eq!(
            r.get(Kpi::OutboundAttempts),
            (d.unreached + d.contacts) as f64
        );
        assert_eq!(r.get(Kpi::OutboundContacts), d.contacts as f64);
    }
}

/// Records the idle agents left when each outbound call starts.
#[derive(Default)]
struct Guard {
    idle: u32,
    fewest_left: Option<u32>,
}

impl Observer for Guard {
    fn agent_state_changes(&mut self, _: SimTime, _: u32, from: AgentState, to: AgentState) {
        if from == AgentState::Idle {
            self.idle -= 1;
        }
        if to == AgentState::Idle {
            self.idle += 1;
        }
        if to == AgentState::Outbound {
            // The dialling agent has left the idle count already (or was not in it).
            self.fewest_left = Some(self.fewest_left.map_or(self.idle, |f| f.min(self.idle)));
        }
    }
}

#[test]
fn the_guard_keeps_agents_free_for_inbound_calls() {
    let s = campaign(2);
    let mut sim = Simulation::new(&s);
    for replication in 0..5 {
        let mut g = Guard {
            idle: s.agents.count,
            ..Guard::default()
        };
        sim.run(s.seed, replication, &mut g).expect("the run ends");
        assert!(g.fewest_left.expect("some outbound calls") >= 2);
    }
}

#[test]
fn outcomes_come_at_the_configured_rates_and_cost_inbound_service() {
    let with = run(&campaign(0), 30, 12);
    let ratio = |num: Kpi, den: Kpi| {
        Estimate::from_values(with.per_replication.iter().map(|k| k.get(num) / k.get(den)))
    };
    let contact = ratio(Kpi::OutboundContacts, Kpi::OutboundAttempts);
    assert!((contact.mean - 0.5).abs() <= band(&contact), "{contact:?}");
    let accept = ratio(Kpi::OutboundAcceptances, Kpi::OutboundContacts);
    assert!((accept.mean - 0.35).abs() <= band(&accept), "{accept:?}");
    // Every reached customer accepts or declines, once.
    for k in &with.per_replication {
        assert_eq!(
            k.get(Kpi::OutboundContacts),
            k.get(Kpi::OutboundAcceptances) + k.get(Kpi::OutboundDeclines)
        );
    }
    // The reasons come in the configured shares.
    let declines = with.overall.get(Kpi::OutboundDeclines).unwrap().mean;
    for (reason, share) in [
        ("busy_that_evening", 0.5),
        ("not_interested", 0.3),
        ("too_far", 0.2),
    ] {
        let r = with.by_scope[ListedScope::DeclineReason]
            .iter()
            .find(|r| r.name == reason)
            .expect("every reason is reported");
        let e = r.get(Kpi::OutboundDeclines).unwrap();
        let expected = share * declines;
        assert!(
            (e.mean - expected).abs() <= band(e) + 1e-9,
            "{reason}: {} declines, {expected:.1} expected",
            e.mean
        );
    }
    // The same callers without the campaign are served better (paired, common random numbers).
    let mut off = campaign(0);
    off.outbound = None;
    let without = run(&off, 30, 12);
    let gain = paired(&without, &with, Kpi::ServiceLevel);
    assert!(gain.mean - band(&gain) > 0.0, "{gain:?}");
    let offered = paired(&without, &with, Kpi::Offered);
    assert_eq!(offered.mean, 0.0, "the same callers ring in both");
}
