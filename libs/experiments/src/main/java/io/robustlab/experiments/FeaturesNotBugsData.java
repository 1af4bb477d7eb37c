package io.robustlab.experiments;

import io.robustlab.api.artifacts.DatasetSplitMetadata;
import io.robustlab.api.jobtypes.ArchitectureInputs;
import io.robustlab.api.jobtypes.InvalidSpecException;
import io.robustlab.api.jobtypes.Property;
import io.robustlab.api.model.ArchitectureName;
import io.robustlab.api.model.DatasetImportSpec;
import io.robustlab.api.model.FeaturesNotBugsParameters;
import io.robustlab.api.model.TransferParameters;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The data set an experiment runs on: a named one (imported from its files) or dataset artifacts
 * already catalogued (an upload). Settles, before any job runs, what the import step is and that
 * every architecture the experiment trains takes the data set's images.
 */
final class FeaturesNotBugsData {

    private static final List<Integer> FASHION_MNIST_SHAPE = List.of(1, 28, 28);
    private static final List<Integer> CIFAR10_SHAPE = List.of(3, 32, 32);

    private final ServerFolders folders;
    private final DatasetCatalogue catalogue;

    FeaturesNotBugsData(ServerFolders folders, DatasetCatalogue catalogue) {
        this.folders = folders;
        this.catalogue = catalogue;
    }

    /** The import step's spec, once the data set and the architectures are checked; a 400 naming the parameter otherwise. */
    DatasetImportSpec importSpec(FeaturesNotBugsParameters p) {
        boolean artifacts = p.getDataset() == FeaturesNotBugsParameters.DatasetEnum.ARTIFACTS;
        if (!artifacts) {
            for (Property<FeaturesNotBugsParameters, UUID> id : List.<Property<FeaturesNotBugsParameters, UUID>>of(
                    FeaturesNotBugsParameters::getTrainArtifactId, FeaturesNotBugsParameters::getTestArtifactId)) {
                if (id.apply(p) != null) {
                    throw FeaturesNotBugs.invalid("is taken only with dataset artifacts", id);
                }
            }
        }
        if (p.getDataDirectory() != null) {
            if (artifacts) {
                throw FeaturesNotBugs.invalid("is not taken with dataset artifacts (their files are in the catalogue)", FeaturesNotBugsParameters::getDataDirectory);
            }
            try {
                folders.check(p.getDataDirectory());
            } catch (IllegalArgumentException e) {
                throw FeaturesNotBugs.invalid(e.getMessage(), FeaturesNotBugsParameters::getDataDirectory);
            }
        }
        List<Integer> shape = switch (p.getDataset()) {
            case FASHION_MNIST -> FASHION_MNIST_SHAPE;
            case CIFAR10 -> CIFAR10_SHAPE;
            case ARTIFACTS -> catalogued(p);
        };
        checkArchitectures(p, shape);
        return artifacts
                ? new DatasetImportSpec(DatasetImportSpec.DatasetEnum.ARTIFACTS).trainArtifactId(p.getTrainArtifactId())
                        .testArtifactId(p.getTestArtifactId())
                : new DatasetImportSpec(DatasetImportSpec.DatasetEnum.fromValue(p.getDataset().getValue())).directory(p.getDataDirectory());
    }

    /** The image shape both catalogued splits record (they must agree). */
    private List<Integer> catalogued(FeaturesNotBugsParameters p) {
        List<Integer> train = shapeOf(p, FeaturesNotBugsParameters::getTrainArtifactId);
        List<Integer> test = shapeOf(p, FeaturesNotBugsParameters::getTestArtifactId);
        if (!train.equals(test)) {
            throw FeaturesNotBugs.invalid("holds images of " + text(test) + ", the training split " + text(train) + ": they must agree",
                    FeaturesNotBugsParameters::getTestArtifactId);
        }
        return train;
    }

    private List<Integer> shapeOf(FeaturesNotBugsParameters p, Property<FeaturesNotBugsParameters, UUID> field) {
        UUID id = field.apply(p);
        if (id == null) {
            throw FeaturesNotBugs.invalid("is required for dataset artifacts", field);
        }
        DatasetSplitMetadata split = catalogue.split(id)
                .orElseThrow(() -> FeaturesNotBugs.invalid("names no dataset artifact (" + id + ")", field));
        if (split.shape() == null || split.shape().size() != 3) {
            throw FeaturesNotBugs.invalid("names a dataset artifact that records no image shape (use an upload's or a dataset.import's)", field);
        }
        return split.shape();
    }

    private static void checkArchitectures(FeaturesNotBugsParameters p, List<Integer> shape) {
        Property<FeaturesNotBugsParameters, ArchitectureName> architecture = FeaturesNotBugsParameters::getArchitecture;
        Property<FeaturesNotBugsParameters, TransferParameters> transfer = FeaturesNotBugsParameters::getTransfer;
        Property<TransferParameters, ArchitectureName> source = TransferParameters::getSourceArchitecture;
        Property<TransferParameters, List<ArchitectureName>> targets = TransferParameters::getArchitectures;
        check(p.getArchitecture(), shape, architecture.jsonName());
        check(p.getTransfer().getSourceArchitecture(), shape, Property.path(transfer, source));
        for (ArchitectureName a : p.getTransfer().getArchitectures()) {
            check(a, shape, Property.path(transfer, targets));
        }
    }

    private static void check(ArchitectureName a, List<Integer> shape, String field) {
        if (!ArchitectureInputs.fits(a, shape)) {
            throw new InvalidSpecException(List.of(new InvalidSpecException.Violation("parameters." + field,
                    a.getValue() + " cannot take " + text(shape) + " images (it needs a side of at least " + ArchitectureInputs.smallestSide(a)
                            + "); architectures that can: " + ArchitectureInputs.fitting(shape).stream().map(ArchitectureName::getValue)
                            .collect(Collectors.joining(", ")))));
        }
    }

    private static String text(List<Integer> shape) {
        return shape.stream().map(String::valueOf).collect(Collectors.joining(" x "));
    }
}
