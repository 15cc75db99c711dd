//! The HTTP API of `callsim serve`, driven without a socket (tower's `oneshot`): the page
//! and its headers, validation at the key, runs that give the command line's own bytes,
//! comparisons, the floor's replay, and every limit that keeps one page from stalling the
//! server.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use callsim::serve::{Limits, TEMPLATES, router};

fn text(file: &str) -> String {
    std::fs::read_to_string(format!("scenarios/{file}")).unwrap()
}

fn request(method: &str, path: &str, body: Option<&Value>) -> Request<Body> {
    let builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "127.0.0.1:8421");
    match body {
        Some(b) => builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string()))
            .unwrap(),
        None => builder.body(Body::empty()).unwrap(),
    }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON answer")
    }

    /// The server-sent events, as (name, data).
    fn events(&self) -> Vec<(String, Value)> {
        String::from_utf8_lossy(&self.body)
            .split("\n\n")
            .filter(|b| !b.trim().is_empty())
            .map(|block| {
                let mut name = String::new();
                let mut data = Vec::new();
                for line in block.lines() {
                    if let Some(n) = line.strip_prefix("event:") {
                        name = n.trim().to_string();
                    } else if let Some(d) = line.strip_prefix("data:") {
                        data.push(d.strip_prefix(' ').unwrap_or(d));
                    }
                }
                (name, serde_json::from_str(&data.join("\n")).unwrap())
            })
            .collect()
    }

    /// The last event, which ends every stream: `result` or `error`.
    fn outcome(&self) -> (String, Value) {
        self.events().pop().expect("at least one event")
    }
}

async fn send(app: &Router, req: Request<Body>) -> Answer {
    let response = app.clone().oneshot(req).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn post(app: &Router, path: &str, body: Value) -> Answer {
    send(app, request("POST", path, Some(&body))).await
}

fn app() -> Router {
    router(Limits::default())
}

#[tokio::test]
async fn the_page_comes_with_a_strict_content_security_policy() {
    let app = app();
    let page = send(&app, request("GET", "/", None)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = String::from_utf8(page.body.clone()).unwrap();
    assert!(html.contains("<textarea id=\"editor\""));
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let script = send(&app, request("GET", "/app.js", None)).await;
    assert!(
        script.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    // The page writes scenario strings as text only.
    let js = String::from_utf8(script.body).unwrap();
    assert!(
        !js.contains("innerHTML") && !js.contains("insertAdjacentHTML") && !js.contains("eval(")
    );
}

#[tokio::test]
async fn only_requests_to_the_loopback_are_answered() {
    let app = app();
    let mut req = request("GET", "/", None);
    req.headers_mut()
        .insert(header::HOST, "rebound.example:8421".parse().unwrap());
    let answer = send(&app, req).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(
        answer.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("127.0.0.1")
    );
    let mut none = request("GET", "/", None);
    none.headers_mut().remove(header::HOST);
    assert_eq!(send(&app, none).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn no_file_is_served_but_the_page_and_the_templates() {
    let app = app();
    for path in [
        "/../Cargo.toml",
        "/scenarios/default.toml",
        "/api/templates/../../etc/passwd",
        "/src/main.rs",
    ] {
        let answer = send(&app, request("GET", path, None)).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert!(answer.json()["error"]["message"].is_string());
    }
    let list = send(&app, request("GET", "/api/templates", None))
        .await
        .json();
    let templates = list["templates"].as_array().unwrap();
    assert_eq!(templates.len(), TEMPLATES.len());
    assert_eq!(templates[0]["file"], "default.toml");
    assert_eq!(templates[0]["name"], "Mid-size center, one day");
    assert_eq!(templates[0]["text"], text("default.toml"));
}

#[tokio::test]
async fn a_forecast_is_read_only_from_the_templates_files() {
    let app = app();
    let ok = post(
        &app,
        "/api/validate",
        json!({ "scenario": text("forecast_day.toml"), "source": "scenarios/forecast_day.toml" }),
    )
    .await;
    assert_eq!(
        ok.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&ok.body)
    );
    let elsewhere = text("forecast_day.toml").replace("forecast.csv", "../Cargo.toml");
    let refused = post(&app, "/api/validate", json!({ "scenario": elsewhere })).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = &refused.json()["error"];
    assert_eq!(e["key"], "arrivals.profile.file");
    assert!(e["message"].as_str().unwrap().contains("not kept"), "{e}");
}

#[tokio::test]
async fn validation_names_the_key_and_its_line() {
    let app = app();
    let good = post(
        &app,
        "/api/validate",
        json!({ "scenario": text("default.toml") }),
    )
    .await;
    assert_eq!(good.status, StatusCode::OK);
    let v = good.json();
    assert_eq!(v["knobs"]["agents"], 54);
    assert_eq!(v["knobs"]["profile_per_h"].as_array().unwrap().len(), 24);
    assert_eq!(
        v["knobs"]["patience"]["keys"],
        json!(["callers[0].patience.mean", "callers[1].patience.mean"])
    );

    let original = text("default.toml");
    let line = original
        .lines()
        .position(|l| l.starts_with("count = 54"))
        .unwrap()
        + 1;
    let bad = post(
        &app,
        "/api/validate",
        json!({ "scenario": original.replace("count = 54", "count = 0") }),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = &bad.json()["error"];
    assert_eq!(e["key"], "agents.count");
    assert_eq!(e["line"], line);
    assert!(e["message"].as_str().unwrap().contains("allowed"), "{e}");

    let syntax = post(
        &app,
        "/api/validate",
        json!({ "scenario": "name = \"x\"\n[agents\ncount = 3\n" }),
    )
    .await;
    assert_eq!(syntax.json()["error"]["line"], 2);

    let knob = post(
        &app,
        "/api/validate",
        json!({ "scenario": original, "overrides": ["agents.count=-1"] }),
    )
    .await;
    assert_eq!(knob.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(knob.json()["error"]["key"], "agents.count");
}

#[tokio::test]
async fn requests_that_are_not_well_formed_get_a_message() {
    let app = app();
    let unknown = post(
        &app,
        "/api/validate",
        json!({ "scenario": "", "file": "/etc/passwd" }),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field")
    );
    let mut plain = request("POST", "/api/run", None);
    *plain.body_mut() = Body::from("scenario=1");
    plain
        .headers_mut()
        .insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
    let plain = send(&app, plain).await;
    assert_eq!(plain.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(plain.json()["error"]["message"].is_string());
    let huge = "#".repeat(callsim::serve::MAX_BODY_BYTES + 10);
    let big = post(&app, "/api/validate", json!({ "scenario": huge })).await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        big.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("MiB")
    );
    let many: Vec<String> = (0..500).map(|i| format!("seed={i}")).collect();
    let over = post(
        &app,
        "/api/validate",
        json!({ "scenario": text("default.toml"), "overrides": many }),
    )
    .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_run_gives_the_command_lines_bytes() {
    let app = app();
    let answer = post(
        &app,
        "/api/run",
        json!({ "scenario": text("student_mm1.toml"), "source": "scenarios/student_mm1.toml",
                "overrides": ["agents.count=2"], "replications": 6, "seed": 11 }),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let (name, result) = answer.outcome();
    assert_eq!(name, "result", "{result}");
    let dir = crate::common::temp_dir("serve-run");
    let json_path = dir.join("cli.json");
    let csv_dir = dir.join("csv");
    crate::common::ok(&crate::common::callsim(&[
        "run",
        "scenarios/student_mm1.toml",
        "--set",
        "agents.count=2",
        "--replications",
        "6",
        "--seed",
        "11",
        "--quiet",
        "--json",
        json_path.to_str().unwrap(),
        "--csv",
        csv_dir.to_str().unwrap(),
    ]));
    let files = &result["files"];
    // Compared without printing: the documents are long.
    assert!(files["result.json"].as_str().unwrap() == std::fs::read_to_string(&json_path).unwrap());
    for csv in ["kpis.csv", "replications.csv", "intervals.csv"] {
        assert!(
            files[csv].as_str().unwrap() == std::fs::read_to_string(csv_dir.join(csv)).unwrap(),
            "{csv}"
        );
    }
    assert!(
        files["report.html"]
            .as_str()
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    // The table the page draws: the theory column of M/M/2, and a verdict on each exact KPI.
    let first = &result["tables"][0];
    assert_eq!(first["theory"], "Erlang C");
    let wait = first["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "mean_wait_s")
        .unwrap();
    assert!(wait["verdict"] == "agrees" || wait["verdict"] == "differs");
    assert!(!result["charts"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_comparison_gives_the_command_lines_bytes() {
    let app = app();
    let answer = post(
        &app,
        "/api/compare",
        json!({ "scenario": text("student_mm1.toml"), "source": "scenarios/student_mm1.toml",
                "variant": ["agents.count=2"], "replications": 5 }),
    )
    .await;
    let (name, c) = answer.outcome();
    assert_eq!(name, "result", "{c}");
    let dir = crate::common::temp_dir("serve-compare");
    let path = dir.join("compare.json");
    crate::common::ok(&crate::common::callsim(&[
        "compare",
        "scenarios/student_mm1.toml",
        "--variant",
        "variant:agents.count=2",
        "--replications",
        "5",
        "--quiet",
        "--json",
        path.to_str().unwrap(),
    ]));
    // Compared without printing: the documents are long.
    assert!(
        c["files"]["compare.json"].as_str().unwrap() == std::fs::read_to_string(&path).unwrap()
    );
    let differences = &c["tables"][1];
    let wait = differences["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "mean_wait_s")
        .unwrap();
    let cell = wait["cells"][0].as_str().unwrap();
    assert!(
        cell.starts_with('-') && cell.ends_with('*'),
        "a second agent cuts the wait: {cell}"
    );
    let nothing = post(
        &app,
        "/api/compare",
        json!({ "scenario": text("student_mm1.toml") }),
    )
    .await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// About 10⁸ arrivals in one replication: minutes of work if nobody stops it.
const LONG: &str = "name = \"long\"\nreplications = 10\nhorizon = \"2400h\"\n[arrivals]\nrate = \"700/min\"\n\
    [[callers]]\nhandle_time = { dist = \"exponential\", mean = \"4m\" }\n\
    patience = { dist = \"exponential\", mean = \"2m\" }\n[agents]\ncount = 2900\n";

#[tokio::test]
async fn a_run_too_large_for_the_budget_is_refused_before_it_starts() {
    let app = app();
    let answer = post(&app, "/api/run", json!({ "scenario": LONG })).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = answer.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("--run-events"), "{message}");
    let too_many = post(
        &app,
        "/api/run",
        json!({ "scenario": text("student_mm1.toml"), "replications": 5000 }),
    )
    .await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(too_many.json()["error"]["key"], "replications");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_past_its_seconds_is_stopped_and_says_why() {
    let app = router(Limits {
        run_seconds: 1.0,
        run_events: u64::MAX,
        ..Limits::default()
    });
    let started = std::time::Instant::now();
    let answer = post(&app, "/api/run", json!({ "scenario": LONG })).await;
    let (name, e) = answer.outcome();
    assert_eq!(name, "error");
    assert!(
        e["message"].as_str().unwrap().contains("--run-seconds"),
        "{e}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "stopped within a few seconds"
    );
    let progress = answer
        .events()
        .iter()
        .filter(|(n, _)| n == "progress")
        .count();
    assert!(
        progress >= 2,
        "progress was streamed while it ran ({progress} events)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_run_more_than_the_bound_is_refused_and_a_page_gone_frees_its_slot() {
    let app = router(Limits {
        max_runs: 1,
        run_events: u64::MAX,
        ..Limits::default()
    });
    // The first run holds the only slot while its stream is open.
    let first = app
        .clone()
        .oneshot(request(
            "POST",
            "/api/run",
            Some(&json!({ "scenario": LONG })),
        ))
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let busy = post(
        &app,
        "/api/trace",
        json!({ "scenario": text("student_mm1.toml") }),
    )
    .await;
    assert_eq!(busy.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        busy.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--max-runs")
    );
    // The page goes away: the run is stopped and its slot comes free.
    drop(first);
    let started = std::time::Instant::now();
    loop {
        let again = post(
            &app,
            "/api/validate",
            json!({ "scenario": text("student_mm1.toml") }),
        )
        .await;
        assert_eq!(again.status, StatusCode::OK);
        let run = post(
            &app,
            "/api/run",
            json!({ "scenario": text("student_mm1.toml"), "replications": 2 }),
        )
        .await;
        if run.status == StatusCode::OK {
            assert_eq!(run.outcome().0, "result");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the slot came free"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_replay_covers_every_agents_time_and_every_wait() {
    let app = app();
    let answer = post(
        &app,
        "/api/trace",
        json!({ "scenario": text("floor77_walker.toml") }),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let r = answer.json();
    assert_eq!(r["agents"], 77);
    let end = r["end"].as_f64().unwrap();
    let segments: Vec<f64> = serde_json::from_value(r["segments"].clone()).unwrap();
    assert_eq!(segments.len() % 4, 0);
    // Each agent's spells tile [0, end] exactly.
    let mut covered = vec![0.0; 77];
    for s in segments.chunks(4) {
        assert!(s[2] >= s[1]);
        covered[s[0] as usize] += s[2] - s[1];
    }
    for (agent, c) in covered.iter().enumerate() {
        assert!((c - end).abs() < 1e-6 * end, "agent {agent}: {c} of {end}");
    }
    let states: Vec<String> = serde_json::from_value(r["states"].clone()).unwrap();
    let slack = states.iter().position(|s| s == "slack").unwrap() as f64;
    assert!(
        segments.chunks(4).any(|s| s[3] == slack),
        "the walker's floor has slack"
    );
    assert!(
        !r["watches"].as_array().unwrap().is_empty(),
        "the walker watches"
    );
    let queue: Vec<f64> = serde_json::from_value(r["queue"].clone()).unwrap();
    assert!(queue.chunks(4).all(|q| q[1] >= q[0]));
    assert!(queue.chunks(4).any(|q| q[1] > q[0]), "somebody waited");
}

#[tokio::test]
async fn callbacks_waiting_appear_in_the_replay() {
    let app = app();
    let r = post(
        &app,
        "/api/trace",
        json!({ "scenario": text("lunch_peak.toml"), "overrides": ["callbacks.enabled=true"] }),
    )
    .await
    .json();
    let callbacks: Vec<f64> = serde_json::from_value(r["callbacks"].clone()).unwrap();
    assert!(!callbacks.is_empty() && callbacks.chunks(2).all(|c| c[1] >= c[0]));
    let queue: Vec<f64> = serde_json::from_value(r["queue"].clone()).unwrap();
    let moved = queue
        .chunks(4)
        .filter(|q| q[2] == callsim::serve::Left::Callback as u8 as f64)
        .count();
    assert_eq!(
        moved * 2,
        callbacks.len(),
        "each accepted callback left the queue"
    );
}

#[tokio::test]
async fn a_replication_too_long_to_animate_is_refused_quickly() {
    let app = app();
    let started = std::time::Instant::now();
    let answer = post(&app, "/api/trace", json!({ "scenario": LONG })).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("too long to animate")
    );
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn a_style_switch_is_made_in_the_text_and_validates() {
    let app = app();
    for style in ["office", "alongside", "random", "walker"] {
        let answer = post(
            &app,
            "/api/restyle",
            json!({ "scenario": text("floor77_walker.toml"), "manager": 0, "style": style }),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{style}");
        let new = answer.json()["scenario"].as_str().unwrap().to_string();
        let v = post(&app, "/api/validate", json!({ "scenario": new })).await;
        assert_eq!(
            v.status,
            StatusCode::OK,
            "{style}: {}",
            String::from_utf8_lossy(&v.body)
        );
        assert_eq!(v.json()["knobs"]["managers"][0]["style"], style);
    }
    let none = post(
        &app,
        "/api/restyle",
        json!({ "scenario": text("student_mm1.toml"), "manager": 0, "style": "office" }),
    )
    .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[test]
fn a_port_already_taken_is_an_error_with_its_number() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = crate::common::callsim(&["serve", "--port", &port]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("cannot serve on 127.0.0.1:{port}")),
        "{stderr}"
    );
    let bad = crate::common::callsim(&["serve", "--port", "70000"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_transferred_caller_waits_again_in_the_replay() {
    let s = crate::common::scenario(&text("departments.toml"));
    let trace = callsim::experiment::trace(&s, s.seed, 0).unwrap();
    let count = |event: &str| trace.rows.iter().filter(|r| r.event == event).count();
    let (offered, transferred) = (count("offered"), count("transferred"));
    assert!(transferred > 0, "the floor misroutes some calls");
    let replay = callsim::serve::replay(&s.name, &trace);
    assert_eq!(replay.queue.len(), 4 * (offered + transferred));
    // Every spell ends once: answered, abandoned, a callback, or still open at the end.
    let answered = count("answered") + count("abandoned") + count("callback_accepted");
    let open = replay
        .queue
        .chunks(4)
        .filter(|q| q[2] == callsim::serve::Left::Open as u8 as f64)
        .count();
    assert_eq!(answered + open, offered + transferred);
}
