package io.robustlab.dataset.jobs;

import io.robustlab.api.artifacts.DatasetSplitMetadata;
import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.DatasetImportResult;
import io.robustlab.api.model.DatasetImportSpec;
import io.robustlab.api.model.DatasetImportSplit;
import io.robustlab.data.Cifar10Files;
import io.robustlab.data.DataFormatException;
import io.robustlab.data.IdxFiles;
import io.robustlab.data.ImageDataset;
import io.robustlab.data.Npz;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.jobs.worker.PermanentJobFailure;
import io.robustlab.mlservice.DatasetArtifacts;
import io.robustlab.service.data.DataRoots;
import io.robustlab.service.jobs.SpecJobHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code dataset.import}: reads a dataset's files (IDX, CIFAR-10 binary or .npz) and stores train and
 * test splits as .npz artifacts. Bad input (a missing or corrupt file) fails the job at once with the
 * file named; a rerun after a crash re-registers the same artifacts (their ids derive from the job).
 * With {@code dataset: artifacts} it reads no files: it checks two dataset artifacts already
 * catalogued (an upload's) and describes them, so that an experiment uses them as it uses an import.
 */
@Component
public class DatasetImportHandler extends SpecJobHandler<DatasetImportSpec, DatasetImportResult> {

    static final Path FASHION_MNIST_DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");

    static final Map<DatasetImportSpec.DatasetEnum, List<String>> CLASS_NAMES = Map.of(
            DatasetImportSpec.DatasetEnum.FASHION_MNIST,
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            DatasetImportSpec.DatasetEnum.MNIST,
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            DatasetImportSpec.DatasetEnum.CIFAR10,
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"));

    private final Artifacts artifacts;
    private final DatasetArtifacts datasets;
    private final DataRoots dataRoots;

    public DatasetImportHandler(Artifacts artifacts, DatasetArtifacts datasets, DataRoots dataRoots, JsonMapper json) {
        super(JobTypeCatalog.DATASET_IMPORT, DatasetImportSpec.class, DatasetImportResult.class, json);
        this.artifacts = artifacts;
        this.datasets = datasets;
        this.dataRoots = dataRoots;
    }

    @Override
    protected DatasetImportResult run(DatasetImportSpec spec, JobContext ctx) throws Exception {
        if (spec.getDataset() == DatasetImportSpec.DatasetEnum.ARTIFACTS) {
            return describe(spec, ctx);
        }
        Path dir = directory(spec);
        String name = spec.getDataset().getValue();
        ctx.progress(0.05, "reading " + name + " train split");
        ImageDataset train = read(spec.getDataset(), dir, "train");
        ctx.progress(0.35, "writing train artifact (" + train.size() + " images)");
        List<String> classNames = CLASS_NAMES.getOrDefault(spec.getDataset(),
                IntStream.range(0, train.classes()).mapToObj(String::valueOf).toList());
        DatasetImportSplit trainOut = save(ctx, name, "train", train, classNames);
        ctx.progress(0.65, "reading " + name + " test split");
        ImageDataset test = read(spec.getDataset(), dir, "test");
        ctx.progress(0.8, "writing test artifact (" + test.size() + " images)");
        DatasetImportSplit testOut = save(ctx, name, "test", test, classNames);
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()) {
            throw new PermanentJobFailure("train and test images differ in shape");
        }
        return new DatasetImportResult(DatasetImportResult.DatasetEnum.fromValue(name), trainOut, testOut, List.of(train.channels(), train.height(), train.width()), classNames);
    }

    /** The catalogued splits as an import's result: their shapes must agree, their class names come from their metadata. */
    private DatasetImportResult describe(DatasetImportSpec spec, JobContext ctx) throws Exception {
        if (spec.getTrainArtifactId() == null || spec.getTestArtifactId() == null) {
            throw new PermanentJobFailure((spec.getTrainArtifactId() == null ? "spec.trainArtifactId" : "spec.testArtifactId")
                    + " is required for dataset artifacts");
        }
        ctx.progress(0.1, "reading the training split");
        ImageDataset train = datasets.load(spec.getTrainArtifactId(), "spec.trainArtifactId");
        ctx.progress(0.5, "reading the test split");
        ImageDataset test = datasets.load(spec.getTestArtifactId(), "spec.testArtifactId");
        DatasetArtifacts.requireSameShape(test, "spec.testArtifactId", train, "spec.trainArtifactId");
        int classes = Math.max(train.classes(), test.classes());
        DatasetSplitMetadata recorded = datasets.metadataOf(spec.getTrainArtifactId());
        List<String> classNames = recorded.classNames() != null && recorded.classNames().size() >= classes ? recorded.classNames()
                : IntStream.range(0, classes).mapToObj(String::valueOf).toList();
        Artifact a = artifacts.find(spec.getTrainArtifactId()).orElseThrow();
        Artifact b = artifacts.find(spec.getTestArtifactId()).orElseThrow();
        return new DatasetImportResult(DatasetImportResult.DatasetEnum.ARTIFACTS, new DatasetImportSplit(a.id(), train.size(), a.sha256()),
                new DatasetImportSplit(b.id(), test.size(), b.sha256()), List.of(train.channels(), train.height(), train.width()), classNames)
                .name(recorded.name());
    }

    /** The folder to read: one under the data roots (the gateway checked it too), or the Debian package's. */
    private Path directory(DatasetImportSpec spec) {
        if (spec.getDirectory() != null) {
            try {
                return dataRoots.resolve(spec.getDirectory());
            } catch (DataRoots.Refused e) {
                throw new PermanentJobFailure("spec.directory " + e.getMessage());
            }
        }
        if (spec.getDataset() == DatasetImportSpec.DatasetEnum.FASHION_MNIST) {
            return FASHION_MNIST_DEBIAN;
        }
        throw new PermanentJobFailure("spec.directory is required for " + spec.getDataset().getValue()
                + " (no system package provides it)");
    }

    private static ImageDataset read(DatasetImportSpec.DatasetEnum dataset, Path dir, String split) {
        try {
            return switch (dataset) {
                case FASHION_MNIST, MNIST -> {
                    String prefix = split.equals("train") ? "train" : "t10k";
                    yield IdxFiles.read(find(dir, prefix + "-images-idx3-ubyte"), find(dir, prefix + "-labels-idx1-ubyte"));
                }
                case CIFAR10 -> Cifar10Files.read(dir, split.equals("train") ? Cifar10Files.TRAIN : Cifar10Files.TEST);
                case NPZ -> readNpz(dir.resolve(split + ".npz"));
                case ARTIFACTS -> throw new IllegalStateException("dataset artifacts are described, not read from files");
            };
        } catch (DataFormatException e) {
            throw new PermanentJobFailure(e.getMessage(), e);
        }
    }

    private static ImageDataset readNpz(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return Npz.read(in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new PermanentJobFailure("missing dataset file " + file.getFileName() + " in the given folder", e);
        } catch (java.io.IOException e) {
            throw new PermanentJobFailure(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static Path find(Path dir, String base) {
        for (String candidate : List.of(base + ".gz", base)) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new PermanentJobFailure("missing dataset file " + base + "[.gz] in the given folder");
    }

    private DatasetImportSplit save(JobContext ctx, String name, String split, ImageDataset data, List<String> classNames) throws Exception {
        String metadata = json.writeValueAsString(DatasetArtifacts.metadataFor(name, split, data, classNames, null, null));
        Artifact a = artifacts.save(ctx.job().id(), "dataset", name + "-" + split + ".npz", "application/x-npz", metadata,
                out -> Npz.write(data, out));
        return new DatasetImportSplit(a.id(), data.size(), a.sha256());
    }
}
