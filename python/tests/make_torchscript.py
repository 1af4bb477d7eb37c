"""Makes the TorchScript model RobustLab's import tests use, and PyTorch's own figures for it.

A small CNN with BatchNorm (so eval and train mode differ) and normalisation inside, trained for one
epoch on 12,000 real Fashion-MNIST images, saved with torch.jit.script (its `features` method is the
representation). Also saved: a float64 copy (for finite differences), and reference.safetensors
with the first 1,000 test images' logits, the input gradient of their summed cross-entropy, and the
predictions after L2 PGD run by a plain PyTorch loop. Prints a JSON summary.

usage: make_torchscript.py OUT_DIR [FASHION_MNIST_DIR] [EPS] [STEPS] [STEP_SIZE]
"""
import json
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

from robustlab import safetensors
from robustlab.datasets import idx_images, idx_labels

torch.set_num_threads(2)
torch.manual_seed(7)


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.2860]).view(1, 1, 1, 1))
        self.register_buffer("std", torch.tensor([0.3530]).view(1, 1, 1, 1))
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 7 * 7, 64)
        self.head = nn.Linear(64, 10)

    @torch.jit.export
    def features(self, x):
        x = (x - self.mean) / self.std
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return F.relu(self.fc(x.flatten(1)))

    def forward(self, x):
        return self.head(self.features(x))


def pgd_l2(model, x0, y, eps, steps, step_size):
    """The same PGD as RobustLab's evaluation: normalised-gradient steps, projection onto the ball
    and [0,1], no random start, each example's highest-loss iterate (x_0 .. x_steps) kept."""
    x = x0.clone()
    best_x, best_loss = None, None
    for step in range(steps + 1):
        x.requires_grad_(True)
        loss = F.cross_entropy(model(x), y, reduction="none")
        if best_x is None:
            best_x, best_loss = x.detach().clone(), loss.detach().clone()
        else:
            better = loss.detach() > best_loss
            best_x[better] = x.detach()[better]
            best_loss = torch.where(better, loss.detach(), best_loss)
        if step == steps:
            break
        grad, = torch.autograd.grad(loss.sum(), x)
        norm = grad.flatten(1).norm(dim=1).view(-1, 1, 1, 1)
        x = x.detach() + step_size * grad / (norm + 1e-12)
        delta = x - x0
        scale = (eps / (delta.flatten(1).norm(dim=1) + 1e-12)).clamp(max=1.0).view(-1, 1, 1, 1)
        x = (x0 + delta * scale).clamp(0, 1)
    return best_x


def main():
    out = sys.argv[1]
    data = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/datasets/fashion-mnist"
    eps = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    steps = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    step_size = float(sys.argv[5]) if len(sys.argv) > 5 else 2.5 * eps / steps
    os.makedirs(out, exist_ok=True)
    train_x = idx_images(os.path.join(data, "train-images-idx3-ubyte.gz"), 12000)
    train_y = idx_labels(os.path.join(data, "train-labels-idx1-ubyte.gz"), 12000)
    test_x = idx_images(os.path.join(data, "t10k-images-idx3-ubyte.gz"), 1000)
    test_y = idx_labels(os.path.join(data, "t10k-labels-idx1-ubyte.gz"), 1000)

    model = SmallCnn()
    optimiser = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    model.train()
    for batch in torch.randperm(len(train_x)).split(64):
        optimiser.zero_grad()
        F.cross_entropy(model(train_x[batch]), train_y[batch]).backward()
        optimiser.step()
    model.eval()

    scripted = torch.jit.script(model)
    scripted.save(os.path.join(out, "model.pt"))
    torch.jit.script(_double_copy(model)).save(os.path.join(out, "model64.pt"))

    x = test_x.clone().requires_grad_(True)
    logits = model(x)
    grad, = torch.autograd.grad(F.cross_entropy(logits, test_y, reduction="sum"), x)
    adversarial = pgd_l2(model, test_x, test_y, eps, steps, step_size)
    with torch.no_grad():
        robust_pred = model(adversarial).argmax(1)
    clean_pred = logits.argmax(1)
    safetensors.write(os.path.join(out, "reference.safetensors"), {
        "images": test_x, "labels": test_y, "logits": logits.detach(), "gradient": grad,
        "cleanPredictions": clean_pred, "robustPredictions": robust_pred})
    print(json.dumps({
        "images": len(test_x),
        "cleanCorrect": int((clean_pred == test_y).sum()),
        "robustCorrect": int((robust_pred == test_y).sum()),
        "eps": eps, "steps": steps, "stepSize": step_size,
    }))


def _double_copy(model):
    copy = SmallCnn()
    copy.load_state_dict(model.state_dict())
    return copy.double().eval()


if __name__ == "__main__":
    main()
