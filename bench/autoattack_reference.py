"""The reference side of bench/autoattack-reference.sh: the public AutoAttack implementation
(fra31/auto-attack, from the checkout AUTOATTACK_SRC points at, never copied here) runs its standard
evaluation on a model RobustLab exported, on the same first N Fashion-MNIST test images, with two
threads. Prints one JSON line in the shape AutoAttackBenchmark prints.

Usage: AUTOATTACK_SRC=... PYTHONPATH=python python3 bench/autoattack_reference.py MODEL.safetensors NAME NORM EPS N
"""
import contextlib
import io
import json
import os
import re
import sys
import time

import torch

import robustlab
from robustlab.datasets import idx_images, idx_labels

sys.path.insert(0, os.environ["AUTOATTACK_SRC"])
from autoattack import AutoAttack  # noqa: E402  (found through AUTOATTACK_SRC)

FASHION = "/usr/share/datasets/fashion-mnist"

path, name, norm, eps, n = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(2)
model = robustlab.load(path)
x = idx_images(os.path.join(FASHION, "t10k-images-idx3-ubyte.gz"), n)
y = idx_labels(os.path.join(FASHION, "t10k-labels-idx1-ubyte.gz"), n)
adversary = AutoAttack(model, norm={"linf": "Linf", "l2": "L2"}[norm], eps=eps, version="standard", device="cpu", seed=0)
log = io.StringIO()
start = time.time()
with contextlib.redirect_stdout(log):
    adversary.run_standard_evaluation(x, y, bs=250)
seconds = time.time() - start
row = {"side": "reference", "model": name, "norm": norm, "eps": eps, "n": n}
for line in log.getvalue().splitlines():
    clean = re.match(r"initial accuracy: ([\d.]+)%", line)
    after = re.match(r"robust accuracy after (\S+): ([\d.]+)% \(total time ([\d.]+) s\)", line)
    if clean:
        row["clean"] = float(clean.group(1)) / 100
    if after:
        attack = after.group(1).lower()
        row[attack] = float(after.group(2)) / 100
        # The reference prints the cumulative time; per attack, as RobustLab reports it.
        row[attack + " seconds"] = round(float(after.group(3)) - sum(v for k, v in row.items() if k.endswith(" seconds")), 1)
row["seconds"] = round(seconds, 1)
row["images_per_second"] = round(n / seconds, 2)
print(json.dumps(row))
