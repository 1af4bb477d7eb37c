#!/usr/bin/env bash
# Issue 15, acceptances 3 and 4: RobustLab's AutoAttack standard suite against the reference
# implementation (fra31/auto-attack in PyTorch), on the same exported small CNNs (standard and L2
# adversarially trained) and the same first N Fashion-MNIST test images, L2 and Linf, two threads
# each, one run after the other. Prints the robust accuracy after each attack side by side, the
# difference in points, and images per second.
# Usage: AUTOATTACK_SRC=/path/to/auto-attack bench/autoattack-reference.sh [MODEL:NORM:EPS:N ...]
#   AUTOATTACK_SRC: a checkout of https://github.com/fra31/auto-attack (read and run, not copied here).
#   Default runs: standard:l2:0.5:1000 standard:linf:0.03:1000 adversarial:linf:0.1:1000 adversarial:l2:1.0:1000
#   (each model at radii where its robust accuracy is neither 0 nor its clean accuracy).
#   WORK=DIR keeps the trained models (and the rows) in DIR between runs.
# Needs: apt-get install -y python3-torch libopenblas0-pthread
set -euo pipefail
cd "$(dirname "$0")/.."
: "${AUTOATTACK_SRC:?set AUTOATTACK_SRC to a checkout of fra31/auto-attack}"
RUNS=("$@")
[ ${#RUNS[@]} -gt 0 ] || RUNS=(standard:l2:0.5:1000 standard:linf:0.03:1000 adversarial:linf:0.1:1000 adversarial:l2:1.0:1000)
. bench/classpath.sh
work=${WORK:-$(mktemp -d)}
[ -e /sys/devices/system/cpu/cpu0/cache/index2/size ] || export ONEDNN_MAX_CPU_ISA=${ONEDNN_MAX_CPU_ISA:-AVX}
JAVA=(java -XX:MaxDirectMemorySize=512m -Dai.djl.offline=true -cp "$BENCH_CP" io.robustlab.bench.AutoAttackBenchmark)
[ -s "$work/adversarial.safetensors" ] || "${JAVA[@]}" train "$work"
for run in "${RUNS[@]}"; do
  IFS=: read -r model norm eps n <<< "$run"
  "${JAVA[@]}" run "$work" "$model" "$norm" "$eps" "$n" | grep '^{' | tee -a "$work/rows.jsonl"
  OMP_NUM_THREADS=2 PYTHONPATH=python /usr/bin/python3 bench/autoattack_reference.py "$work/$model.safetensors" "$model" "$norm" "$eps" "$n" \
    | grep '^{' | tee -a "$work/rows.jsonl"
done
/usr/bin/python3 - "$work/rows.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
stages = ["clean", "apgd-ce", "apgd-t", "fab-t", "square"]
print("| model | norm | eps | n | " + " | ".join(stages) + " | img/s RobustLab / reference (ratio) |")
print("|---|---|---|---|" + "---|" * len(stages) + "---|")
for ours in [r for r in rows if r["side"] == "robustlab"]:
    ref = next(r for r in rows if r["side"] == "reference" and all(r[k] == ours[k] for k in ("model", "norm", "eps", "n")))
    cells = []
    for s in stages:
        a, b = 100 * ours[s], 100 * ref.get(s, ref["clean"] if s == "clean" else float("nan"))
        cells.append("%.1f / %.1f (%+.1f)" % (a, b, a - b))
    print("| %s | %s | %s | %d | %s | %.2f / %.2f (%.2fx) |" % (ours["model"], ours["norm"], ours["eps"], ours["n"], " | ".join(cells),
          ours["images_per_second"], ref["images_per_second"], ours["images_per_second"] / ref["images_per_second"]))
print("\n(robust accuracy % after each attack, RobustLab / reference (difference in points); 2 threads each)")
print("\n| model | norm | side | " + " | ".join(s + " s" for s in stages[1:]) + " | total s |")
print("|---|---|---|" + "---|" * len(stages))
for r in rows:
    print("| %s | %s | %s | %s | %.0f |" % (r["model"], r["norm"], r["side"], " | ".join("%.0f" % r.get(s + " seconds", float("nan"))
          for s in stages[1:]), r["seconds"]))
PY
