#!/usr/bin/env bash
# Issue 14, acceptance 5: the small CNN built natively in RobustLab against the same network and weights
# imported as TorchScript (exported as safetensors, loaded by python/robustlab, traced by PyTorch):
# evaluation and PGD-10 images/s, alternating in each round, and the ratio of the medians.
# Usage: bench/torchscript-benchmark.sh [rounds] [eval-batches] [attack-batches]
# Needs: apt-get install -y python3-torch libopenblas0-pthread
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
EVAL_BATCHES=${2:-60}
ATTACK_BATCHES=${3:-10}
. bench/classpath.sh
CP=$BENCH_CP
work=$(mktemp -d)
# See the surefire configuration in pom.xml: this VM reports no cache sizes, which oneDNN's planner divides by.
[ -e /sys/devices/system/cpu/cpu0/cache/index2/size ] || export ONEDNN_MAX_CPU_ISA=${ONEDNN_MAX_CPU_ISA:-AVX}
JAVA=(java -XX:MaxDirectMemorySize=256m -Dai.djl.offline=true -cp "$CP" io.robustlab.bench.TorchScriptBenchmark)
"${JAVA[@]}" export "$work"
PYTHONPATH=python /usr/bin/python3 - "$work" <<'PY'
import os, sys, torch
import robustlab
model = robustlab.load(os.path.join(sys.argv[1], "native.safetensors"))
torch.jit.trace(model, torch.rand(2, 1, 28, 28)).save(os.path.join(sys.argv[1], "traced.pt"))
PY
"${JAVA[@]}" run "$work" "$ROUNDS" "$EVAL_BATCHES" "$ATTACK_BATCHES" | grep '^{' > "$work/rows.jsonl"
/usr/bin/python3 - "$work/rows.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| loop | native img/s | imported TorchScript img/s | TorchScript / native |")
print("|---|---|---|---|")
for loop in ["evaluation", "pgd-10"]:
    n = [r["images_per_second"] for r in rows if r["side"] == "native" and r["loop"] == loop]
    t = [r["images_per_second"] for r in rows if r["side"] == "torchscript" and r["loop"] == loop]
    print("| %s | %s | %s | %.2fx |" % (loop, " / ".join("%.0f" % v for v in n), " / ".join("%.0f" % v for v in t),
                                       statistics.median(t) / statistics.median(n)))
print("\n(img/s of each round, batch 128, 2 threads; ratio of the medians)")
PY
rm -rf "$work"
