//! `callsim serve`.

use std::io::Write;

use super::ServeArgs;
use crate::Error;
use crate::serve::{self, Limits};

/// Serves the web app until Ctrl-C, after printing where.
pub fn serve(args: ServeArgs) -> Result<(), Error> {
    let limits = Limits {
        max_runs: usize::from(args.max_runs),
        run_seconds: f64::from(args.run_seconds),
        run_events: args.run_events,
        max_replications: args.max_replications,
    };
    serve::serve(args.port, limits, |address| {
        // On stdout, flushed, so a script that started the server can read the port.
        let mut out = std::io::stdout();
        let _ = writeln!(
            out,
            "callsim serve: open http://{address}/ in a browser (Ctrl-C stops)"
        );
        let _ = out.flush();
    })
    .map_err(|source| Error::Serve {
        port: args.port,
        source,
    })
}
