package io.robustlab.cli;

import io.robustlab.client.model.DatasetManifest;
import io.robustlab.client.model.UploadedDataset;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code robustlab dataset ...}: a data set from this machine into the catalogue. */
@Command(name = "dataset", description = "Upload a data set (train and test splits) from this machine.")
final class DatasetCommands {

    @ParentCommand
    private RobustLabCli root;

    @Command(description = "Upload a data set's train and test files (npz, IDX or CIFAR-10 binary); prints its two artifact ids,"
            + " which features-not-bugs takes as trainArtifactId and testArtifactId with dataset=artifacts.")
    void upload(@Parameters(index = "0", paramLabel = "TRAIN") Path train,
                @Parameters(index = "1", paramLabel = "TEST") Path test,
                @Option(names = "--name", required = true, description = "the data set's name (lower case, digits, . _ -)") String name,
                @Option(names = "--class-names", required = true, split = ",", description = "the class names in label order, comma-separated")
                List<String> classNames,
                @Option(names = "--format", defaultValue = "npz", description = "npz (default), idx or cifar10") String format,
                @Option(names = "--train-labels", description = "idx: the training split's label file") Path trainLabels,
                @Option(names = "--test-labels", description = "idx: the test split's label file") Path testLabels) throws IOException {
        DatasetManifest manifest = new DatasetManifest().name(name).format(DatasetManifest.FormatEnum.fromValue(format)).classNames(classNames);
        Path manifestFile = Files.createTempFile("robustlab-manifest-", ".json");
        try {
            Files.writeString(manifestFile, root.gateway().json.writeValueAsString(manifest));
            UploadedDataset d = root.gateway().datasets.uploadDataset(manifestFile.toFile(), train.toFile(), test.toFile(),
                    file(trainLabels), file(testLabels));
            root.out().println("train " + d.getTrain().getArtifactId() + "  " + d.getTrain().getCount() + " examples");
            root.out().println("test  " + d.getTest().getArtifactId() + "  " + d.getTest().getCount() + " examples");
            root.out().println("shape " + d.getShape() + ", " + d.getClassNames().size() + " classes");
        } finally {
            Files.deleteIfExists(manifestFile);
        }
    }

    private static File file(Path p) {
        return p == null ? null : p.toFile();
    }
}
