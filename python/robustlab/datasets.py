"""Readers for the data sets RobustLab imports, so Python checks see the same images."""
import gzip

import torch


def read_idx(path):
    """An IDX file (MNIST, Fashion-MNIST; gzipped or not) as a uint8 tensor of its shape."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def idx_images(path, limit=None):
    """[0,1] float images, N x 1 x H x W."""
    images = read_idx(path)
    images = images[:limit] if limit is not None else images
    return images.float().div(255).unsqueeze(1)


def idx_labels(path, limit=None):
    labels = read_idx(path).long()
    return labels[:limit] if limit is not None else labels
