//! `callsim merge`: partial results of shards into exactly the result of one run.

use std::io::Write;

use super::MergeArgs;
use super::run::{ResultFiles, result_outputs};
use crate::Error;
use crate::report;
use crate::scenario;

/// Reads the partials, checks they belong together and cover every replication once, and
/// writes what one run would have written.
pub fn merge(args: MergeArgs) -> Result<(), Error> {
    let mut parts = Vec::with_capacity(args.partials.len());
    for path in &args.partials {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::Usage(format!("{}: cannot read: {e}", path.display())))?;
        let (info, tally) = report::read_partial(&bytes)
            .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
        parts.push((path, info, tally));
    }
    parts.sort_by_key(|(_, info, _)| info.range[0]);
    let (first_path, first, _) = &parts[0];
    let same_run = |i: &report::ShardInfo| {
        i.source == first.source
            && i.scenario_text == first.scenario_text
            && i.overrides == first.overrides
            && i.seed == first.seed
            && i.replications == first.replications
    };
    let mut expected = 0;
    for (path, info, _) in &parts {
        if !same_run(info) {
            return Err(Error::Usage(format!(
                "{} and {} come from different runs (scenario, overrides, seed or replications differ)",
                first_path.display(),
                path.display()
            )));
        }
        if info.range[0] != expected {
            return Err(Error::Usage(format!(
                "{}: replications {} to {}, but {expected} was expected next: a shard is missing \
                 or given twice",
                path.display(),
                info.range[0],
                info.range[1]
            )));
        }
        expected = info.range[1];
    }
    if expected != first.replications {
        return Err(Error::Usage(format!(
            "the partials cover replications 0 to {expected} of {}: shards are missing",
            first.replications
        )));
    }
    let parsed = scenario::parse(&first.scenario_text, &first.source, &first.overrides)?;
    let loaded = scenario::LoadedScenario {
        scenario: parsed,
        source: first.source.clone(),
        text: first.scenario_text.clone(),
        overrides: first.overrides.clone(),
    };
    let seed = first.seed;
    let mut parts = parts.into_iter();
    let (_, _, mut tally) = parts.next().expect("at least one partial");
    for (_, _, next) in parts {
        tally.append(next);
    }
    let result = tally.finish(&loaded.scenario, seed);
    let files = ResultFiles {
        json: args.output.json.as_ref(),
        csv: args.output.csv.as_ref(),
        plots: args.output.plots.as_ref(),
        report: args.output.report.as_ref(),
    };
    result_outputs(&result, &loaded, &files)?.write()?;
    if !args.output.quiet {
        let text = report::table(&result, &loaded.source);
        let _ = std::io::stdout().write_all(text.as_bytes());
    }
    Ok(())
}
