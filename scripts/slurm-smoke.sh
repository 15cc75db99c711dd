#!/usr/bin/env bash
# A one-node Slurm cluster from Debian's packages (slurm-wlm, munge), just long enough to run a
# 4-shard job array of callsim and the merge job that depends on it, and to check the merged
# JSON is byte-identical to a single run. The daemons are stopped by their PIDs at the end.
#
#   sudo apt-get install -y slurm-wlm munge     # once
#   scripts/slurm-smoke.sh [SCENARIO.toml] [REPLICATIONS]
#
# Runs as root (the daemons and the jobs); everything lives under a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="$(realpath "${1:-scenarios/floor77_walker.toml}")"
reps="${2:-200}"
for tool in munged slurmctld slurmd sbatch squeue; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y slurm-wlm munge" >&2; exit 1; }
done
cargo build --release --quiet
callsim="$(realpath target/release/callsim)"
work="$(mktemp -d /tmp/callsim-slurm.XXXXXX)"
mkdir -p "$work/state" "$work/spool" "$work/out" "$work/munge"
host="$(hostname -s)"
cpus="$(nproc)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# munge: a private daemon with its own socket, using the packaged key.
munged --force --socket="$work/munge/munge.socket" --pid-file="$work/munge/munged.pid" \
  --log-file="$work/munge/munged.log" --seed-file="$work/munge/seed"
pids+=("$(cat "$work/munge/munged.pid")")

cat > "$work/slurm.conf" <<CONF
ClusterName=callsim
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CryptoType=crypto/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
slurmctld
slurmd
sleep 2
pids+=("$(cat "$work/slurmctld.pid")" "$(cat "$work/slurmd.pid")")

# The shards: one array task each. The merge waits for all of them (afterok).
cat > "$work/shard.sh" <<JOB
#!/bin/bash
exec "$callsim" run "$scenario" --replications $reps --threads 1 --quiet \
  --shard \${SLURM_ARRAY_TASK_ID}/4 --partial "$work/out/part\${SLURM_ARRAY_TASK_ID}.json"
JOB
cat > "$work/merge.sh" <<JOB
#!/bin/bash
exec "$callsim" merge "$work"/out/part*.json --json "$work/out/merged.json" --quiet
JOB
array=$(sbatch --parsable --array=1-4 --output="$work/out/shard-%a.log" "$work/shard.sh")
sbatch --parsable --wait --dependency=afterok:"$array" --output="$work/out/merge.log" "$work/merge.sh" >/dev/null

"$callsim" run "$scenario" --replications "$reps" --quiet --json "$work/out/single.json"
if cmp -s "$work/out/single.json" "$work/out/merged.json"; then
  echo "slurm: 4-shard array and merge give the same bytes as one run ($reps replications)"
  cleanup
  rm -rf "$work"
else
  echo "slurm: the merged JSON differs from the single run; logs in $work" >&2
  exit 1
fi
