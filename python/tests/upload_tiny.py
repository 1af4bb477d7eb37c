"""Uploads a tiny data set (40 training and 20 test images of 3 x 10 x 10, four classes) with robustlab.upload.

usage: upload_tiny.py GATEWAY_URL API_TOKEN; prints the gateway's answer as JSON.
"""
import json
import sys

import torch

import robustlab

generator = torch.Generator().manual_seed(0)
images = torch.rand(40, 3, 10, 10, generator=generator)
labels = torch.arange(40) % 4
answer = robustlab.upload(sys.argv[1], sys.argv[2], "tiny", ["a", "b", "c", "d"], (images, labels), (images[:20], labels[:20]))
print(json.dumps(answer))
