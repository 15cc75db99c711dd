#!/usr/bin/env bash
# The yardstick M/M/50+M (12 calls/min, handle 4 min, patience 2 min) in callsim, SimPy and Ciw,
# one core each: arrivals per second, the ratios to callsim, and each one's KPIs next to the
# Erlang-A values. The Python peers go in a virtual environment from PyPI.
#
#   benches/peers/run.sh [CALLSIM_ARRIVALS] [PEER_ARRIVALS]
set -euo pipefail
cd "$(dirname "$0")/../.."
callsim_arrivals="${1:-4000000}"
peer_arrivals="${2:-200000}"
venv="target/peers-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q ciw simpy
fi
cargo build --release --quiet
callsim=target/release/callsim

echo "Erlang A:"
"$callsim" erlang --rate 12/min --aht 4m --agents 50 --patience 2m | grep "Erlang A (patience"

# callsim: one replication-sized chunk per replication, one thread.
horizon=$(( callsim_arrivals * 5 ))   # 0.2 arrivals per second
scenario="$(mktemp --suffix=.toml)"
trap 'rm -f "$scenario"' EXIT
cat > "$scenario" <<TOML
horizon = $horizon
warmup = "2h"
replications = 4
[arrivals]
rate = "12/min"
[[callers]]
patience = { dist = "exponential", mean = "2m" }
handle_time = { dist = "exponential", mean = "4m" }
[agents]
count = 50
TOML
start=$(date +%s.%N)
"$callsim" run "$scenario" --threads 1 --json "$scenario.json" --quiet
end=$(date +%s.%N)
callsim_rate=$(python3 -c "print(round(4 * $callsim_arrivals / ($end - $start)))")
python3 - "$scenario.json" "$callsim_rate" <<'PY'
import json, sys
k = json.load(open(sys.argv[1]))["kpis"]
print(f"callsim arrivals_per_s={sys.argv[2]} p_wait={k['p_wait']['mean']:.4f} "
      f"abandon={k['abandonment_rate']['mean']:.4f} asa_s={k['asa_s']['mean']:.2f} "
      f"service_level={k['service_level']['mean']:.4f}")
PY
rm -f "$scenario.json"
simpy=$("$venv/bin/python" benches/peers/simpy_mmc_m.py "$peer_arrivals")
echo "$simpy"
ciw=$("$venv/bin/python" benches/peers/ciw_mmc_m.py $(( peer_arrivals / 4 )))
echo "$ciw"
rate() { sed -E 's/.*arrivals_per_s=([0-9]+).*/\1/' <<<"$1"; }
python3 -c "print(f'callsim / SimPy: {$callsim_rate / $(rate "$simpy"):.0f}x   callsim / Ciw: {$callsim_rate / $(rate "$ciw"):.0f}x')"
