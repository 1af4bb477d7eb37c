"""Makes a planted gradient-masking model for RobustLab's diagnostics tests: a RobustLab export
behind an input quantisation, round(x * LEVELS) / LEVELS, whose gradient is zero almost everywhere.
Gradient attacks see a flat loss and report high robust accuracy; the model is no more robust than
the network behind it, which a score-based attack shows. Saved as TorchScript (traced).

usage: make_masked.py MODEL.safetensors OUT.pt [LEVELS]
"""
import sys

import torch
from torch import nn

import robustlab


class Quantised(nn.Module):
    def __init__(self, model, levels):
        super().__init__()
        self.model = model
        self.levels = levels

    def forward(self, x):
        return self.model(torch.round(x * self.levels) / self.levels)


def main():
    levels = float(sys.argv[3]) if len(sys.argv) > 3 else 8.0
    model = Quantised(robustlab.load(sys.argv[1]), levels).eval()
    torch.jit.trace(model, torch.rand(2, 1, 28, 28)).save(sys.argv[2])
    print(sys.argv[2])


if __name__ == "__main__":
    main()
