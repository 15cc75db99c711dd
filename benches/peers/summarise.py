"""Pools the per-seed lines of one peer (from stdin) into means with 95 % confidence intervals
and says whether each interval covers the Erlang-A value.

Usage: summarise.py NAME P_WAIT ABANDON SERVICE_LEVEL < lines
Each input line looks like: "<name> arrivals_per_s=N p_wait=X abandon=X asa_s=X service_level=X".
One run of a few tens of thousands of arrivals is one noisy draw (runs differ by several
points of P(wait)), so only the spread across seeds says whether a peer agrees with theory.
"""
import math
import re
import statistics
import sys

# Two-sided 95 % Student t quantiles by degrees of freedom.
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}


def main():
    name = sys.argv[1]
    theory = {"p_wait": float(sys.argv[2]), "abandon": float(sys.argv[3]),
              "service_level": float(sys.argv[4])}
    runs = [dict((k, float(v)) for k, v in re.findall(r"(\w+)=([0-9.]+)", line))
            for line in sys.stdin if "=" in line]
    if len(runs) < 2:
        sys.exit(f"{name}: need at least two seeds, got {len(runs)}")
    t = T95.get(len(runs) - 1, 1.96)
    rate = statistics.mean(r["arrivals_per_s"] for r in runs)
    best = max(r["arrivals_per_s"] for r in runs)
    cells = []
    for key, exact in theory.items():
        values = [r[key] for r in runs]
        mean = statistics.mean(values)
        half = t * statistics.stdev(values) / math.sqrt(len(values))
        verdict = "agrees" if abs(mean - exact) <= half else "DISAGREES"
        cells.append(f"{key} {mean:.4f} ± {half:.4f} ({verdict})")
    print(f"{name}: {rate:.0f} arrivals/s over {len(runs)} seeds (best {best:.0f}); "
          + "; ".join(cells))
    print(f"{name} arrivals_per_s={rate:.0f} best_arrivals_per_s={best:.0f}")


if __name__ == "__main__":
    main()
