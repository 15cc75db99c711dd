//! Scenario comparison on common random numbers (DESIGN.md section 4: compare).
//!
//! Every variant runs with the base's seed and replication count. Replication `r` of every
//! variant draws from the same streams (seed, r, purpose), one per source of randomness, so a
//! change to one part of a scenario leaves the unrelated draws alone: the same callers arrive
//! with the same patience and handle times. Differences are therefore taken replication by
//! replication (paired), which removes most of the noise the variants share.

use super::spec::{SpecError, SpecProblem};
use super::{ExperimentResult, RunOptions, run};
use crate::kpi::{Kpi, Scope};
use crate::model::Scenario;
use crate::stats::{Estimate, student_t_quantile};

/// One scenario of a comparison.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Name in reports (`base` for the first).
    pub name: String,
    /// Where it came from: a file, or the base plus overrides.
    pub source: String,
    /// The validated scenario.
    pub scenario: Scenario,
}

/// The paired difference of one KPI, variant minus base.
#[derive(Debug, Clone, Copy)]
pub struct Difference {
    /// Across replications where both values are defined.
    pub paired: Estimate,
    /// Half width of the 95 % interval had the runs been independent (Welch), for contrast.
    pub unpaired_half_width: f64,
}

impl Difference {
    /// Whether the paired 95 % interval excludes zero.
    pub fn excludes_zero(&self) -> bool {
        self.paired.ci95[0] > 0.0 || self.paired.ci95[1] < 0.0
    }
}

/// The outcome of a comparison.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Seed shared by every run.
    pub seed: u64,
    /// Replications of every run.
    pub replications: u32,
    /// Names and sources, base first, in the order of `results`.
    pub variants: Vec<(String, String)>,
    /// One result per variant, base first.
    pub results: Vec<ExperimentResult>,
    /// For each variant after the base: every overall KPI's paired difference against the base.
    pub differences: Vec<Vec<(Kpi, Difference)>>,
}

/// Runs every variant on the same seed and replications and takes paired differences.
pub fn compare(variants: &[Variant], options: &RunOptions) -> Result<Comparison, super::RunError> {
    compare_with_progress(variants, options, &|_, _| {})
}

/// [`compare`], reporting `progress(done, total)` over all variants' replications.
pub fn compare_with_progress(
    variants: &[Variant],
    options: &RunOptions,
    progress: &(dyn Fn(u32, u32) + Sync),
) -> Result<Comparison, super::RunError> {
    let total = options.replications * variants.len() as u32;
    let results = variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let before = options.replications * i as u32;
            run(&v.scenario, options, &|done, _| {
                progress(before + done, total)
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let base = &results[0];
    let differences = results[1..]
        .iter()
        .map(|r| {
            Kpi::ALL
                .into_iter()
                .filter(|k| k.applies_to(Scope::Overall))
                .map(|k| (k, difference(base, r, k)))
                .collect()
        })
        .collect();
    Ok(Comparison {
        seed: options.seed,
        replications: options.replications,
        variants: variants
            .iter()
            .map(|v| (v.name.clone(), v.source.clone()))
            .collect(),
        results,
        differences,
    })
}

fn difference(base: &ExperimentResult, variant: &ExperimentResult, kpi: Kpi) -> Difference {
    let pairs: Vec<(f64, f64)> = base
        .per_replication
        .iter()
        .zip(&variant.per_replication)
        .map(|(b, v)| (b.get(kpi), v.get(kpi)))
        .filter(|(b, v)| !b.is_nan() && !v.is_nan())
        .collect();
    let paired = Estimate::from_values(pairs.iter().map(|(b, v)| v - b));
    let b = Estimate::from_values(pairs.iter().map(|p| p.0));
    let v = Estimate::from_values(pairs.iter().map(|p| p.1));
    Difference {
        paired,
        unpaired_half_width: welch_half_width(&b, &v),
    }
}

/// 95 % half width of the difference of two independent means (Welch–Satterthwaite).
fn welch_half_width(a: &Estimate, b: &Estimate) -> f64 {
    let (va, vb) = (a.std_error().powi(2), b.std_error().powi(2));
    let se = (va + vb).sqrt();
    if !(se > 0.0) {
        return 0.0;
    }
    let df = (va + vb).powi(2) / (va * va / (a.n as f64 - 1.0) + vb * vb / (b.n as f64 - 1.0));
    student_t_quantile(0.975, df) * se
}

/// Parses `--variant name:key=value,key=value` into a name and `--set`-style overrides.
/// Commas inside quotes, brackets or braces belong to the value.
pub fn parse_variant(spec: &str) -> Result<(String, Vec<String>), SpecError> {
    let (name, rest) = spec
        .split_once(':')
        .ok_or_else(|| SpecProblem::NoOverrides.of(spec))?;
    let name = name.trim();
    if name.is_empty() || name == "base" {
        return Err(SpecProblem::NoName.of(spec));
    }
    let mut overrides = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    for (i, ch) in rest.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            '[' | '{' if !quoted => depth += 1,
            ']' | '}' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                overrides.push(rest[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    overrides.push(rest[start..].trim().to_string());
    if quoted {
        return Err(SpecProblem::OpenQuote.of(spec));
    }
    if depth != 0 {
        return Err(SpecProblem::Unbalanced.of(spec));
    }
    if overrides.iter().any(|o| !o.contains('=')) {
        return Err(SpecProblem::NotKeyValue.of(spec));
    }
    Ok((name.to_string(), overrides))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue #15: an unbalanced quote or bracket was split somewhere and run anyway.
    #[test]
    fn unbalanced_variants_are_refused() {
        assert!(
            parse_variant("a:callbacks.policy=\"deadline")
                .unwrap_err()
                .problem
                == SpecProblem::OpenQuote
        );
        assert!(
            parse_variant("a:arrivals.profile.rates=[\"1/h\"")
                .unwrap_err()
                .problem
                == SpecProblem::Unbalanced
        );
    }

    #[test]
    fn variant_specs_split_on_top_level_commas() {
        let (name, o) =
            parse_variant("wide:agents.count=60,arrivals.profile.rates=[\"1/h\",\"2/h\"]").unwrap();
        assert_eq!(name, "wide");
        assert_eq!(
            o,
            [
                "agents.count=60",
                "arrivals.profile.rates=[\"1/h\",\"2/h\"]"
            ]
        );
        assert!(parse_variant("agents.count=60").is_err());
        assert!(parse_variant("base:agents.count=60").is_err());
        assert!(parse_variant("x:agents.count").is_err());
    }
}
