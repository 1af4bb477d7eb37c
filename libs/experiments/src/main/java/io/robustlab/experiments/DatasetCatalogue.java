package io.robustlab.experiments;

import io.robustlab.api.artifacts.DatasetSplitMetadata;
import java.util.Optional;
import java.util.UUID;

/**
 * The dataset artifacts a template's parameters may name (an uploaded data set's splits): the
 * installation looks them up (the gateway in its catalogue), the template checks what it needs of
 * them, such as the image shape every architecture must take, before any job runs.
 */
@FunctionalInterface
public interface DatasetCatalogue {

    /** None: for tests and tools whose parameters name no dataset artifact. */
    DatasetCatalogue NONE = id -> Optional.empty();

    /** The split's metadata; empty when there is no dataset artifact with this id. */
    Optional<DatasetSplitMetadata> split(UUID artifactId);
}
