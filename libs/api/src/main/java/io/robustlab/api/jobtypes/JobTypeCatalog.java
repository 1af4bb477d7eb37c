package io.robustlab.api.jobtypes;

import io.robustlab.api.model.AttackDatasetResult;
import io.robustlab.api.model.AttackDatasetSpec;
import io.robustlab.api.model.ConstructMergeResult;
import io.robustlab.api.model.ConstructMergeSpec;
import io.robustlab.api.model.ConstructShardResult;
import io.robustlab.api.model.ConstructShardSpec;
import io.robustlab.api.model.DatasetConstructResult;
import io.robustlab.api.model.DatasetConstructSpec;
import io.robustlab.api.model.DatasetImportResult;
import io.robustlab.api.model.DatasetImportSpec;
import io.robustlab.api.model.DatasetRelabelResult;
import io.robustlab.api.model.DatasetRelabelSpec;
import io.robustlab.api.model.EvaluateClassifierResult;
import io.robustlab.api.model.EvaluateClassifierSpec;
import io.robustlab.api.model.EvaluateConfusionResult;
import io.robustlab.api.model.EvaluateConfusionSpec;
import io.robustlab.api.model.EvaluateLeakageResult;
import io.robustlab.api.model.EvaluateLeakageSpec;
import io.robustlab.api.model.FeatureAuditResult;
import io.robustlab.api.model.FeatureAuditSpec;
import io.robustlab.api.model.TrainClassifierResult;
import io.robustlab.api.model.TrainClassifierSpec;
import io.robustlab.api.model.TransferEvaluationResult;
import io.robustlab.api.model.TransferEvaluationSpec;
import java.util.List;
import java.util.Optional;

/** Every job type RobustLab knows, with the generated models of its spec and result. The gateway accepts the public ones. */
public final class JobTypeCatalog {

    // The argument before the internal flag is the type's implementation version (part of its cache key): raise it
    // when a change to the handler or the library code it runs can change the type's results. The
    // checklist is in docs/experiments.md, "The result cache".

    public static final JobTypeDefinition DATASET_IMPORT = new JobTypeDefinition("dataset.import", "dataset-service",
            "Import an IDX image dataset (Fashion-MNIST, MNIST) into train and test .npz artifacts.", DatasetImportSpec.class, DatasetImportResult.class, 1, false);

    public static final JobTypeDefinition TRAIN_CLASSIFIER = new JobTypeDefinition("train.classifier", "training-service",
            "Train a classifier, standard or adversarially, on a dataset artifact; checkpoints every epoch.", TrainClassifierSpec.class, TrainClassifierResult.class, 2, false);

    public static final JobTypeDefinition EVALUATE_CLASSIFIER = new JobTypeDefinition("eval.classifier", "eval-service",
            "Standard, per-class and PGD-robust accuracy of a model on a dataset artifact.", EvaluateClassifierSpec.class, EvaluateClassifierResult.class, 1, false);

    public static final JobTypeDefinition ATTACK_DATASET = new JobTypeDefinition("attack.dataset", "attack-service",
            "PGD over a dataset artifact: an adversarial dataset, the success rate and perturbation norms.", AttackDatasetSpec.class, AttackDatasetResult.class, 1, false);

    public static final JobTypeDefinition EVALUATE_TRANSFER = new JobTypeDefinition("eval.transfer", "eval-service",
            "Adversarial examples from a source model, evaluated on target models: accuracy and transfer success.",
            TransferEvaluationSpec.class, TransferEvaluationResult.class, 1, false);

    public static final JobTypeDefinition DATASET_CONSTRUCT = new JobTypeDefinition("dataset.construct", "dataset-service",
            "Build D_R, D_NR, D_rand or D_det from a training set and a model, in shards any dataset-service replica runs.",
            DatasetConstructSpec.class, DatasetConstructResult.class, 2, false);

    public static final JobTypeDefinition EVALUATE_AUDIT = new JobTypeDefinition("eval.audit", "eval-service",
            "Feature audit: which representation units are useful, robustly useful, or useful but non-robust, and linear probes on each set.",
            FeatureAuditSpec.class, FeatureAuditResult.class, 1, false);

    public static final JobTypeDefinition EVALUATE_LEAKAGE = new JobTypeDefinition("eval.leakage", "eval-service",
            "Robust-feature leakage of a D_rand / D_det construction: a model's agreement with the new labels on the constructed images"
                    + " against that on their unperturbed originals.",
            EvaluateLeakageSpec.class, EvaluateLeakageResult.class, 1, false);

    public static final JobTypeDefinition EVALUATE_CONFUSION = new JobTypeDefinition("eval.confusion", "eval-service",
            "Where a model's predictions go, clean and under PGD: both confusion matrices and the largest flows between classes.",
            EvaluateConfusionSpec.class, EvaluateConfusionResult.class, 1, false);

    public static final JobTypeDefinition DATASET_RELABEL = new JobTypeDefinition("dataset.relabel", "dataset-service",
            "The relabelled-originals control: one dataset's images, unperturbed, with another's labels, as a new .npz artifact.",
            DatasetRelabelSpec.class, DatasetRelabelResult.class, 1, false);

    /** One shard of a dataset.construct job: its planner submits it with an id derived from its own. */
    public static final JobTypeDefinition CONSTRUCT_SHARD = new JobTypeDefinition("dataset.construct.shard", "dataset-service",
            "One shard of a dataset.construct job (internal).", ConstructShardSpec.class, ConstructShardResult.class, 2, true);

    /** Joins a dataset.construct job's shards; its result is what an experiment's construction step outputs. */
    public static final JobTypeDefinition CONSTRUCT_MERGE = new JobTypeDefinition("dataset.construct.merge", "dataset-service",
            "Joins the shards of a dataset.construct job into its artifact (internal).", ConstructMergeSpec.class,
            ConstructMergeResult.class, 1, true);

    /** Every type, internal ones included: each service registers handlers for its own. */
    public static final List<JobTypeDefinition> ALL = List.of(DATASET_IMPORT, TRAIN_CLASSIFIER, EVALUATE_CLASSIFIER, ATTACK_DATASET,
            EVALUATE_TRANSFER, DATASET_CONSTRUCT, EVALUATE_AUDIT, EVALUATE_LEAKAGE, DATASET_RELABEL, EVALUATE_CONFUSION, CONSTRUCT_SHARD,
            CONSTRUCT_MERGE);

    /** The types the API accepts. */
    public static final List<JobTypeDefinition> PUBLIC = ALL.stream().filter(t -> !t.internal()).toList();

    private JobTypeCatalog() {
    }

    /** Any type by name, internal ones included (for the engine and the workers). */
    public static Optional<JobTypeDefinition> find(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** A type the API accepts, by name. */
    public static Optional<JobTypeDefinition> findPublic(String name) {
        return PUBLIC.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
