package io.robustlab.api.jobtypes;

import io.robustlab.api.model.AttackDatasetSpec;
import io.robustlab.api.model.DatasetConstructSpec;
import io.robustlab.api.model.DatasetImportSpec;
import io.robustlab.api.model.DatasetRelabelSpec;
import io.robustlab.api.model.EvaluateClassifierSpec;
import io.robustlab.api.model.EvaluateLeakageSpec;
import io.robustlab.api.model.FeatureAuditSpec;
import io.robustlab.api.model.TrainClassifierSpec;
import io.robustlab.api.model.TransferEvaluationSpec;
import java.util.List;
import java.util.Optional;

/** Every job type RobustLab knows. The gateway accepts only these; each service registers handlers for its own. */
public final class JobTypeCatalog {

    // The last argument of each type is its implementation version (part of its cache key): raise it
    // when a change to the handler or the library code it runs can change the type's results. The
    // checklist is in docs/experiments.md, "The result cache".

    public static final JobTypeDefinition DATASET_IMPORT = new JobTypeDefinition("dataset.import", "dataset-service",
            "Import an IDX image dataset (Fashion-MNIST, MNIST) into train and test .npz artifacts.", DatasetImportSpec.class, 1);

    public static final JobTypeDefinition TRAIN_CLASSIFIER = new JobTypeDefinition("train.classifier", "training-service",
            "Train a classifier, standard or adversarially, on a dataset artifact; checkpoints every epoch.", TrainClassifierSpec.class, 2);

    public static final JobTypeDefinition EVALUATE_CLASSIFIER = new JobTypeDefinition("eval.classifier", "eval-service",
            "Standard, per-class and PGD-robust accuracy of a model on a dataset artifact.", EvaluateClassifierSpec.class, 1);

    public static final JobTypeDefinition ATTACK_DATASET = new JobTypeDefinition("attack.dataset", "attack-service",
            "PGD over a dataset artifact: an adversarial dataset, the success rate and perturbation norms.", AttackDatasetSpec.class, 1);

    public static final JobTypeDefinition EVALUATE_TRANSFER = new JobTypeDefinition("eval.transfer", "eval-service",
            "Adversarial examples from a source model, evaluated on target models: accuracy and transfer success.",
            TransferEvaluationSpec.class, 1);

    public static final JobTypeDefinition DATASET_CONSTRUCT = new JobTypeDefinition("dataset.construct", "dataset-service",
            "Build D_R, D_NR, D_rand or D_det from a training set and a model, in shards any dataset-service replica runs.",
            DatasetConstructSpec.class, 2);

    public static final JobTypeDefinition EVALUATE_AUDIT = new JobTypeDefinition("eval.audit", "eval-service",
            "Feature audit: which representation units are useful, robustly useful, or useful but non-robust, and linear probes on each set.",
            FeatureAuditSpec.class, 1);

    public static final JobTypeDefinition EVALUATE_LEAKAGE = new JobTypeDefinition("eval.leakage", "eval-service",
            "Robust-feature leakage of a D_rand / D_det construction: a model's agreement with the new labels on the constructed images"
                    + " against that on their unperturbed originals.",
            EvaluateLeakageSpec.class, 1);

    public static final JobTypeDefinition DATASET_RELABEL = new JobTypeDefinition("dataset.relabel", "dataset-service",
            "The relabelled-originals control: one dataset's images, unperturbed, with another's labels, as a new .npz artifact.",
            DatasetRelabelSpec.class, 1);

    public static final List<JobTypeDefinition> ALL = List.of(DATASET_IMPORT, TRAIN_CLASSIFIER, EVALUATE_CLASSIFIER, ATTACK_DATASET,
            EVALUATE_TRANSFER, DATASET_CONSTRUCT, EVALUATE_AUDIT, EVALUATE_LEAKAGE, DATASET_RELABEL);

    private JobTypeCatalog() {
    }

    public static Optional<JobTypeDefinition> find(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
