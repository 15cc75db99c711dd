"""callsim for Python: the call-center simulator, at the speed of the Rust engine.

    >>> import callsim
    >>> scenario = callsim.Scenario.from_file("scenarios/default.toml")
    >>> result = callsim.run(scenario, replications=20)
    >>> result.kpis            # a pandas DataFrame when pandas is installed, else a dict
    >>> result.plot("wait_distribution")   # shown inline in Jupyter

Every result is the CLI's own: `result.to_json()` is byte for byte what `callsim run --json`
writes for the same scenario, overrides, replications and seed, whatever the thread count.
Runs release the GIL and use every core; Ctrl-C stops them.
"""

import csv
import io
import json

from . import _callsim, _toml
from ._callsim import RunFailed, ScenarioError

__all__ = [
    "Scenario",
    "Result",
    "Comparison",
    "Sweep",
    "Chart",
    "Decision",
    "ScenarioError",
    "RunFailed",
    "run",
    "compare",
    "sweep",
    "staff",
    "schedule",
    "erlang_b",
    "erlang_c",
    "erlang_a",
]

__version__ = "0.1.0"

try:  # pandas is optional: plain dicts without it.
    import pandas as _pd
except ImportError:  # pragma: no cover - exercised by the no-pandas test
    _pd = None


def _frames():
    """Whether results come as DataFrames (pandas installed and not switched off)."""
    return _pd is not None


def _overrides(overrides):
    """`--set` texts from a dict {"agents.count": 55} or a list of "key=value" texts."""
    if overrides is None:
        return []
    if isinstance(overrides, dict):
        return [_toml.override(k, v) for k, v in overrides.items()]
    if isinstance(overrides, str):
        return [overrides]
    return [str(o) for o in overrides]


class Scenario:
    """A validated scenario and its overrides. Errors raise `ScenarioError`, whose `.file`,
    `.key` and `.value` say what to fix (the message is the CLI's)."""

    def __init__(self, inner):
        self._inner = inner

    @classmethod
    def from_file(cls, path, overrides=None):
        """The scenario file at `path` (a forecast it names is read relative to it)."""
        return cls(_callsim.Scenario.from_file(str(path), _overrides(overrides)))

    @classmethod
    def from_toml(cls, text, name="<string>", overrides=None):
        """Scenario TOML `text`; `name` stands for the file in messages."""
        return cls(_callsim.Scenario.from_toml(text, name, _overrides(overrides)))

    @classmethod
    def from_dict(cls, table, name="<dict>", overrides=None):
        """A scenario given as nested dicts and lists, with the keys of the TOML format."""
        return cls.from_toml(_toml.dumps(table), name, overrides)

    @classmethod
    def default(cls, overrides=None):
        """The built-in default scenario (what `callsim run` runs without a file)."""
        return cls(_callsim.Scenario.default(_overrides(overrides)))

    def with_overrides(self, overrides):
        """This scenario with `overrides` (the key paths of `--set`) applied after its own:
        `scenario.with_overrides({"agents.count": 55, "arrivals.rate": "12/min"})`."""
        return Scenario(self._inner.with_overrides(_overrides(overrides)))

    name = property(lambda self: self._inner.name, doc="The scenario's name.")
    source = property(lambda self: self._inner.source, doc="The file it came from.")
    overrides = property(lambda self: list(self._inner.overrides), doc="Overrides applied.")
    text = property(lambda self: self._inner.text, doc="The TOML text as read.")
    replications = property(lambda self: self._inner.replications, doc="Replications asked for.")
    seed = property(lambda self: self._inner.seed, doc="The master seed.")

    def __repr__(self):
        return repr(self._inner)


class Chart:
    """One chart as PNG bytes and SVG text; Jupyter shows it inline."""

    def __init__(self, name, png, svg):
        self.name, self.png, self.svg = name, bytes(png), svg

    def _repr_png_(self):
        return self.png

    def save(self, path):
        """Writes the chart to `path`: SVG if it ends in .svg, PNG otherwise."""
        data = self.svg.encode() if str(path).endswith(".svg") else self.png
        with open(path, "wb") as f:
            f.write(data)

    def __repr__(self):
        return f"Chart({self.name!r}, {len(self.png)} PNG bytes)"


def _estimates_frame(kpis):
    """{kpi: {mean, std_dev, ci95, n}} as rows: kpi, mean, std_dev, ci95_lo, ci95_hi, n."""
    rows = [
        {
            "kpi": k,
            "mean": e["mean"],
            "std_dev": e["std_dev"],
            "ci95_lo": e["ci95"][0],
            "ci95_hi": e["ci95"][1],
            "n": e["n"],
        }
        for k, e in kpis.items()
    ]
    return rows


def _table(rows, index):
    """A DataFrame indexed by `index` (a column or a list of them), or without pandas plain
    dicts nested the same way: `kpis["service_level"]["mean"]`,
    `by_class["regular"]["asa_s"]["ci95_hi"]`."""
    if _frames():
        frame = _pd.DataFrame(rows)
        return frame.set_index(index) if len(frame) else frame
    keys = [index] if isinstance(index, str) else list(index)
    out = {}
    for row in rows:
        level = out
        for k in keys[:-1]:
            level = level.setdefault(row[k], {})
        level[row[keys[-1]]] = {k: v for k, v in row.items() if k not in keys}
    return out


def _number(text):
    if text == "":
        return float("nan")
    try:
        return int(text)
    except ValueError:
        return float(text)


class Result:
    """The result of a run: KPIs with their 95 % confidence intervals, overall, by caller
    class, by interval and per replication; the CLI's JSON, CSV, table, charts and report."""

    def __init__(self, inner):
        self._inner = inner
        self._json = bytes(inner.json())
        self.data = json.loads(self._json)

    def to_json(self):
        """The JSON of `callsim run --json`, byte for byte, as text."""
        return self._json.decode()

    @property
    def kpis(self):
        """Overall KPIs: one row per KPI (mean, std_dev, ci95_lo, ci95_hi, n)."""
        return _table(_estimates_frame(self.data["kpis"]), "kpi")

    def _listed(self, key, scope):
        rows = []
        for name, entry in self.data[key].items():
            for row in _estimates_frame(entry["kpis"]):
                rows.append({scope: name, **row})
        return _table(rows, [scope, "kpi"])

    @property
    def by_class(self):
        """KPIs per caller class: one row per (class, KPI)."""
        return self._listed("by_class", "class")

    @property
    def by_manager(self):
        """What each manager saw: one row per (manager, KPI)."""
        return self._listed("by_manager", "manager")

    @property
    def by_department(self):
        """KPIs per department (with two or more): one row per (department, KPI)."""
        return self._listed("by_department", "department")

    @property
    def by_skill_group(self):
        """How each skill group (the agents who serve the same departments) spends its time:
        occupancy, talk share, idle share and agents on duty; one row per (group, KPI)."""
        return self._listed("by_skill_group", "group")

    @property
    def by_interval(self):
        """KPIs per interval of the day: one row per (interval start, KPI)."""
        rows = []
        for interval in self.data["by_interval"]:
            for row in _estimates_frame(interval["kpis"]):
                rows.append({"start": interval["start"], "start_s": interval["start_s"], **row})
        return _table(rows, ["start", "kpi"])

    @property
    def per_replication(self):
        """Every overall KPI of every replication: one row per replication."""
        text = bytes(self._inner.csv("replications")).decode()
        rows = [
            {k: _number(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))
        ]
        return _table(rows, "replication")

    def csv(self, name="kpis"):
        """`kpis.csv`, `replications.csv` or `intervals.csv` as the CLI writes them, as text."""
        return bytes(self._inner.csv(name)).decode()

    @property
    def table(self):
        """The terminal table of `callsim run`."""
        return self._inner.table()

    @property
    def warnings(self):
        """What the analyst should know about the inputs or the precision."""
        return list(self._inner.warnings())

    def charts(self):
        """Every chart of `--plots`, by name."""
        return {name: Chart(name, png, svg) for name, png, svg in self._inner.charts()}

    def plot(self, name="wait_distribution", format="png"):
        """The chart `name` (one of `charts()`): with `format="png"` a `Chart`, shown inline
        in Jupyter, whose `.png` holds the PNG bytes; with `format="svg"` the SVG text."""
        charts = self.charts()
        if name not in charts:
            raise ValueError(f"chart {name!r}: allowed {', '.join(sorted(charts))}")
        chart = charts[name]
        if format == "png":
            return chart
        if format == "svg":
            return chart.svg
        raise ValueError(f"format {format!r}: allowed 'png' or 'svg'")

    def report(self):
        """The HTML report of `--report`, as text."""
        return bytes(self._inner.report()).decode()

    def __repr__(self):
        return self.table


class Comparison:
    """Variants compared on common random numbers: the JSON and table of `callsim compare`."""

    def __init__(self, json_bytes, table):
        self._json, self.table = bytes(json_bytes), table
        self.data = json.loads(self._json)

    def to_json(self):
        """The JSON of `callsim compare --json`, as text."""
        return self._json.decode()

    @property
    def differences(self):
        """Paired differences of each variant from the base: one row per (variant, KPI)."""
        rows = []
        for variant, kpis in self.data.get("differences", {}).items():
            for row in _estimates_frame(kpis):
                rows.append({"variant": variant, **row})
        return _table(rows, ["variant", "kpi"])

    def __repr__(self):
        return self.table


class Sweep:
    """One key swept over values on common random numbers: the JSON, table and chart of
    `callsim sweep`."""

    def __init__(self, json_bytes, table, chart):
        self._json, self.table = bytes(json_bytes), table
        self.data = json.loads(self._json)
        self._chart = Chart("sweep", chart[0], chart[1]) if chart else None

    def to_json(self):
        """The JSON of `callsim sweep --json`, as text."""
        return self._json.decode()

    @property
    def points(self):
        """One row per (value, KPI)."""
        rows = []
        for point in self.data["points"]:
            for row in _estimates_frame(point["kpis"]):
                rows.append({"value": point["value"], **row})
        return _table(rows, ["value", "kpi"])

    def plot(self):
        """The sweep chart."""
        return self._chart

    def __repr__(self):
        return self.table


def _flat(row, prefix=""):
    """A JSON row with estimates ({mean, std_dev, ci95, n}) flattened into columns."""
    out = {}
    for k, v in row.items():
        if isinstance(v, dict) and "mean" in v and "ci95" in v:
            out[f"{prefix}{k}"] = v["mean"]
            out[f"{prefix}{k}_ci95_lo"], out[f"{prefix}{k}_ci95_hi"] = v["ci95"]
        elif isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


class Decision:
    """The answer of `staff` or `schedule`: the JSON, table and CSV the CLI writes, whether
    the target is met everywhere, and the rows as a table."""

    def __init__(self, json_bytes, table, csv_bytes, met, rows_key):
        self._json, self.table = bytes(json_bytes), table
        self._csv = bytes(csv_bytes).decode()
        self.met = bool(met)
        self.data = json.loads(self._json)
        self._rows_key = rows_key

    def to_json(self):
        """The JSON of the CLI's `--json`, as text."""
        return self._json.decode()

    def csv(self):
        """`staff.csv` or `schedule.csv` as the CLI writes it, as text."""
        return self._csv

    @property
    def rows(self):
        """One row per period of `staff` (indexed by its start), or per shift of `schedule`
        (several shifts may share a pattern: a plain table, or a list of dicts without
        pandas)."""
        rows = [_flat(r) for r in self.data[self._rows_key]]
        if self._rows_key == "periods":
            return _table(rows, "start")
        return _pd.DataFrame(rows) if _frames() else rows

    def __repr__(self):
        return self.table


def _scenario(s):
    if isinstance(s, Scenario):
        return s
    if isinstance(s, str):
        return Scenario.from_file(s)
    raise TypeError(f"a Scenario or a path, not {type(s).__name__}")


def run(scenario, replications=None, seed=None, threads=None):
    """Runs `scenario` (a Scenario or a path): `replications` and `seed` default to the
    scenario's own, `threads` to every core. Returns a `Result`."""
    s = _scenario(scenario)
    return Result(_callsim.run(s._inner, replications, seed, threads))


def compare(base, variants, replications=None, seed=None, threads=None):
    """Compares `base` with `variants` ({name: overrides dict, list of "key=value", or a
    Scenario}) on common random numbers. Returns a `Comparison`."""
    base = _scenario(base)
    if not variants:
        raise ValueError("variants: give at least one, e.g. {'more': {'agents.count': 60}}")
    entries = [("base", base._inner, base.source)]
    for name, v in variants.items():
        if not isinstance(name, str) or not name or name == "base" or ":" in name:
            raise ValueError(f"variant name {name!r}: allowed a name other than 'base', without ':'")
        if isinstance(v, Scenario):
            entries.append((name, v._inner, v.source))
        else:
            # As `--variant NAME:KEY=VALUE,...` names it in reports.
            overrides = _overrides(v)
            spec = f"{name}:{','.join(overrides)}"
            entries.append((name, base.with_overrides(overrides)._inner, f"{base.source} with {spec}"))
    return Comparison(*_callsim.compare(entries, replications, seed, threads))


def sweep(scenario, key, values, replications=None, seed=None, threads=None):
    """Runs `scenario` once per value of the key path `key` (as `--vary key=v1,v2,...`) on
    common random numbers. Returns a `Sweep`."""
    s = _scenario(scenario)
    texts = [_toml.value(v) for v in values]
    return Sweep(*_callsim.sweep(s._inner, key, texts, replications, seed, threads))


def staff(scenario, service_level=0.8, within_s=20.0, max_abandon=None, method="day",
          replications=None, seed=None, threads=None):
    """The fewest agents per period that meet the target (as `callsim staff`): `method`
    `"day"` simulates the whole day with the staffing found, `"sipp"` each period on its own.
    Returns a `Decision`; `.met` is False where no team up to the search limit meets it."""
    s = _scenario(scenario)
    out = _callsim.staff(s._inner, service_level, within_s, max_abandon, method,
                         replications, seed, threads)
    return Decision(*out, rows_key="periods")


def schedule(scenario, service_level=0.8, within_s=20.0, max_abandon=None, method="day",
             replications=None, seed=None, threads=None):
    """Shifts of the scenario's `[scheduling]` patterns that meet the target, from an integer
    program checked and repaired by simulation (as `callsim schedule`). Returns a `Decision`
    whose rows are the shifts."""
    s = _scenario(scenario)
    out = _callsim.schedule(s._inner, service_level, within_s, max_abandon, method,
                            replications, seed, threads)
    return Decision(*out, rows_key="shifts")


def erlang_b(agents, load):
    """P(blocked) in M/M/c/c: `agents` servers, offered load `load` in Erlangs."""
    return _callsim.erlang_b(agents, load)


def erlang_c(agents, arrival_rate, service_rate, threshold_s=20.0):
    """Erlang C (M/M/c) figures as a dict, rates per second; `None` if unstable."""
    figures = _callsim.erlang_c(agents, arrival_rate, service_rate, threshold_s)
    return None if figures is None else dict(figures)


def erlang_a(agents, arrival_rate, service_rate, abandon_rate, threshold_s=20.0):
    """Erlang A (M/M/c+M) figures as a dict, rates per second; `None` for inputs it cannot
    take."""
    figures = _callsim.erlang_a(agents, arrival_rate, service_rate, abandon_rate, threshold_s)
    return None if figures is None else dict(figures)
