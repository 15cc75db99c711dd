//! `callsim serve`: a local web app. The page and its script are compiled into the binary, so
//! it works offline with nothing to build; the scenario templates are the files of
//! `scenarios/`, compiled in too, and the server reads no other file.
//!
//! Safe by default, because a page (or anything else that reaches the port) is outside input:
//! - it listens on 127.0.0.1 only and answers only requests addressed to `127.0.0.1` or
//!   `localhost` (a web page elsewhere cannot rebind a name of its own to it);
//! - a request body is at most [`MAX_BODY_BYTES`]; the API takes JSON only, which a page of
//!   another origin cannot send without a preflight the server never grants;
//! - a run has a budget of events and seconds ([`Limits`]) and only `max_runs` run at once;
//! - the page writes every string as text, and a content security policy forbids inline
//!   script, so a scenario named `<img src=x onerror=alert(1)>` is only ever a name.
//!
//! The API (JSON in and out; errors are `{ "error": { "message", "key", "line" } }`):
//! `GET /api/templates`, `POST /api/validate`, `POST /api/restyle`, `POST /api/run` and
//! `POST /api/compare` (server-sent events: `progress`, then `result` or `error`), and
//! `POST /api/trace` (one replication for the animated floor).

mod api;
mod knobs;
mod page;
mod replay;
mod templates;
mod work;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use knobs::{Knobs, RestyleError, STYLES, line_of, restyle};
pub use replay::{Left, Replay, STATE_NAMES, replay};
pub use templates::{ATTACHMENTS, TEMPLATES, Template};

/// Largest request body, in bytes: a scenario file's own limit and room for its overrides.
pub const MAX_BODY_BYTES: usize = crate::scenario::MAX_SCENARIO_BYTES as usize + (64 << 10);

/// What one page may ask of the server.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Runs (run, compare, trace) under way at once; one more is refused, not queued.
    pub max_runs: usize,
    /// Wall-clock seconds a run may take before it is stopped.
    pub run_seconds: f64,
    /// Events a run may handle (all its replications together) before it is stopped; a run
    /// expected to need more is refused before it starts.
    pub run_events: u64,
    /// Most replications of one run.
    pub max_replications: u32,
}

impl Default for Limits {
    /// Two runs at once, a minute and 10⁹ events each (a minute of the engine on one core),
    /// and up to 1,000 replications.
    fn default() -> Self {
        Self {
            max_runs: 2,
            run_seconds: 60.0,
            run_events: 1_000_000_000,
            max_replications: 1_000,
        }
    }
}

/// The server's shared state.
struct App {
    limits: Limits,
    runs: Arc<tokio::sync::Semaphore>,
    attachments: Vec<(String, String)>,
}

/// The whole app: the page, its assets and the API, behind the host check and the security
/// headers. Tests drive it without a socket.
pub fn router(limits: Limits) -> Router {
    let app = Arc::new(App {
        limits,
        runs: Arc::new(tokio::sync::Semaphore::new(limits.max_runs.max(1))),
        attachments: templates::attachments(),
    });
    Router::new()
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/style.css", get(page::style))
        .route("/api/templates", get(api::templates))
        .route("/api/validate", post(api::validate))
        .route("/api/restyle", post(api::restyle))
        .route("/api/run", post(api::run))
        .route("/api/compare", post(api::compare))
        .route("/api/trace", post(api::trace))
        .fallback(api::not_found)
        .with_state(app)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(guard))
}

/// Whether `host` (a Host header) names this machine's loopback.
fn local_host(host: &str) -> bool {
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(name, _)| name);
    matches!(name, "127.0.0.1" | "localhost" | "[::1]")
}

/// Refuses requests addressed to another host, and adds the security headers.
async fn guard(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if !host.is_some_and(local_host) {
        return api::problem(
            StatusCode::FORBIDDEN,
            "this server answers only requests to 127.0.0.1 or localhost",
        )
        .into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
             connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Serves on 127.0.0.1:`port` (0: any free port) until Ctrl-C; `ready` hears the address
/// once the socket listens.
pub fn serve(port: u16, limits: Limits, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
        ready(listener.local_addr()?);
        axum::serve(listener, router(limits)).await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_pass_the_host_check() {
        for ok in ["127.0.0.1:8080", "localhost:1", "localhost", "[::1]:80"] {
            assert!(local_host(ok), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "127.0.0.1.evil.example",
            "localhost.",
            "",
        ] {
            assert!(!local_host(bad), "{bad}");
        }
    }

    #[test]
    fn every_scenario_file_is_a_template() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut compiled: Vec<String> = TEMPLATES
            .iter()
            .chain(ATTACHMENTS)
            .map(|t| t.file.to_string())
            .collect();
        compiled.sort();
        assert_eq!(compiled, on_disk);
    }
}
