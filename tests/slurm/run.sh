#!/usr/bin/env bash
# `make slurm-test`: the README's Slurm recipe, run as written on a one-node Slurm cluster
# started here (Debian's slurm-wlm + munge, installed when missing), over the sample corpus.
# The merged CSVs must equal one plain `jixiao extract` run byte for byte. The daemons this
# script started are stopped on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bin=$root/target/release/jixiao
test -x "$bin" || cargo build --release

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge
fi

work=$(mktemp -d /tmp/jixiao-slurm.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    sleep 1
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# munge: a fresh key and socket of our own, so a munge already running is left alone.
mkdir -p "$work/munge" "$work/spool/ctld" "$work/spool/d" "$work/log"
dd if=/dev/urandom of="$work/munge/key" bs=1024 count=1 status=none
chmod 700 "$work/munge"
chmod 400 "$work/munge/key"
sock=$work/munge/munge.socket
munged --force --key-file="$work/munge/key" --socket="$sock" \
    --pid-file="$work/munge/munged.pid" --log-file="$work/log/munged.log" \
    --seed-file="$work/munge/seed"
sleep 1
pids+=("$(cat "$work/munge/munged.pid")")

host=$(hostname -s 2>/dev/null || uname -n)
port=$((20000 + RANDOM % 20000))
cat > "$work/slurm.conf" <<CONF
ClusterName=jixiao
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/spool/ctld
SlurmdSpoolDir=$work/spool/d
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
sleep 2
pids+=("$(cat "$work/slurmctld.pid")" "$(cat "$work/slurmd.pid")")
for _ in $(seq 30); do
    sinfo -h -o %T 2>/dev/null | grep -Eq '^idle' && break
    sleep 1
done
sinfo

# The README's recipe as written, with its paths and the binary put in place.
mkdir -p "$work/data" "$work/scratch/jx"
cp -r corpus "$work/data/reports"
sed -e "s#/data/reports#$work/data/reports#; s#/scratch/jx#$work/scratch/jx#; s#^jixiao#$bin#" \
    -e 's#--array=0-15#--array=0-3#' > "$work/extract.sbatch" <<'SB'
#!/usr/bin/env bash
#SBATCH --array=0-15
jixiao extract /data/reports -o /scratch/jx/shard-$SLURM_ARRAY_TASK_ID \
    --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT --quiet
SB
grep -q 'shard \$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT' README.md
cd "$work"
jid=$(sbatch --parsable --output="$work/log/extract-%a.out" extract.sbatch)
mid=$(sbatch --parsable --dependency=afterok:"$jid" --output="$work/log/merge.out" --wrap \
    "$bin merge $work/scratch/jx/shard-* -o $work/data/jixiao-dataset")
for _ in $(seq 300); do
    squeue -h | grep -q . || break
    sleep 1
done
state=$(sacct -n -j "$mid" -o State 2>/dev/null | head -1 | tr -d ' ' || true)
test -f "$work/data/jixiao-dataset/manifest.json" || {
    echo "slurm-test: the merge did not run (state: ${state:-unknown})" >&2
    cat "$work"/log/*.out "$work/log/slurmctld.log" >&2 || true
    exit 1
}

# One plain run, compared with the merged dataset file by file (the manifest and
# report.html aside: they record the run and its timings; the extraction cache is per shard
# and not merged).
"$bin" extract "$work/data/reports" -o "$work/single" --quiet || test $? -eq 3
cd "$work/single"
n=0
for f in $(find . -type f ! -name manifest.json ! -name report.html ! -name '.*' | sort); do
    cmp "$f" "$work/data/jixiao-dataset/$f"
    n=$((n + 1))
done
extra=$(cd "$work/data/jixiao-dataset" && find . -type f ! -name manifest.json ! -name report.html ! -name '.*' | wc -l)
test "$n" -eq "$extra" || { echo "slurm-test: $extra files merged, $n in one run" >&2; exit 1; }
echo "slurm-test: 4 array tasks + dependent merge; $n files equal one run's byte for byte"
