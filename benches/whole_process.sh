#!/bin/bash
# Whole-process timings of the real binary: 40 x `mark ID --star|--unstar`
# (a durable write) and 40 x `list zzzqq` (a read-only command's floor) on
# a small store synced from the local fake server.
#
#   cargo run --release --example fake_server -- --port 8765 --from 2026-07-20 --to 2026-08-06 &
#   cargo build --release && benches/whole_process.sh target/release/hfpapers new
set -euo pipefail
B=$1; D=/tmp/hfpapers-whole-$2; rm -rf "$D"
export HFPAPERS_DATA_DIR=$D HF_ENDPOINT=${HF_ENDPOINT:-http://127.0.0.1:8765}
"$B" sync --days 14 > /dev/null 2>&1
python3 - "$B" <<'PY'
import subprocess, sys, time, statistics
b = sys.argv[1]
marks, lists = [], []
for i in range(40):
    t = time.perf_counter()
    subprocess.run([b, "mark", "2608.06001", "--star" if i % 2 == 0 else "--unstar"], stdout=subprocess.DEVNULL, check=True)
    marks.append(time.perf_counter() - t)
    t = time.perf_counter()
    subprocess.run([b, "list", "zzzqq"], stdout=subprocess.DEVNULL)
    lists.append(time.perf_counter() - t)
print(f"mark median {statistics.median(marks)*1000:.1f} ms; list zzzqq median {statistics.median(lists)*1000:.1f} ms")
PY
