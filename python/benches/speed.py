"""Speed of the Python package against the CLI, Ciw and SimPy, on the yardstick of DESIGN.md
section 7 (M/M/50+M: 12 calls/min, talks of 4 min, patience of 2 min), one thread.

    python python/benches/speed.py [--turns 7] [--arrivals 1000000] [--others 100000]

* callsim from Python against the CLI: one replication of `--arrivals` arrivals, timed in
  turns (CLI, Python, CLI, Python, ...) so that a busy spell on this shared machine slows both
  alike; both collect the details a JSON result needs (the CLI with `--json`). The figure is
  the ratio of the medians.
* Ciw and SimPy run the same model from the same Python process, on `--others` arrivals (they
  are too slow for a million), timed once each, against callsim's best turn; every figure is
  arrivals per second of wall time, so runs of different lengths compare.

Needs `pip install ciw simpy` for the last two (skipped without them) and the CLI binary
(`CALLSIM_BIN`, or target/release/callsim).
"""

import argparse
import os
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import callsim

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("CALLSIM_BIN", str(ROOT / "target" / "release" / "callsim"))
RATE = 12 / 60  # calls per second
HANDLE, PATIENCE, AGENTS = 240.0, 120.0, 50


def yardstick_toml(arrivals):
    return (
        f'name = "yardstick M/M/50+M"\nhorizon = {arrivals / RATE:.0f}\nreplications = 1\n'
        '[arrivals]\nrate = "12/min"\n[[callers]]\n'
        'patience = { dist = "exponential", mean = "2m" }\n'
        'handle_time = { dist = "exponential", mean = "4m" }\n[agents]\ncount = 50\n'
    )


def time_cli(path, out):
    start = time.perf_counter()
    subprocess.run(
        [BIN, "run", str(path), "--replications", "1", "--threads", "1", "--quiet", "--json", str(out)],
        check=True,
    )
    return time.perf_counter() - start


def time_python(path):
    start = time.perf_counter()
    result = callsim.run(callsim.Scenario.from_file(path), replications=1, threads=1)
    result.to_json()
    return time.perf_counter() - start


def ciw_run(arrivals):
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE)],
        service_distributions=[ciw.dists.Exponential(rate=1 / HANDLE)],
        number_of_servers=[AGENTS],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1 / PATIENCE)],
    )
    ciw.seed(1)
    start = time.perf_counter()
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(arrivals / RATE)
    return time.perf_counter() - start


def simpy_run(arrivals):
    import simpy

    rng = random.Random(1)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    counts = {"answered": 0, "abandoned": 0}

    def caller():
        patience = rng.expovariate(1 / PATIENCE)
        with agents.request() as request:
            outcome = yield request | env.timeout(patience)
            if request in outcome:
                counts["answered"] += 1
                yield env.timeout(rng.expovariate(1 / HANDLE))
            else:
                counts["abandoned"] += 1

    def source():
        while True:
            yield env.timeout(rng.expovariate(RATE))
            env.process(caller())

    env.process(source())
    start = time.perf_counter()
    env.run(until=arrivals / RATE)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=7)
    parser.add_argument("--arrivals", type=float, default=1e6)
    parser.add_argument("--others", type=float, default=1e5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "yardstick.toml"
        path.write_text(yardstick_toml(args.arrivals))
        time_python(path)  # warm the page cache and the thread pool
        cli, py = [], []
        for _ in range(args.turns):
            cli.append(time_cli(path, Path(tmp) / "cli.json"))
            py.append(time_python(path))
        small = Path(tmp) / "small.toml"
        small.write_text(yardstick_toml(args.others))
        py_small = min(time_python(small) for _ in range(3))
    cli_m, py_m = statistics.median(cli), statistics.median(py)
    print(f"yardstick, {args.arrivals:.0f} arrivals, one thread, {args.turns} turns:")
    print(f"  CLI    median {cli_m:.3f} s  best {min(cli):.3f} s  ({args.arrivals / cli_m / 1e6:.2f} M arrivals/s)")
    print(f"  Python median {py_m:.3f} s  best {min(py):.3f} s  ({args.arrivals / py_m / 1e6:.2f} M arrivals/s)")
    print(f"  Python / CLI: {py_m / cli_m:.3f} (medians), {min(py) / min(cli):.3f} (best)")
    callsim_rate = args.arrivals / min(py)
    print(f"same model, from this Python process (callsim: best of the {args.arrivals:.0f}-arrival runs;")
    print(f"at {args.others:.0f} arrivals it does {args.others / py_small:,.0f}/s, start-up included):")
    print(f"  callsim {callsim_rate:12,.0f} arrivals/s")
    for name, runner in [("Ciw", ciw_run), ("SimPy", simpy_run)]:
        try:
            seconds = runner(args.others)
        except ImportError:
            print(f"  {name}: not installed (pip install {name.lower()})")
            continue
        rate = args.others / seconds
        print(f"  {name:7} {rate:12,.0f} arrivals/s  ({seconds:.1f} s): callsim is {callsim_rate / rate:,.0f}x faster")


if __name__ == "__main__":
    main()
