#!/usr/bin/python3
"""The PyTorch peer of bench/DjlSpeedBenchmark: the same small CNN (conv32-pool-conv64-pool-fc128-fc10,
normalisation inside, weights uniform in +-1/sqrt(fan_in), zero biases), the same batch of 128
Fashion-MNIST images, thread count and loops (SGD momentum 0.9, weight decay 5e-4, lr 0.05; PGD Linf
0.1 with random start, keeping each example's best-loss iterate: 10 steps of 0.025 for the attack,
7 steps of 0.03 for adversarial training). Prints one JSON line per loop.

Usage: /usr/bin/python3 bench/pytorch_peer.py THREADS TRAIN_BATCHES ATTACK_BATCHES ADVERSARIAL_BATCHES
"""
import gzip
import json
import math
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FASHION = "/usr/share/datasets/fashion-mnist"
BATCH = 128


def load():
    with gzip.open(FASHION + "/train-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28).astype(np.float32) / 255
    with gzip.open(FASHION + "/train-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.2860]).view(1, 1, 1, 1))
        self.register_buffer("std", torch.tensor([0.3530]).view(1, 1, 1, 1))
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)
        for m in (self.conv1, self.conv2, self.fc1, self.fc2):
            fan_in = m.weight[0].numel()
            nn.init.uniform_(m.weight, -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))
            nn.init.zeros_(m.bias)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def pgd(model, x, y, eps, step, steps):
    model.eval()
    adv = (x + torch.empty_like(x).uniform_(-eps, eps)).clamp(0, 1)
    best, best_loss = adv.clone(), torch.full((x.shape[0],), -math.inf)
    for i in range(steps + 1):
        adv.requires_grad_(True)
        loss = F.cross_entropy(model(adv), y, reduction="none")
        with torch.no_grad():
            better = loss > best_loss
            best[better], best_loss[better] = adv[better], loss[better]
        if i == steps:
            break
        grad, = torch.autograd.grad(loss.sum(), adv)
        with torch.no_grad():
            adv = torch.min(torch.max(adv + step * grad.sign(), x - eps), x + eps).clamp(0, 1)
    return best.detach()


def main():
    threads, counts = int(sys.argv[1]), [int(a) for a in sys.argv[2:5]]
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    x, y = load()
    for loop, batches in zip(["train", "attack", "adversarial-train"], counts):
        model = SmallCnn()
        opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)

        def step(b):
            i = (b * BATCH) % (len(x) - BATCH)
            xb, yb = x[i:i + BATCH], y[i:i + BATCH]
            if loop == "attack":
                pgd(model, xb, yb, 0.1, 0.025, 10)
                return
            if loop == "adversarial-train":
                xb = pgd(model, xb, yb, 0.1, 0.03, 7)
            model.train()
            opt.zero_grad()
            F.cross_entropy(model(xb), yb).backward()
            opt.step()

        for b in range(3):
            step(b)
        start = time.perf_counter()
        for b in range(batches):
            step(3 + b)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(json.dumps({"side": "pytorch", "loop": loop, "images_per_second": round(batches * BATCH / seconds, 1),
                          "batches": batches, "peak_rss_mib": peak}), flush=True)


if __name__ == "__main__":
    main()
