"""The yardstick M/M/c+M in Ciw: 50 agents, 12 calls/min, handle 4 min, patience 2 min.

Prints arrivals per second of wall time and the KPIs, to compare with Erlang A and callsim.
Usage: python ciw_mmc_m.py [ARRIVALS] [SEED]
"""
import sys
import time

import ciw

AGENTS, RATE, HANDLE, PATIENCE, THRESHOLD = 50, 12 / 60, 240.0, 120.0, 20.0


def main():
    arrivals = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    ciw.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE)],
        service_distributions=[ciw.dists.Exponential(rate=1 / HANDLE)],
        number_of_servers=[AGENTS],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1 / PATIENCE)],
    )
    sim = ciw.Simulation(network)
    horizon = arrivals / RATE
    start = time.perf_counter()
    sim.simulate_until_max_time(horizon)
    elapsed = time.perf_counter() - start
    records = sim.get_all_records()
    served = [r for r in records if r.record_type == "service"]
    reneged = [r for r in records if r.record_type == "renege"]
    offered = len(served) + len(reneged)
    waits = [r.waiting_time for r in served]
    print(
        f"ciw arrivals_per_s={offered / elapsed:.0f} "
        f"p_wait={(sum(w > 0 for w in waits) + len(reneged)) / offered:.4f} "
        f"abandon={len(reneged) / offered:.4f} asa_s={sum(waits) / len(waits):.2f} "
        f"service_level={sum(w <= THRESHOLD for w in waits) / offered:.4f}"
    )


if __name__ == "__main__":
    main()
