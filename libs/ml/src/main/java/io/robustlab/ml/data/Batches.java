package io.robustlab.ml.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.robustlab.data.ImageDataset;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Turns an in-memory dataset into NDArray batches. The images go through one direct buffer that
 * is reused for every batch: a fresh direct buffer per batch is freed only by the garbage collector
 * and made resident memory creep (djl-notes). A batch's arrays belong to the manager it is given;
 * callers close that manager before asking for the next batch.
 */
public final class Batches {

    /** One batch: images N x C x H x W in [0,1], labels int32. */
    public record Batch(NDArray images, NDArray labels, int size) {
    }

    private final ImageDataset data;
    private final int batchSize;
    private final float[] host;
    private final float[] scratch;
    private final ByteBuffer images;
    private final ByteBuffer labels;

    public Batches(ImageDataset data, int batchSize) {
        this.data = data;
        this.batchSize = batchSize;
        this.host = new float[batchSize * data.imageSize()];
        this.scratch = new float[data.imageSize()];
        this.images = ByteBuffer.allocateDirect(host.length * Float.BYTES).order(ByteOrder.nativeOrder());
        this.labels = ByteBuffer.allocateDirect(batchSize * Integer.BYTES).order(ByteOrder.nativeOrder());
    }

    public int count() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    /** Batch {@code index} of the examples in {@code order} (null: dataset order), augmented when asked. */
    public Batch get(NDManager manager, int[] order, int index, Augmentation augmentation, Random random) {
        int from = index * batchSize;
        int n = Math.min(batchSize, data.size() - from);
        int per = data.imageSize();
        images.clear();
        labels.clear();
        for (int i = 0; i < n; i++) {
            int example = order == null ? from + i : order[from + i];
            System.arraycopy(data.images(), example * per, host, i * per, per);
            if (augmentation != null && !augmentation.isNone()) {
                augmentation.apply(host, i * per, data.channels(), data.height(), data.width(), scratch, random);
            }
            labels.putInt(data.labels()[example]);
        }
        images.asFloatBuffer().put(host, 0, n * per);
        images.limit(n * per * Float.BYTES);
        labels.flip();
        NDArray x = manager.create(images, new Shape(n, data.channels(), data.height(), data.width()), DataType.FLOAT32);
        NDArray y = manager.create(labels, new Shape(n), DataType.INT32);
        // The buffers are refilled for the next batch: take copies so the arrays never alias them.
        return new Batch(x.duplicate(), y.duplicate(), n);
    }

    /** A seeded permutation of the dataset's indices. */
    public static int[] shuffled(int size, Random random) {
        int[] order = java.util.stream.IntStream.range(0, size).toArray();
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
