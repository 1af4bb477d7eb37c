"""Loads every <architecture>.safetensors in a folder with robustlab.load and compares its logits on the
images of probe.safetensors with the logits RobustLab stored there. Prints one JSON object:
{architecture: {"maxAbsDiff": ..., "eval": ...}}. Run by libs/ml's PyTorchExportTest."""
import json
import os
import sys

import torch

import robustlab
from robustlab import safetensors

torch.set_num_threads(2)
folder = sys.argv[1]
probe, _ = safetensors.read(os.path.join(folder, "probe.safetensors"))
images = probe.pop("images")
report = {}
for architecture, expected in probe.items():
    model = robustlab.load(os.path.join(folder, architecture + ".safetensors"))
    with torch.no_grad():
        logits = model(images)
    report[architecture] = {"maxAbsDiff": float((logits - expected).abs().max()), "eval": not model.training}
print(json.dumps(report))
