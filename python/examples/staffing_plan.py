"""An analyst's script: the staffing plan of a day, from a scenario to a DataFrame to a CSV.

    python python/examples/staffing_plan.py [SCENARIO.toml] [OUT.csv]

It finds the fewest agents per interval that answer 80 % of calls within 20 seconds with
confidence (the whole day simulated, as `callsim staff --method day`), prints the plan, and
writes it as CSV for a spreadsheet or a workforce tool.
"""

import sys
from pathlib import Path

import callsim

ROOT = Path(__file__).resolve().parents[2]


def main():
    scenario_path = sys.argv[1] if len(sys.argv) > 1 else ROOT / "scenarios" / "intraday_retail.toml"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "staffing_plan.csv")
    scenario = callsim.Scenario.from_file(scenario_path)
    plan = callsim.staff(scenario, service_level=0.8, within_s=20, replications=10)
    rows = plan.rows  # a DataFrame with pandas installed: one row per interval
    columns = ["end", "rate_per_hour", "erlang_estimate", "agents",
               "staffed.service_level", "staffed.service_level_ci95_lo", "met"]
    print(rows[columns].to_string())
    print(f"\nagent-hours: {(rows['agents'] * (rows['end_s'] - rows['start_s'])).sum() / 3600:.1f}")
    if not plan.met:
        print("warning: some interval misses the target even with the largest team tried")
    rows.to_csv(out)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
