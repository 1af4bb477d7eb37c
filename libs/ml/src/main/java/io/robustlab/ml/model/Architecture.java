package io.robustlab.ml.model;

import ai.djl.nn.SequentialBlock;
import java.util.Locale;

/**
 * The model families RobustLab trains. Each builds a feature extractor ending in the flat
 * representation (penultimate) layer; {@link Classifier} adds normalisation in front and the
 * linear head behind. All accept 1- or 3-channel inputs of any size of at least 28 x 28 (LINEAR:
 * any size).
 */
public enum Architecture {
    /** conv32-pool-conv64-pool-fc128: the CPU model for 28 x 28 inputs (8.5 MFLOP per image). */
    SMALL_CNN,
    /** LeNet-5 (conv6-pool-conv16-pool-fc120-fc84): a second cheap CNN for the transfer study. */
    LENET,
    /** Two hidden layers (256, 128), no convolution: the CPU preset's third transfer architecture. */
    MLP,
    /**
     * Softmax regression on the (normalised) pixels: its representation is the input itself, so a
     * feature audit of it audits pixels, and planted features can be audited exactly.
     */
    LINEAR,
    /** ResNet-18, CIFAR variant (3x3 stem, no stem pooling). */
    RESNET18,
    /** ResNet-50, CIFAR variant, bottleneck blocks. */
    RESNET50,
    /** VGG-16 with BatchNorm, global average pooling before the head. */
    VGG16,
    /** DenseNet-BC, CIFAR variant (growth 12, three dense blocks). */
    DENSENET,
    /** A TorchScript module imported from PyTorch: its network is in the module, not built here. */
    TORCHSCRIPT;

    public SequentialBlock features() {
        return switch (this) {
            case SMALL_CNN -> Networks.smallCnn();
            case LENET -> Networks.leNet();
            case MLP -> Networks.mlp();
            case LINEAR -> new SequentialBlock().add(ai.djl.nn.Blocks.batchFlattenBlock());
            case RESNET18 -> Networks.resNet(new int[] {2, 2, 2, 2}, false);
            case RESNET50 -> Networks.resNet(new int[] {3, 4, 6, 3}, true);
            case VGG16 -> Networks.vgg16();
            case DENSENET -> Networks.denseNetBc(new int[] {6, 12, 24}, 12);
            case TORCHSCRIPT -> throw new UnsupportedOperationException("an imported TorchScript model brings its own network");
        };
    }

    /** Parses the API's lower-case, dashed names (small-cnn, resnet18, ...). */
    public static Architecture of(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public String apiName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
