package io.robustlab.ml;

import io.robustlab.data.IdxFiles;
import io.robustlab.data.ImageDataset;
import java.nio.file.Path;

/** The real Fashion-MNIST from the Debian package (.ci/run installs it), read once per test JVM. */
public final class FashionMnist {

    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static ImageDataset train;
    private static ImageDataset test;

    private FashionMnist() {
    }

    public static synchronized ImageDataset train() {
        if (train == null) {
            train = IdxFiles.read(DIR.resolve("train-images-idx3-ubyte.gz"), DIR.resolve("train-labels-idx1-ubyte.gz"));
        }
        return train;
    }

    public static synchronized ImageDataset test() {
        if (test == null) {
            test = IdxFiles.read(DIR.resolve("t10k-images-idx3-ubyte.gz"), DIR.resolve("t10k-labels-idx1-ubyte.gz"));
        }
        return test;
    }
}
