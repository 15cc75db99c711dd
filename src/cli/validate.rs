//! `callsim validate`.

use std::fmt::Write;
use std::io::Write as _;

use super::ValidateArgs;
use crate::Error;
use crate::experiment::{self, VALIDATE_ALPHA};

/// Runs the textbook cases and prints simulation against theory.
pub fn validate(args: ValidateArgs) -> Result<(), Error> {
    let checks = experiment::validate(args.replications, args.seed, args.threads.map(usize::from))?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Simulation against theory: {} replications per case, seed {}\n",
        args.replications, args.seed
    );
    let _ = writeln!(
        out,
        "{:42}{:>7}{:>20}{:>26}{:>14}{:>8}{:>9}",
        "case", "scope", "KPI", "simulated (95 % CI)", "exact", "covers", "verdict"
    );
    let _ = writeln!(out, "{}", "-".repeat(126));
    for c in &checks {
        let e = &c.simulated;
        let _ = writeln!(
            out,
            "{:42}{:>7}{:>20}{:>26}{:>14.6}{:>8}{:>9}",
            c.case,
            c.scope,
            c.kpi.key(),
            format!("{:.6} ± {:.6}", e.mean, e.half_width()),
            c.exact,
            if c.covered() { "yes" } else { "no" },
            if c.passes() { "ok" } else { "FAIL" }
        );
    }
    let covered = checks.iter().filter(|c| c.covered()).count();
    let failed = checks.iter().filter(|c| !c.passes()).count();
    let cases = {
        let mut names: Vec<&str> = checks.iter().map(|c| c.case).collect();
        names.dedup();
        names.len()
    };
    let _ = writeln!(
        out,
        "\n{covered} of {} 95 % intervals cover the exact value (about 95 % should). Verdict: the \
         exact value within t·SE at α = {VALIDATE_ALPHA} per comparison.\n\
         Each of the {cases} cases runs on its own random streams (seed {}, {}, ...), so the \
         cases are independent trials; the KPIs of one case share its replications and are not \
         independent of each other.",
        checks.len(),
        args.seed,
        args.seed.wrapping_add(1)
    );
    if !args.common_quiet {
        let _ = std::io::stdout().write_all(out.as_bytes());
    }
    if failed > 0 {
        return Err(Error::Disagrees(failed));
    }
    Ok(())
}
