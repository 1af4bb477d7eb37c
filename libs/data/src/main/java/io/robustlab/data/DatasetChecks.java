package io.robustlab.data;

import java.util.Arrays;

/**
 * What a data set from outside (an upload) must be before it is catalogued: the readers check the
 * files' structure, this checks the values every consumer relies on. Each failure is a
 * {@link DataFormatException} whose message names the fault and, where there is one, the first
 * example at fault.
 */
public final class DatasetChecks {

    private DatasetChecks() {
    }

    /** At least one example, of 1 or 3 channels, pixels in [0,1]. */
    public static void checkImages(ImageDataset data) {
        if (data.size() == 0) {
            throw new DataFormatException("holds no examples");
        }
        if (data.channels() != 1 && data.channels() != 3) {
            throw new DataFormatException("images have " + data.channels() + " channels; 1 (grey) or 3 (RGB) are supported");
        }
        float[] pixels = data.images();
        for (int i = 0; i < pixels.length; i++) {
            // Written so that NaN fails too.
            if (!(pixels[i] >= 0f && pixels[i] <= 1f)) {
                throw new DataFormatException("image " + i / data.imageSize() + " has the pixel value " + pixels[i]
                        + " (float32 pixels must lie in [0,1]; uint8 images are scaled)");
            }
        }
    }

    /** Labels from 0 to {@code classes} - 1. */
    public static void checkLabels(ImageDataset data, int classes) {
        int[] labels = data.labels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new DataFormatException("example " + i + " has the label " + labels[i] + "; with " + classes
                        + " class names labels run from 0 to " + (classes - 1));
            }
        }
    }

    /**
     * Every class has a training example: a model's outputs are counted from its training labels, so
     * a class seen only in testing would have no output to be scored by.
     */
    public static void checkEveryClassPresent(ImageDataset train, int classes) {
        boolean[] seen = new boolean[classes];
        for (int label : train.labels()) {
            // A label out of range is checkLabels' to report.
            if (label >= 0 && label < classes) {
                seen[label] = true;
            }
        }
        for (int c = 0; c < classes; c++) {
            if (!seen[c]) {
                throw new DataFormatException("has no example of class " + c + "; each of the " + classes
                        + " classes named needs at least one training example");
            }
        }
    }

    /** Train and test: images of one shape. */
    public static void checkSameShape(ImageDataset train, ImageDataset test) {
        int[] a = shape(train);
        int[] b = shape(test);
        if (!Arrays.equals(a, b)) {
            throw new DataFormatException("test images are " + Arrays.toString(b) + " (channels, height, width), training images "
                    + Arrays.toString(a));
        }
    }

    public static int[] shape(ImageDataset data) {
        return new int[] {data.channels(), data.height(), data.width()};
    }
}
