//! The JSON result of DESIGN.md section 5.

use serde_json::{Map, Value, json};

use crate::experiment::{ExperimentResult, ScopeResult};
use crate::kpi::{Kpi, ListedScope};
use crate::stats::{DurationHistogram, Estimate};

pub(super) fn number(x: f64) -> Value {
    // NaN and infinities (undefined KPIs) become null.
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

pub(super) fn estimate(e: &Estimate) -> Value {
    json!({
        "mean": number(e.mean),
        "std_dev": number(e.std_dev),
        "ci95": [number(e.ci95[0]), number(e.ci95[1])],
        "n": e.n,
    })
}

fn kpis(scope: &ScopeResult) -> Value {
    let mut m = Map::new();
    for (k, e) in &scope.kpis {
        m.insert(k.key().to_string(), estimate(e));
    }
    Value::Object(m)
}

/// The entries of a listed scope: `{ NAME: { kpis } }`, with each manager's style beside her
/// KPIs, and a decline reason's one KPI as the entry itself.
fn listed(result: &ExperimentResult, scope: ListedScope) -> Value {
    let mut m = Map::new();
    for (i, e) in result.listed(scope).iter().enumerate() {
        let entry = match scope {
            ListedScope::Manager => {
                json!({ "style": result.manager_styles[i], "kpis": kpis(e) })
            }
            ListedScope::DeclineReason => match e.get(Kpi::OutboundDeclines) {
                Some(declines) => estimate(declines),
                None => continue,
            },
            ListedScope::Class | ListedScope::Department => json!({ "kpis": kpis(e) }),
        };
        m.insert(e.name.clone(), entry);
    }
    Value::Object(m)
}

/// The result as pretty JSON, ending in a newline. Same result, same bytes.
pub fn json(result: &ExperimentResult, source: &str, overrides: &[String]) -> Vec<u8> {
    let distribution = |h: &DurationHistogram| {
        let quantiles: Map<String, Value> = [0.5, 0.8, 0.9, 0.95, 0.99]
            .iter()
            .map(|q| {
                (
                    format!("p{}", (q * 100.0f64).round()),
                    number(h.quantile(*q)),
                )
            })
            .collect();
        json!({ "count": h.count(), "quantiles": quantiles })
    };
    let layout = result.interval_layout;
    let by_interval: Vec<Value> = result
        .by_interval
        .iter()
        .enumerate()
        .map(|(i, kpis)| {
            let mut m = Map::new();
            for (k, e) in kpis {
                m.insert(k.key().to_string(), estimate(e));
            }
            json!({
                "start_s": number(layout.start_s(i)),
                "end_s": number(layout.start_s(i + 1)),
                "start": layout.start_label(i),
                "end": layout.end_label(i),
                "kpis": m,
            })
        })
        .collect();
    let mut distributions = Map::new();
    distributions.insert(
        "answered_wait_s".into(),
        distribution(&result.answered_waits),
    );
    if let Some(h) = &result.callback_delays {
        distributions.insert("callback_delay_s".into(), distribution(h));
    }
    if let Some([observed, unobserved]) = &result.follow_up_responses {
        distributions.insert(
            "follow_up_response_observed_s".into(),
            distribution(observed),
        );
        distributions.insert(
            "follow_up_response_unobserved_s".into(),
            distribution(unobserved),
        );
    }
    let Value::Object(mut doc) = json!({
        "scenario": result.scenario,
        "source": source,
        "overrides": overrides,
        "seed": result.seed,
        "replications": result.replications,
        "warmup_s": number(result.warmup_s),
        "warmup_auto": result.warmup_auto,
        "kpis": kpis(&result.overall),
    }) else {
        unreachable!("an object")
    };
    for scope in ListedScope::ALL {
        doc.insert(scope.json_key().into(), listed(result, scope));
    }
    doc.insert("by_interval".into(), Value::Array(by_interval));
    doc.insert("distributions".into(), Value::Object(distributions));
    let warnings = result
        .warnings
        .iter()
        .map(|w| Value::String(w.to_string()))
        .collect();
    doc.insert("warnings".into(), Value::Array(warnings));
    doc.insert("theory".into(), theory(result));
    let doc = Value::Object(doc);
    let mut out = serde_json::to_vec_pretty(&doc).expect("JSON values always serialise");
    out.push(b'\n');
    out
}

/// `{ model, kpis: { KEY: { value, agrees } } }` when a closed form applies, else `null`.
fn theory(result: &ExperimentResult) -> Value {
    let Some(t) = &result.theory else {
        return Value::Null;
    };
    let exact = |scope: &ScopeResult, values: &[(crate::kpi::Kpi, f64)]| {
        let mut kpis = Map::new();
        for (kpi, x) in values {
            let agrees = scope.get(*kpi).is_some_and(|e| super::agrees(e, *x));
            kpis.insert(kpi.key().into(), json!({ "value": x, "agrees": agrees }));
        }
        Value::Object(kpis)
    };
    let mut by_class = Map::new();
    for (class, values) in result.by_class().iter().zip(&t.by_class) {
        by_class.insert(class.name.clone(), json!({ "kpis": exact(class, values) }));
    }
    json!({
        "model": t.form.name(),
        "kpis": exact(&result.overall, &t.overall),
        "by_class": by_class,
    })
}
