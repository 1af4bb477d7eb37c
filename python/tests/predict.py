"""Loads a RobustLab safetensors export with robustlab.load (one line) and counts its correct predictions on the
first N Fashion-MNIST test images. Prints {"correct": ..., "images": N}. Run by system-tests' ModelInteropTest.

usage: predict.py MODEL.safetensors FASHION_MNIST_DIR N"""
import json
import os
import sys

import torch

import robustlab
from robustlab.datasets import idx_images, idx_labels


torch.set_num_threads(2)
model = robustlab.load(sys.argv[1])
n = int(sys.argv[3])
images = idx_images(os.path.join(sys.argv[2], "t10k-images-idx3-ubyte.gz"), n)
labels = idx_labels(os.path.join(sys.argv[2], "t10k-labels-idx1-ubyte.gz"), n)
with torch.no_grad():
    correct = int((model(images).argmax(1) == labels).sum())
print(json.dumps({"correct": correct, "images": n}))
