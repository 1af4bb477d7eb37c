package io.robustlab.api.jobtypes;

import io.robustlab.api.model.DatasetImportSpec;
import java.util.List;
import java.util.Optional;

/** Every job type RobustLab knows. The gateway accepts only these; each service registers handlers for its own. */
public final class JobTypeCatalog {

    public static final JobTypeDefinition DATASET_IMPORT = new JobTypeDefinition("dataset.import", "dataset-service",
            "Import an IDX image dataset (Fashion-MNIST, MNIST) into train and test .npz artifacts.", DatasetImportSpec.class);

    public static final List<JobTypeDefinition> ALL = List.of(DATASET_IMPORT);

    private JobTypeCatalog() {
    }

    public static Optional<JobTypeDefinition> find(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
