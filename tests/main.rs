//! The one integration-test binary (see STYLE.md): each module is one concern.

mod back_office;
mod catalogue;
mod cli;
mod clock;
mod common;
mod departments;
mod digests;
mod floor;
mod forecast;
mod hostile;
mod independent;
mod invariants;
mod journey;
mod layout;
mod outbound;
mod pictures;
mod plan;
mod reproducibility;
mod robustness;
mod roster;
mod rover;
mod rules;
mod scenarios;
mod schedule;
#[cfg(feature = "serve")]
mod serve;
mod skill_groups;
mod steady;
mod stop;
mod theory;
mod tools;
