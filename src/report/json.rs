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
            ListedScope::Class | ListedScope::Department | ListedScope::SkillGroup => {
                json!({ "kpis": kpis(e) })
            }
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
    let mut tail = Map::new();
    tail.insert("distributions".into(), Value::Object(distributions));
    let warnings = result
        .warnings
        .iter()
        .map(|w| Value::String(w.to_string()))
        .collect();
    tail.insert("warnings".into(), Value::Array(warnings));
    tail.insert("theory".into(), theory(result));
    let doc = Document {
        head: doc,
        by_interval: Intervals(result),
        tail,
    };
    let mut out = serde_json::to_vec_pretty(&doc).expect("JSON values always serialise");
    out.push(b'\n');
    out
}

/// The document, with `by_interval` between the keys before it and those after it: a day of
/// one-second intervals is 86,400 entries, written one at a time instead of held as a tree
/// of values (the bytes are those of the tree).
struct Document<'a> {
    head: Map<String, Value>,
    by_interval: Intervals<'a>,
    tail: Map<String, Value>,
}

impl serde::Serialize for Document<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.head.len() + 1 + self.tail.len()))?;
        for (k, v) in &self.head {
            map.serialize_entry(k, v)?;
        }
        map.serialize_entry("by_interval", &self.by_interval)?;
        for (k, v) in &self.tail {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The KPIs per interval, each interval built when it is written.
struct Intervals<'a>(&'a ExperimentResult);

impl serde::Serialize for Intervals<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let result = self.0;
        let layout = result.interval_layout;
        let mut seq = serializer.serialize_seq(Some(result.by_interval.len()))?;
        for (i, kpis) in result.by_interval.iter().enumerate() {
            let mut m = Map::new();
            for (k, e) in kpis {
                m.insert(k.key().to_string(), estimate(e));
            }
            seq.serialize_element(&json!({
                "start_s": number(layout.start_s(i)),
                "end_s": number(layout.start_s(i + 1)),
                "start": layout.start_label(i),
                "end": layout.end_label(i),
                "kpis": m,
            }))?;
        }
        seq.end()
    }
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
