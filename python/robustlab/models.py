"""RobustLab's architectures as torch.nn.Module, with the state_dict names RobustLab exports.

Each module mirrors the block tree RobustLab builds in Java (libs/ml, Networks.java): a Normalize in
front (the model takes [0,1] images), the feature extractor as nn.Sequential ending in the
representation (penultimate) layer, and a linear head. Layers without weights (ReLU, pooling,
flattening, identity) keep their place in the Sequential, so the indices in the names match.
"""
import torch
from torch import nn

ARCHITECTURES = ("small-cnn", "lenet", "mlp", "linear", "resnet18", "resnet50", "vgg16", "densenet")


class Normalize(nn.Module):
    """(x - mean) / std per channel; mean and std are buffers, saved with the weights."""

    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32).reshape(-1))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32).reshape(-1))

    def forward(self, x):
        return (x - self.mean.view(1, -1, 1, 1)) / self.std.view(1, -1, 1, 1)


class Parallel(nn.ModuleList):
    """Runs every branch on the same input and joins the outputs: "add" (residual) or "concat" (dense)."""

    def __init__(self, join, *branches):
        super().__init__(branches)
        if join not in ("add", "concat"):
            raise ValueError(f"unknown join {join!r}")
        self.join = join

    def forward(self, x):
        outs = [branch(x) for branch in self]
        return outs[0] + outs[1] if self.join == "add" else torch.cat(outs, 1)


class Classifier(nn.Module):
    """normalize -> features -> head; representation(x) is the penultimate layer."""

    def __init__(self, architecture, input_shape, classes, mean, std):
        super().__init__()
        channels, height, width = input_shape
        self.architecture = architecture
        self.normalize = Normalize(_per_channel(mean, channels), _per_channel(std, channels))
        self.features = build_features(architecture, channels, height, width)
        with torch.no_grad():
            was_training = self.features.training
            self.features.eval()
            width_out = self.features(torch.zeros(1, channels, height, width)).shape[1]
            self.features.train(was_training)
        self.head = nn.Linear(width_out, classes)

    def representation(self, x):
        return self.features(self.normalize(x))

    def forward(self, x):
        return self.head(self.representation(x))


def _per_channel(values, channels):
    values = list(values)
    if len(values) == 1:
        return values * channels
    if len(values) != channels:
        raise ValueError(f"{len(values)} normalisation values for {channels} channels")
    return values


def _conv(cin, cout, kernel, stride=1, pad=0, bias=False):
    return nn.Conv2d(cin, cout, kernel, stride=stride, padding=pad, bias=bias)


def _bn(channels):
    return nn.BatchNorm2d(channels, eps=1e-5)


def _flat_size(layers, c, h, w):
    with torch.no_grad():
        return nn.Sequential(*layers)(torch.zeros(1, c, h, w)).shape[1]


def build_features(architecture, c, h, w):
    """The feature extractor of a RobustLab architecture for c x h x w inputs."""
    if architecture == "small-cnn":
        convs = [_conv(c, 32, 3, 1, 1, True), nn.ReLU(), nn.MaxPool2d(2),
                 _conv(32, 64, 3, 1, 1, True), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten()]
        return nn.Sequential(*convs, nn.Linear(_flat_size(convs, c, h, w), 128), nn.ReLU())
    if architecture == "lenet":
        convs = [_conv(c, 6, 5, 1, 2, True), nn.ReLU(), nn.MaxPool2d(2),
                 _conv(6, 16, 5, 1, 0, True), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten()]
        return nn.Sequential(*convs, nn.Linear(_flat_size(convs, c, h, w), 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU())
    if architecture == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(c * h * w, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU())
    if architecture == "linear":
        return nn.Sequential(nn.Flatten())
    if architecture == "resnet18":
        return _resnet(c, (2, 2, 2, 2), bottleneck=False)
    if architecture == "resnet50":
        return _resnet(c, (3, 4, 6, 3), bottleneck=True)
    if architecture == "vgg16":
        return _vgg16(c)
    if architecture == "densenet":
        return _densenet_bc(c, (6, 12, 24), 12)
    raise ValueError(f"unknown architecture {architecture!r}; one of {', '.join(ARCHITECTURES)}")


def _resnet(c, blocks_per_stage, bottleneck):
    layers = [_conv(c, 64, 3, 1, 1), _bn(64), nn.ReLU()]
    channels = 64
    for stage, width in enumerate((64, 128, 256, 512)):
        for b in range(blocks_per_stage[stage]):
            stride = 2 if b == 0 and stage > 0 else 1
            out = width * 4 if bottleneck else width
            path = _bottleneck_path(channels, width, stride) if bottleneck else _basic_path(channels, width, stride)
            shortcut = (nn.Sequential(_conv(channels, out, 1, stride), _bn(out))
                        if stride != 1 or channels != out else nn.Identity())
            layers.append(nn.Sequential(Parallel("add", path, shortcut), nn.ReLU()))
            channels = out
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())


def _basic_path(cin, width, stride):
    return nn.Sequential(_conv(cin, width, 3, stride, 1), _bn(width), nn.ReLU(), _conv(width, width, 3, 1, 1), _bn(width))


def _bottleneck_path(cin, width, stride):
    return nn.Sequential(_conv(cin, width, 1), _bn(width), nn.ReLU(),
                         _conv(width, width, 3, stride, 1), _bn(width), nn.ReLU(),
                         _conv(width, width * 4, 1), _bn(width * 4))


def _vgg16(c):
    layers = []
    channels = c
    for s, stage in enumerate(((64, 64), (128, 128), (256, 256, 256), (512, 512, 512), (512, 512, 512))):
        for width in stage:
            layers += [_conv(channels, width, 3, 1, 1), _bn(width), nn.ReLU()]
            channels = width
        if s < 3:
            layers.append(nn.MaxPool2d(2, 2))
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())


def _densenet_bc(c, layers_per_block, growth):
    channels = 2 * growth
    layers = [_conv(c, channels, 3, 1, 1)]
    for b, count in enumerate(layers_per_block):
        for _ in range(count):
            layer = nn.Sequential(_bn(channels), nn.ReLU(), _conv(channels, 4 * growth, 1),
                                  _bn(4 * growth), nn.ReLU(), _conv(4 * growth, growth, 3, 1, 1))
            layers.append(Parallel("concat", nn.Identity(), layer))
            channels += growth
        if b < len(layers_per_block) - 1:
            layers += [_bn(channels), nn.ReLU(), _conv(channels, channels // 2, 1), nn.AvgPool2d(2, 2)]
            channels //= 2
    return nn.Sequential(*layers, _bn(channels), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
