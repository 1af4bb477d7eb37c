#!/usr/bin/env bash
# Issue 3, acceptance 6: RobustLab's DJL loops against the same loops in PyTorch, alternating in one run.
# Usage: bench/ml-benchmark.sh [rounds]   Needs: apt-get install -y python3-torch libopenblas0-pthread
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}
THREADS=2
BATCHES=(150 20 30)   # train, PGD-10 attack, PGD-7 adversarial training
. bench/classpath.sh
CP=$BENCH_CP
out=$(mktemp)
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r: DJL" >&2
  java -XX:MaxDirectMemorySize=256m -Dai.djl.offline=true -cp "$CP" io.robustlab.bench.DjlSpeedBenchmark $THREADS "${BATCHES[@]}" | grep '^{' >> "$out"
  echo "round $r: PyTorch" >&2
  /usr/bin/python3 bench/pytorch_peer.py $THREADS "${BATCHES[@]}" >> "$out"
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
# Forward FLOPs of the small CNN per image: conv1 28*28*32*9*2, conv2 14*14*64*288*2, fc 3136*128*2 + 128*10*2.
fwd = 28*28*32*9*2 + 14*14*64*288*2 + 3136*128*2 + 128*10*2
# Backward costs about two forwards with weight gradients, one without (an attack needs only input gradients).
flops = {"train": 3 * fwd, "attack": 10 * 2 * fwd + fwd, "adversarial-train": 7 * 2 * fwd + fwd + 3 * fwd}
PEAK = 188e9  # two Zen 3 cores, FMA microbenchmark (shared/djl-notes.md)
print("| loop | DJL img/s | PyTorch img/s | DJL / PyTorch | DJL GFLOP/s (% of peak) | PyTorch GFLOP/s (% of peak) | peak RSS DJL / PyTorch (MiB) |")
print("|---|---|---|---|---|---|---|")
for loop in ["train", "attack", "adversarial-train"]:
    d = [r["images_per_second"] for r in rows if r["side"] == "djl" and r["loop"] == loop]
    p = [r["images_per_second"] for r in rows if r["side"] == "pytorch" and r["loop"] == loop]
    dm, pm = statistics.median(d), statistics.median(p)
    rss_d = max(r["peak_rss_mib"] for r in rows if r["side"] == "djl" and r["loop"] == loop)
    rss_p = max(r["peak_rss_mib"] for r in rows if r["side"] == "pytorch" and r["loop"] == loop)
    g = lambda v: "%.1f (%.0f %%)" % (v * flops[loop] / 1e9, 100 * v * flops[loop] / PEAK)
    print("| %s | %s | %s | %.2fx | %s | %s | %d / %d |" % (loop, " / ".join("%.0f" % v for v in d), " / ".join("%.0f" % v for v in p),
          dm / pm, g(dm), g(pm), rss_d, rss_p))
print("\n(img/s of each round; ratio and GFLOP/s from the medians)")
PY
