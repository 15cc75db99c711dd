"""The yardstick M/M/c+M in SimPy: 50 agents, 12 calls/min, handle 4 min, patience 2 min.

Prints arrivals per second of wall time and the KPIs, to compare with Erlang A and callsim.
Usage: python simpy_mmc_m.py [ARRIVALS] [SEED]
"""
import random
import sys
import time

import simpy

AGENTS, RATE, HANDLE, PATIENCE, THRESHOLD = 50, 12 / 60, 240.0, 120.0, 20.0


def main():
    arrivals = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    stats = {"answered": 0, "abandoned": 0, "within": 0, "waited": 0, "wait_sum": 0.0}

    def caller(patience, handle):
        arrived = env.now
        with agents.request() as req:
            result = yield req | env.timeout(patience)
            wait = env.now - arrived
            if req in result:
                stats["answered"] += 1
                stats["wait_sum"] += wait
                stats["within"] += wait <= THRESHOLD
                stats["waited"] += wait > 0
                yield env.timeout(handle)
            else:
                stats["abandoned"] += 1
                stats["waited"] += 1

    def source():
        for _ in range(arrivals):
            yield env.timeout(rng.expovariate(RATE))
            env.process(caller(rng.expovariate(1 / PATIENCE), rng.expovariate(1 / HANDLE)))

    env.process(source())
    start = time.perf_counter()
    env.run()
    elapsed = time.perf_counter() - start
    offered = stats["answered"] + stats["abandoned"]
    print(
        f"simpy arrivals_per_s={arrivals / elapsed:.0f} p_wait={stats['waited'] / offered:.4f} "
        f"abandon={stats['abandoned'] / offered:.4f} asa_s={stats['wait_sum'] / stats['answered']:.2f} "
        f"service_level={stats['within'] / offered:.4f}"
    )


if __name__ == "__main__":
    main()
