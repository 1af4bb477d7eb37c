"""RobustLab models in PyTorch: load(path) gives an exported model, save(...) writes one RobustLab imports.

    import robustlab
    model = robustlab.load("model.safetensors")   # eval mode, takes [0,1] images
    model.manifest["threatModel"]                 # how it was trained ({"adversarial": False}: standard training)
    robustlab.upload(url, token, "name", class_names, (x_train, y_train), (x_test, y_test))  # a data set into the catalogue
"""
import json

import torch

from . import safetensors
from .datasets import upload, write_npz
from .models import ARCHITECTURES, Classifier, build_features

__all__ = ["ARCHITECTURES", "Classifier", "build_features", "load", "save", "upload", "write_npz", "MANIFEST_KEY"]

# The safetensors metadata entry that holds the manifest (JSON) of a RobustLab model.
MANIFEST_KEY = "robustlab.manifest"


def load(path, manifest=None, device="cpu"):
    """The model in a RobustLab safetensors export, in eval mode.

    The manifest is read from the file's metadata unless given (a dict or the path of a JSON file).
    Every tensor must match the architecture's state_dict: nothing is skipped or left initialised.
    """
    tensors, metadata = safetensors.read(path)
    if manifest is None:
        if MANIFEST_KEY not in metadata:
            raise ValueError(f"{path} carries no {MANIFEST_KEY} metadata; pass manifest=")
        manifest = json.loads(metadata[MANIFEST_KEY])
    elif isinstance(manifest, str):
        with open(manifest, encoding="utf-8") as f:
            manifest = json.load(f)
    model = Classifier(manifest["architecture"], manifest["inputShape"], manifest["classes"],
                       manifest["mean"], manifest["std"])
    model.load_state_dict(tensors, strict=True)
    model.manifest = manifest
    return model.to(device).eval()


def save(model, path, manifest):
    """Writes a robustlab Classifier (e.g. trained in PyTorch) with its manifest, ready for RobustLab's import."""
    # RobustLab reads float32 weights (and float64, int64): half precision is widened here.
    state = {k: v.float() if v.dtype in (torch.float16, torch.bfloat16) else v for k, v in model.state_dict().items()}
    safetensors.write(path, state, {MANIFEST_KEY: json.dumps(manifest)})
