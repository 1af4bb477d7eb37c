package io.robustlab.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * Builders for the feature extractors of {@link Architecture}; each ends in a flat representation.
 * The last ReLU before it (followed at most by pooling and flattening) is built by
 * {@link #representationRelu()}, so that {@link Classifier} can find it and make it straight-through.
 */
final class Networks {

    /** Marks the representation's last ReLU. Block names are not saved: weight files are unchanged. */
    private static final String REPRESENTATION_RELU = "representationReLU";

    private Networks() {
    }

    static SequentialBlock smallCnn() {
        return new SequentialBlock()
                .add(conv(32, 3, 1, 1, true)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(64, 3, 1, 1, true)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build()).add(representationRelu());
    }

    static SequentialBlock leNet() {
        return new SequentialBlock()
                .add(conv(6, 5, 1, 2, true)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(16, 5, 1, 0, true)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(120).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(84).build()).add(representationRelu());
    }

    static SequentialBlock mlp() {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(256).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(128).build()).add(representationRelu());
    }

    /** CIFAR ResNet: 3x3 stem of 64, four stages (64, 128, 256, 512 wide, strides 1, 2, 2, 2), global pooling. */
    static SequentialBlock resNet(int[] blocksPerStage, boolean bottleneck) {
        SequentialBlock net = new SequentialBlock().add(conv(64, 3, 1, 1, false)).add(bn()).add(Activation.reluBlock());
        int[] widths = {64, 128, 256, 512};
        int inChannels = 64;
        for (int stage = 0; stage < 4; stage++) {
            for (int b = 0; b < blocksPerStage[stage]; b++) {
                int stride = b == 0 && stage > 0 ? 2 : 1;
                int out = bottleneck ? widths[stage] * 4 : widths[stage];
                boolean last = stage == 3 && b == blocksPerStage[stage] - 1;
                net.add(residual(bottleneck ? bottleneckPath(widths[stage], stride) : basicPath(widths[stage], stride),
                        stride != 1 || inChannels != out ? projection(out, stride) : Blocks.identityBlock(),
                        last ? representationRelu() : Activation.reluBlock()));
                inChannels = out;
            }
        }
        return net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
    }

    private static Block basicPath(int width, int stride) {
        return new SequentialBlock().add(conv(width, 3, stride, 1, false)).add(bn()).add(Activation.reluBlock())
                .add(conv(width, 3, 1, 1, false)).add(bn());
    }

    private static Block bottleneckPath(int width, int stride) {
        return new SequentialBlock().add(conv(width, 1, 1, 0, false)).add(bn()).add(Activation.reluBlock())
                .add(conv(width, 3, stride, 1, false)).add(bn()).add(Activation.reluBlock())
                .add(conv(width * 4, 1, 1, 0, false)).add(bn());
    }

    private static Block projection(int out, int stride) {
        return new SequentialBlock().add(conv(out, 1, stride, 0, false)).add(bn());
    }

    private static Block residual(Block path, Block shortcut, Block relu) {
        return new SequentialBlock()
                .add(new ParallelBlock(outs -> new NDList(outs.get(0).singletonOrThrow().add(outs.get(1).singletonOrThrow())),
                        List.of(path, shortcut)))
                .add(relu);
    }

    /** VGG-16 with BatchNorm; global average pooling makes it independent of the input size. */
    static SequentialBlock vgg16() {
        int[][] stages = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        SequentialBlock net = new SequentialBlock();
        for (int s = 0; s < stages.length; s++) {
            for (int i = 0; i < stages[s].length; i++) {
                boolean last = s == stages.length - 1 && i == stages[s].length - 1;
                net.add(conv(stages[s][i], 3, 1, 1, false)).add(bn()).add(last ? representationRelu() : Activation.reluBlock());
            }
            if (s < 3) {
                // Three halvings: 28 -> 3 and 32 -> 4 still leave a spatial map for the last stages.
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        return net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
    }

    /** DenseNet-BC: dense layers (BN-ReLU-1x1-BN-ReLU-3x3) concatenated, compressing transitions. */
    static SequentialBlock denseNetBc(int[] layersPerBlock, int growth) {
        int channels = 2 * growth;
        SequentialBlock net = new SequentialBlock().add(conv(channels, 3, 1, 1, false));
        for (int b = 0; b < layersPerBlock.length; b++) {
            for (int l = 0; l < layersPerBlock[b]; l++) {
                Block layer = new SequentialBlock().add(bn()).add(Activation.reluBlock()).add(conv(4 * growth, 1, 1, 0, false))
                        .add(bn()).add(Activation.reluBlock()).add(conv(growth, 3, 1, 1, false));
                net.add(new ParallelBlock(outs -> new NDList(NDArrays.concat(new NDList(
                        outs.get(0).singletonOrThrow(), outs.get(1).singletonOrThrow()), 1)),
                        List.of(Blocks.identityBlock(), layer)));
                channels += growth;
            }
            if (b < layersPerBlock.length - 1) {
                channels /= 2;
                net.add(bn()).add(Activation.reluBlock()).add(conv(channels, 1, 1, 0, false))
                        .add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        return net.add(bn()).add(representationRelu()).add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
    }

    /** A ReLU like {@link Activation#reluBlock()}, marked as the last one before the representation. */
    static Block representationRelu() {
        return new LambdaBlock(Activation::relu, REPRESENTATION_RELU);
    }

    /**
     * The blocks from {@code block} down to its representation ReLU, outermost first and the ReLU
     * last, through sequential blocks only; empty when there is none (the linear model).
     */
    static List<Block> pathToRepresentationRelu(Block block) {
        if (block instanceof LambdaBlock lambda && REPRESENTATION_RELU.equals(lambda.getName())) {
            return List.of(block);
        }
        if (block instanceof SequentialBlock) {
            for (Block child : block.getChildren().values()) {
                List<Block> below = pathToRepresentationRelu(child);
                if (!below.isEmpty()) {
                    List<Block> path = new ArrayList<>(below.size() + 1);
                    path.add(block);
                    path.addAll(below);
                    return List.copyOf(path);
                }
            }
        }
        return List.of();
    }

    static Block conv(int filters, int kernel, int stride, int pad, boolean bias) {
        Conv2d.Builder b = Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad));
        if (!bias) {
            b.optBias(false);
        }
        return b.build();
    }

    static Block bn() {
        return BatchNorm.builder().build();
    }

    /** (x - mean) / std per channel: images stay in [0,1] outside the model. */
    static Block normalize(float[] mean, float[] std) {
        return new LambdaBlock(list -> {
            NDArray x = list.singletonOrThrow();
            int c = (int) x.getShape().get(1);
            NDArray m = x.getManager().create(perChannel(mean, c)).reshape(1, c, 1, 1);
            NDArray s = x.getManager().create(perChannel(std, c)).reshape(1, c, 1, 1);
            return new NDList(x.sub(m).div(s));
        }, "normalize");
    }

    static float[] perChannel(float[] values, int channels) {
        if (values.length == channels) {
            return values;
        }
        if (values.length == 1) {
            float[] out = new float[channels];
            java.util.Arrays.fill(out, values[0]);
            return out;
        }
        throw new IllegalArgumentException("normalisation has " + values.length + " channels, input has " + channels);
    }
}
