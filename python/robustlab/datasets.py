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


def write_npz(file, images, labels):
    """A split as RobustLab reads it: images float32 in [0,1] (or uint8), N x C x H x W; labels int64, N."""
    import numpy as np

    images = images.numpy() if isinstance(images, torch.Tensor) else np.asarray(images)
    labels = labels.numpy() if isinstance(labels, torch.Tensor) else np.asarray(labels)
    if images.dtype != np.uint8:
        images = images.astype(np.float32)
    np.savez(file, images=images, labels=labels.astype(np.int64))


def upload(url, token, name, class_names, train, test):
    """Uploads a data set to a RobustLab gateway and returns its answer (the two artifacts' ids, shape, classes).

        robustlab.upload("http://localhost:8080", token, "glyphs", ["a", "b"], (x_train, y_train), (x_test, y_test))

    train and test are (images, labels) pairs of tensors or arrays, as write_npz takes them.
    """
    import io
    import json
    import urllib.request
    import uuid

    boundary = "robustlab-" + uuid.uuid4().hex
    manifest = json.dumps({"name": name, "format": "npz", "classNames": list(class_names)}).encode()
    parts = [("manifest", manifest)]
    for part, (images, labels) in (("train", train), ("test", test)):
        buffer = io.BytesIO()
        write_npz(buffer, images, labels)
        parts.append((part, buffer.getvalue()))
    body = b"".join(
        b"--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\nContent-Type: application/octet-stream\r\n\r\n%s\r\n"
        % (boundary.encode(), p.encode(), p.encode(), content) for p, content in parts) + b"--%s--\r\n" % boundary.encode()
    request = urllib.request.Request(url.rstrip("/") + "/api/v1/datasets", data=body, method="POST", headers={
        "Authorization": "Bearer " + token, "Content-Type": "multipart/form-data; boundary=" + boundary})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())
