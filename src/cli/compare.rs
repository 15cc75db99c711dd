//! `callsim compare`.

use std::path::Path;

use super::output::{Outputs, Plan, charts_if};
use super::{CompareArgs, Usage};
use crate::Error;
use crate::experiment::{self, Variant};
use crate::report;
use crate::scenario;

/// Loads the base and every variant, runs them on common random numbers, prints the table and
/// writes the requested files.
pub fn compare(args: CompareArgs) -> Result<(), Error> {
    let common = &args.common;
    if args.variant_files.is_empty() && args.variants.is_empty() {
        return Err(Usage::NoVariant.into());
    }
    let mut plan = Plan::default()
        .shared(&common.output)
        .input(Some(&args.base));
    for path in &args.variant_files {
        plan = plan.input(Some(path));
    }
    plan.check()?;
    let base = scenario::load(Some(&args.base), &common.overrides)?;
    let mut variants = vec![Variant {
        name: "base".into(),
        source: base.source.clone(),
        scenario: base.scenario.clone(),
    }];
    for path in &args.variant_files {
        let loaded = scenario::load(Some(path), &common.overrides)?;
        variants.push(Variant {
            name: unique_name(&variants, &file_stem(path)),
            source: loaded.source,
            scenario: loaded.scenario,
        });
    }
    for spec in &args.variants {
        let (name, overrides) = experiment::parse_variant(spec).map_err(|source| Error::Spec {
            flag: "--variant",
            source,
        })?;
        if variants.iter().any(|v| v.name == name) {
            return Err(Usage::VariantNameTwice {
                spec: spec.clone(),
                name,
            }
            .into());
        }
        let all: Vec<String> = common.overrides.iter().cloned().chain(overrides).collect();
        let loaded = scenario::load(Some(&args.base), &all)?;
        variants.push(Variant {
            name,
            source: format!("{} with {}", base.source, spec),
            scenario: loaded.scenario,
        });
    }
    let mut options = super::run::options(&base.scenario, common);
    super::run::one_process(options.replications, &base, common)?;
    for v in &variants {
        super::run::fits(&v.source, &v.scenario, &options)?;
    }
    options.details = false;
    let mut progress = super::run::progress_for(
        options.replications * variants.len() as u32,
        &base,
        common.output.quiet,
        &mut options,
    );
    let comparison =
        experiment::compare_with_progress(&variants, &options, &|done, _| progress.tick(done))
            .map_err(super::run::run_error(&base.source))?;
    progress.finish();

    // Everything is rendered before anything is written.
    let charts = charts_if(
        common.output.plots.is_some() || common.output.report.is_some(),
        || crate::plot::charts_for_comparison(&comparison),
    )?;
    let mut out = Outputs::default();
    out.file(common.output.json.as_ref(), || {
        report::compare_json(&comparison)
    });
    out.in_dir(common.output.csv.as_ref(), "compare.csv", || {
        report::compare_csv(&comparison)
    });
    out.charts(common.output.plots.as_ref(), &charts);
    out.file(common.output.report.as_ref(), || {
        report::html_comparison(&comparison, &base, &charts)
    });
    out.finish(
        common.output.quiet,
        || report::compare_table(&comparison),
        comparison.results.iter().flat_map(|r| &r.warnings),
    )
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "variant".into(), |s| s.to_string_lossy().into_owned())
}

/// `name`, or `name-2`, `name-3`... if taken.
fn unique_name(variants: &[Variant], name: &str) -> String {
    let mut candidate = name.to_string();
    let mut i = 2;
    while variants.iter().any(|v| v.name == candidate) {
        candidate = format!("{name}-{i}");
        i += 1;
    }
    candidate
}
