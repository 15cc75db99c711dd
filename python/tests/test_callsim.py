"""The Python package against the CLI: the same bytes for every scenario, the same errors,
and the shapes of the tables an analyst gets.

The CLI binary is `CALLSIM_BIN`, or `target/release/callsim` of the repository (built by
`cargo build --release`). Tests run from any folder; scenario paths are given as the CLI
is given them, relative to the repository, so that the JSON's `source` is the same.
"""

import json
import math
import os
import subprocess
from pathlib import Path

import pytest

import callsim

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("CALLSIM_BIN", str(ROOT / "target" / "release" / "callsim"))
SCENARIOS = sorted(p.name for p in (ROOT / "scenarios").glob("*.toml"))


@pytest.fixture(autouse=True)
def in_repository(monkeypatch):
    monkeypatch.chdir(ROOT)


def cli_json(tmp_path, *args):
    out = tmp_path / "cli.json"
    done = subprocess.run(
        [BIN, *args, "--quiet", "--json", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_gives_the_clis_json_byte_for_byte(tmp_path, name):
    path = f"scenarios/{name}"
    expected = cli_json(tmp_path, "run", path, "--replications", "3")
    result = callsim.run(callsim.Scenario.from_file(path), replications=3)
    assert result.to_json().encode() == expected


def test_overrides_seed_and_threads_give_the_clis_bytes(tmp_path):
    path = "scenarios/lunch_peak.toml"
    expected = cli_json(
        tmp_path,
        "run",
        path,
        "--replications",
        "4",
        "--seed",
        "9",
        "--set",
        "callbacks.enabled=true",
        "--set",
        "agents.count=20",
    )
    s = callsim.Scenario.from_file(path).with_overrides(
        {"callbacks.enabled": True, "agents.count": 20}
    )
    for threads in (1, 2, None):
        result = callsim.run(s, replications=4, seed=9, threads=threads)
        assert result.to_json().encode() == expected


def test_from_toml_and_from_dict_are_the_same_scenario():
    text = (
        'name = "tiny"\nhorizon = "2h"\n[arrivals]\nrate = "60/h"\n[[callers]]\n'
        'handle_time = { dist = "exponential", mean = "4m" }\n[agents]\ncount = 5\n'
    )
    table = {
        "name": "tiny",
        "horizon": "2h",
        "arrivals": {"rate": "60/h"},
        "callers": [{"handle_time": {"dist": "exponential", "mean": "4m"}}],
        "agents": {"count": 5},
    }
    a = callsim.run(callsim.Scenario.from_toml(text, name="x"), replications=2)
    b = callsim.run(callsim.Scenario.from_dict(table, name="x"), replications=2)
    assert a.to_json() == b.to_json()


def test_a_bad_key_raises_scenario_error_with_file_key_and_value(tmp_path):
    bad = tmp_path / "bad.toml"
    text = (ROOT / "scenarios" / "student_mm1.toml").read_text()
    bad.write_text(text.replace("count = 1", "count = -4", 1))
    with pytest.raises(callsim.ScenarioError) as caught:
        callsim.Scenario.from_file(bad)
    e = caught.value
    assert (e.file, e.key, e.value) == (str(bad), "agents.count", "-4")
    cli = subprocess.run([BIN, "run", str(bad)], capture_output=True, text=True)
    assert cli.returncode == 2
    assert str(e) in cli.stderr, "the message is the CLI's"


def test_a_bad_override_names_its_key_and_value():
    s = callsim.Scenario.from_file("scenarios/default.toml")
    with pytest.raises(callsim.ScenarioError) as caught:
        s.with_overrides({"agents.count": 0})
    assert (caught.value.key, caught.value.value) == ("agents.count", "0")
    with pytest.raises(callsim.ScenarioError):
        s.with_overrides({"no.such.key": 1})


def test_bad_arguments_raise_before_any_work():
    s = callsim.Scenario.from_file("scenarios/student_mm1.toml")
    with pytest.raises(ValueError, match="replications=0"):
        callsim.run(s, replications=0)
    with pytest.raises(ValueError, match="threads=0"):
        callsim.run(s, replications=1, threads=0)
    with pytest.raises(TypeError):
        callsim.Scenario.from_dict({"agents": {"count": object()}})


def test_tables_have_the_shapes_an_analyst_expects():
    pd = pytest.importorskip("pandas")
    r = callsim.run(callsim.Scenario.from_file("scenarios/default.toml"), replications=5)
    kpis = r.kpis
    assert isinstance(kpis, pd.DataFrame)
    assert list(kpis.columns) == ["mean", "std_dev", "ci95_lo", "ci95_hi", "n"]
    assert kpis.index.name == "kpi" and "service_level" in kpis.index
    sl = kpis.loc["service_level"]
    assert sl.ci95_lo <= sl["mean"] <= sl.ci95_hi and sl.n == 5
    classes = r.by_class
    assert classes.index.names == ["class", "kpi"]
    assert set(classes.index.get_level_values("class")) == {"priority", "regular"}
    reps = r.per_replication
    assert len(reps) == 5 and reps.index.name == "replication"
    assert math.isclose(reps["offered"].mean(), kpis.loc["offered", "mean"])
    intervals = r.by_interval
    assert intervals.index.names == ["start", "kpi"]
    assert len(intervals.index.get_level_values("start").unique()) == 24


def test_charts_and_the_report_are_the_clis():
    r = callsim.run(callsim.Scenario.from_file("scenarios/default.toml"), replications=3)
    charts = r.charts()
    assert "wait_distribution" in charts
    chart = r.plot("wait_distribution")
    assert chart._repr_png_().startswith(b"\x89PNG")
    assert r.plot("wait_distribution", format="svg").lstrip().startswith("<svg")
    with pytest.raises(ValueError, match="allowed"):
        r.plot("no_such_chart")
    assert "<h2>KPIs</h2>" in r.report()
    assert "Service level" in r.table


def test_compare_and_sweep_give_the_clis_json(tmp_path):
    path = "scenarios/default.toml"
    expected = cli_json(
        tmp_path, "compare", path, "--variant", "more:agents.count=60", "--replications", "3"
    )
    c = callsim.compare(
        callsim.Scenario.from_file(path), {"more": {"agents.count": 60}}, replications=3
    )
    assert c.to_json().encode() == expected
    expected = cli_json(tmp_path, "sweep", path, "--vary", "agents.count=50,60", "--replications", "3")
    s = callsim.sweep(callsim.Scenario.from_file(path), "agents.count", [50, 60], replications=3)
    assert s.to_json().encode() == expected
    assert s.plot()._repr_png_().startswith(b"\x89PNG")


def test_erlang_functions_are_the_clis():
    cli = subprocess.run(
        [BIN, "erlang", "--rate", "120/h", "--aht", "4m", "--agents", "10", "--threshold", "20s"],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stderr
    c = callsim.erlang_c(10, 120 / 3600, 1 / 240, threshold_s=20)
    assert f"P(wait) {c['p_wait']:.4f}, ASA {c['mean_wait_s']:.1f} s" in cli.stdout, cli.stdout
    assert f"service level {c['service_level']:.4f}" in cli.stdout
    assert f"blocking {callsim.erlang_b(10, 8.0):.4f}" in cli.stdout
    # Erlang B of a classic table: 10 servers, 5 Erlangs.
    assert math.isclose(callsim.erlang_b(10, 5.0), 0.018384, rel_tol=1e-4)
    assert callsim.erlang_c(2, 1.0, 0.4) is None, "unstable"
    a = callsim.erlang_a(10, 120 / 3600, 1 / 240, 1 / 120)
    assert 0 < a["p_abandon"] < a["p_wait"] < 1


def test_skill_groups_come_as_a_table_of_their_own():
    pytest.importorskip("pandas")
    r = callsim.run(callsim.Scenario.from_file("scenarios/departments.toml"), replications=3)
    groups = r.by_skill_group
    assert groups.index.names == ["group", "kpi"]
    assert list(groups.index.get_level_values("group").unique()) == [
        "billing",
        "technical",
        "technical+billing",
    ]
    occupancy = groups.loc[("technical+billing", "occupancy")]
    assert 0 < occupancy["mean"] <= 1 and occupancy.n == 3
    assert set(groups.index.get_level_values("kpi")) == {
        "occupancy",
        "talk_share",
        "idle_share",
        "staffed_agents_mean",
    }


def test_without_pandas_results_are_plain_dicts(monkeypatch):
    monkeypatch.setattr(callsim, "_pd", None)
    r = callsim.run(callsim.Scenario.from_file("scenarios/default.toml"), replications=2)
    data = json.loads(r.to_json())
    kpis = r.kpis
    assert isinstance(kpis, dict) and kpis["offered"]["mean"] == data["kpis"]["offered"]["mean"]
    assert kpis["offered"]["ci95_hi"] == data["kpis"]["offered"]["ci95"][1]
    by_class = r.by_class
    assert by_class["regular"]["asa_s"]["n"] == 2
    assert set(r.per_replication) == {0, 1}


# About 10⁸ arrivals in one replication: minutes of work if nobody stops it.
LONG = (
    'horizon = "2400h"\n[arrivals]\nrate = "700/min"\n[[callers]]\n'
    'handle_time = { dist = "exponential", mean = "4m" }\n'
    'patience = { dist = "exponential", mean = "2m" }\n[agents]\ncount = 2900\n'
)


def test_ctrl_c_stops_a_long_run():
    import signal
    import sys
    import time

    code = (
        "import callsim, sys\n"
        f"s = callsim.Scenario.from_toml({LONG!r})\n"
        "print('started', flush=True)\n"
        "try:\n"
        "    callsim.run(s, replications=2)\n"
        "except KeyboardInterrupt:\n"
        "    print('stopped', flush=True)\n"
        "    sys.exit(0)\n"
        "sys.exit(3)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "started"
    time.sleep(1.0)
    sent = time.monotonic()
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert "stopped" in out
    assert time.monotonic() - sent < 10, "it stopped within seconds, not at the run's end"


def test_the_gil_is_released_while_a_run_works():
    import threading
    import time

    medium = LONG.replace("2400h", "60h")
    s = callsim.Scenario.from_toml(medium)
    done = threading.Event()
    worker = threading.Thread(target=lambda: (callsim.run(s, replications=2), done.set()))
    ticks = 0
    start = time.monotonic()
    worker.start()
    while not done.is_set():
        ticks += 1
    worker.join()
    elapsed = time.monotonic() - start
    assert elapsed > 0.2, f"the run took {elapsed:.2f} s: too short to tell"
    assert ticks > 10_000, f"Python ran only {ticks} loops beside the run in {elapsed:.2f} s"


def test_staff_and_schedule_give_the_clis_json(tmp_path):
    path = "scenarios/intraday_retail.toml"
    target = ["--service-level", "0.8", "--within", "20s", "--replications", "3"]
    s = callsim.Scenario.from_file(path)
    expected = cli_json(tmp_path, "staff", path, "--method", "sipp", *target)
    staffing = callsim.staff(s, 0.8, 20.0, method="sipp", replications=3)
    assert staffing.to_json().encode() == expected
    assert staffing.met and len(staffing.rows) == len(staffing.data["periods"])
    expected = cli_json(tmp_path, "schedule", path, *target)
    roster = callsim.schedule(s, 0.8, 20.0, replications=3)
    assert roster.to_json().encode() == expected
    assert roster.csv().startswith("pattern,start,end,break,agents")


def test_scheduling_problems_raise_with_the_key():
    s = callsim.Scenario.from_file("scenarios/student_mm1.toml")
    with pytest.raises(callsim.ScenarioError) as caught:
        callsim.schedule(s, replications=2)
    assert caught.value.key == "arrivals"
    with pytest.raises(ValueError, match="service_level"):
        callsim.staff(s, service_level=1.5)
