package io.robustlab.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.robustlab.api.LenientJson;
import io.robustlab.api.jobtypes.InvalidSpecException;
import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.jobtypes.Property;
import io.robustlab.api.model.AdversarialTrainingParameters;
import io.robustlab.api.model.ArchitectureName;
import io.robustlab.api.model.AugmentationSpec;
import io.robustlab.api.model.ConstructMergeResult;
import io.robustlab.api.model.DatasetConstructResult;
import io.robustlab.api.model.DatasetConstructSpec;
import io.robustlab.api.model.DatasetImportResult;
import io.robustlab.api.model.DatasetImportSpec;
import io.robustlab.api.model.DatasetImportSplit;
import io.robustlab.api.model.DatasetRelabelResult;
import io.robustlab.api.model.DatasetRelabelSpec;
import io.robustlab.api.model.DerivedTrainingParameters;
import io.robustlab.api.model.EvaluateClassifierSpec;
import io.robustlab.api.model.EvaluateLeakageSpec;
import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.model.FeatureAuditSpec;
import io.robustlab.api.model.FeatureAuditSpecProbe;
import io.robustlab.api.model.FeatureAuditSpecThresholds;
import io.robustlab.api.model.FeaturesNotBugsParameters;
import io.robustlab.api.model.RobustnessParameters;
import io.robustlab.api.model.RobustnessSpec;
import io.robustlab.api.model.TrainClassifierResult;
import io.robustlab.api.model.TrainClassifierSpec;
import io.robustlab.api.model.TrainingParameters;
import io.robustlab.api.model.TransferEvaluationSpec;
import io.robustlab.api.model.TransferParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The paper's experiment: standard and adversarial training on D; D_R, D_NR, D_rand and D_det built
 * from those models; a standard model trained on each; every model evaluated (standard accuracy,
 * robust accuracy over an eps list); the transfer study of Figure 3 over several architectures; a
 * feature audit of the standard and the robust model (the paper's definitions, measured); and the
 * controls a reviewer asks for: a same-size model per derived-training recipe, the relabelled
 * originals of D_rand and D_det, and the robust model's leakage on them. Everything but the import is
 * repeated per replicate with its own seed, and the report judges each claim from the replicates.
 *
 * <p>Parameters are read through the generated {@link FeaturesNotBugsParameters}, specs built from
 * the generated spec models and step outputs named through the result models' getters: a field
 * renamed in openapi.yaml breaks this class's compilation, not an experiment at run time.
 */
public final class FeaturesNotBugs implements ExperimentTemplate {

    public static final String NAME = "features-not-bugs";
    /** The four constructions, in the paper's order. */
    public static final List<String> CONSTRUCTIONS = List.of("robust", "nonrobust", "rand", "det");
    /** The constructions whose labels are not the images' own: their relabelled originals are a control. */
    public static final List<String> RELABELLED = List.of("rand", "det");
    public static final List<String> PRESETS = List.of("smoke", "cpu", "cpu-replicated", "paper");

    /** The imported training and test sets (shared by every replicate). */
    private static final Output<UUID> TRAIN_SET = Output.of("import", DatasetImportResult::getTrain, DatasetImportSplit::getArtifactId);
    private static final Output<UUID> TEST_SET = Output.of("import", DatasetImportResult::getTest, DatasetImportSplit::getArtifactId);

    private final JsonMapper json;
    private final FeaturesNotBugsData data;
    /** Leaves nulls out, so an unset optional spec field is absent from a step's template. */
    private final JsonMapper specJson;
    /** Reads stored outputs for the report: a member a newer worker added does not stop it. */
    private final JsonMapper lenient;
    private final Map<String, ObjectNode> presets = new LinkedHashMap<>();

    public FeaturesNotBugs(JsonMapper json) {
        this(json, ServerFolders.ANY, DatasetCatalogue.NONE);
    }

    public FeaturesNotBugs(JsonMapper json, ServerFolders folders, DatasetCatalogue catalogue) {
        this.json = json;
        this.data = new FeaturesNotBugsData(folders, catalogue);
        this.specJson = json.rebuild().changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
                .build();
        this.lenient = LenientJson.of(json);
        for (String preset : PRESETS) {
            String resource = "/experiments/" + NAME + "/" + preset + ".json";
            try (InputStream in = FeaturesNotBugs.class.getResourceAsStream(resource)) {
                presets.put(preset, (ObjectNode) json.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(resource, e);
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Adversarial Examples Are Not Bugs, They Are Features (Ilyas et al., 2019): Figure 2 (D, adversarial training, D_R,"
                + " D_NR), Table 1 (D_rand, D_det), Figure 3 (transfer vs D_det accuracy), accuracy-vs-eps curves and sample grids,"
                + " with same-size, relabelled-originals and leakage controls, replicates and a verdict per claim.";
    }

    @Override
    public Class<?> parametersClass() {
        return FeaturesNotBugsParameters.class;
    }

    @Override
    public Map<String, ObjectNode> presets() {
        Map<String, ObjectNode> copy = new LinkedHashMap<>();
        presets.forEach((k, v) -> copy.put(k, v.deepCopy()));
        return copy;
    }

    @Override
    public int maxAttempts(ObjectNode parameters, int otherwise) {
        Integer max = parameters(parameters).getMaxAttempts();
        return max == null ? otherwise : max;
    }

    FeaturesNotBugsParameters parameters(JsonNode resolved) {
        return json.treeToValue(resolved, FeaturesNotBugsParameters.class);
    }

    @Override
    public List<StepDefinition> steps(ObjectNode parameters) {
        FeaturesNotBugsParameters p = parameters(parameters);
        checkConsistent(p);
        DatasetImportSpec importSpec = data.importSpec(p);
        List<StepDefinition> steps = new ArrayList<>();
        // The import is the only step every replicate shares: nothing in it depends on a seed.
        String title = importSpec.getDataset() == DatasetImportSpec.DatasetEnum.ARTIFACTS ? "Check the catalogued data set"
                : "Import " + p.getDataset().getValue();
        steps.add(spec(importSpec).step("import", title, JobTypeCatalog.DATASET_IMPORT));
        // Replicate after replicate: a step's position is its priority, so the first replicate finishes first.
        for (int k = 1; k <= replicates(p); k++) {
            new Replicate(p, k).addSteps(steps);
        }
        return steps;
    }

    static int replicates(FeaturesNotBugsParameters p) {
        return p.getReplicates() == null ? 1 : p.getReplicates();
    }

    /** Step {@code base} of replicate {@code k}: the first replicate keeps the plain names. */
    static String stepName(String base, int k) {
        return k == 1 ? base : base + "-r" + k;
    }

    /**
     * The same-size control that construction {@code c} is compared with: a model trained on the same
     * first N original images with their true labels and c's recipe (learning rate, augmentation).
     * Constructions that share a recipe share the control, named after the first of them.
     */
    static String sameSizeControl(FeaturesNotBugsParameters p, String c) {
        return "same-" + CONSTRUCTIONS.stream().filter(o -> recipe(p, o).equals(recipe(p, c))).findFirst().orElseThrow();
    }

    private static String recipe(FeaturesNotBugsParameters p, String c) {
        return learningRate(p, c) + "/" + augmented(p, c);
    }

    /** The learning rate of standard training on construction {@code c}. */
    static float learningRate(FeaturesNotBugsParameters p, String c) {
        var rates = p.getDerivedTraining().getLearningRates();
        return switch (c) {
            case "robust" -> rates.getRobust();
            case "nonrobust" -> rates.getNonrobust();
            case "rand" -> rates.getRand();
            case "det" -> rates.getDet();
            default -> throw new IllegalArgumentException("construction " + c);
        };
    }

    private static boolean augmented(FeaturesNotBugsParameters p, String c) {
        List<DerivedTrainingParameters.AugmentedEnum> sets = p.getDerivedTraining().getAugmented();
        return sets != null && sets.contains(DerivedTrainingParameters.AugmentedEnum.fromValue(c));
    }

    /** Whether the headline robust accuracies also come from an attack suite (robustness.suite other than none). */
    static boolean hasSuite(FeaturesNotBugsParameters p) {
        RobustnessParameters.SuiteEnum suite = p.getRobustness().getSuite();
        return suite != null && suite != RobustnessParameters.SuiteEnum.NONE;
    }

    /** What the schema cannot say. */
    private static void checkConsistent(FeaturesNotBugsParameters p) {
        RobustnessParameters r = p.getRobustness();
        if (hasSuite(p) && r.getSuiteEps() == null) {
            throw invalid("is required when robustness.suite is " + r.getSuite().getValue(),
                    FeaturesNotBugsParameters::getRobustness, RobustnessParameters::getSuiteEps);
        }
        if (r.getHeadlineEps() != null && !r.getEps().contains(r.getHeadlineEps())) {
            throw invalid("must be one of robustness.eps " + r.getEps(), FeaturesNotBugsParameters::getRobustness,
                    RobustnessParameters::getHeadlineEps);
        }
        if (p.getDataset() == FeaturesNotBugsParameters.DatasetEnum.CIFAR10 && p.getDataDirectory() == null) {
            throw invalid("is required for cifar10 (the folder with data_batch_1.bin ... test_batch.bin)",
                    FeaturesNotBugsParameters::getDataDirectory);
        }
        List<ArchitectureName> archs = p.getTransfer().getArchitectures();
        if (archs.stream().distinct().count() != archs.size()) {
            throw invalid("lists an architecture twice", FeaturesNotBugsParameters::getTransfer, TransferParameters::getArchitectures);
        }
        DerivedTrainingParameters d = p.getDerivedTraining();
        if (d.getAugmented() != null && !d.getAugmented().isEmpty() && d.getAugmentation() == null) {
            throw invalid("is required when derivedTraining.augmented names a dataset", FeaturesNotBugsParameters::getDerivedTraining,
                    DerivedTrainingParameters::getAugmentation);
        }
    }

    static InvalidSpecException invalid(String message, Property<FeaturesNotBugsParameters, ?> field) {
        return new InvalidSpecException(List.of(new InvalidSpecException.Violation("parameters." + field.jsonName(), message)));
    }

    private static <A> InvalidSpecException invalid(String message, Property<FeaturesNotBugsParameters, A> group,
                                                    Property<A, ?> field) {
        return new InvalidSpecException(List.of(new InvalidSpecException.Violation("parameters." + Property.path(group, field), message)));
    }

    public static String datasetName(String construction) {
        return switch (construction) {
            case "robust" -> "D_R";
            case "nonrobust" -> "D_NR";
            case "rand" -> "D_rand";
            case "det" -> "D_det";
            default -> "D";
        };
    }

    private <S> StepSpec<S> spec(S spec) {
        return StepSpec.of(spec, specJson);
    }

    @Override
    public ExperimentReport report(ExperimentRecord experiment, List<StepRecord> steps) {
        return new FeaturesNotBugsReport(experiment, parameters(experiment.parameters()), steps, json, lenient).build();
    }

    /** The steps of one replicate, with its own seed. */
    private final class Replicate {

        private final FeaturesNotBugsParameters p;
        private final int k;
        private final long seed;
        private final ArchitectureName arch;

        Replicate(FeaturesNotBugsParameters p, int k) {
            this.p = p;
            this.k = k;
            this.seed = p.getSeed() + 1000L * (k - 1);
            this.arch = p.getArchitecture();
        }

        private String name(String base) {
            return stepName(base, k);
        }

        private Output<UUID> model(String trainStep) {
            return Output.of(name(trainStep), TrainClassifierResult::getModelArtifactId);
        }

        private Output<UUID> constructed(String c) {
            return Output.of(name("construct-" + c), ConstructMergeResult::getDatasetArtifactId);
        }

        void addSteps(List<StepDefinition> steps) {
            TrainingParameters t = p.getTraining();
            steps.add(train("train-std", "Standard training on D (" + arch.getValue() + ")", TRAIN_SET, arch, p.getTrainLimit(),
                    t.getEpochs(), t.getLearningRate(), t.getAugmentation(), seed, null));
            var adversarial = p.getAdversarialTraining();
            steps.add(train("train-adv", "Adversarial training on D (" + arch.getValue() + ")", TRAIN_SET, arch,
                    adversarial.getTrainLimit() != null ? adversarial.getTrainLimit() : p.getTrainLimit(), adversarial.getEpochs(),
                    t.getLearningRate(), t.getAugmentation(), seed, adversarial));

            for (String c : CONSTRUCTIONS) {
                steps.add(construct(c));
            }
            for (String c : CONSTRUCTIONS) {
                steps.add(trainDerived(c, arch, "train-" + c, constructed(c), null));
            }
            for (String m : List.of("std", "adv", "robust", "nonrobust")) {
                steps.add(evaluate("eval-" + m, "train-" + m, true));
                addSuite(steps, m);
            }
            steps.add(evaluate("eval-rand", "train-rand", false));
            steps.add(evaluate("eval-det", "train-det", false));
            addControls(steps);
            steps.add(audit("audit-std", "train-std"));
            steps.add(audit("audit-adv", "train-adv"));
            addTransfer(steps);
        }

        /** The controls that rule out the obvious confounds: data size, the labels alone, robust-feature leakage. */
        private void addControls(List<StepDefinition> steps) {
            for (String c : CONSTRUCTIONS) {
                String control = sameSizeControl(p, c);
                if (!control.equals("same-" + c)) {
                    continue;
                }
                boolean robust = CONSTRUCTIONS.stream().filter(o -> sameSizeControl(p, o).equals(control))
                        .anyMatch(o -> o.equals("robust") || o.equals("nonrobust"));
                steps.add(trainDerived(c, arch, "train-" + control, TRAIN_SET, p.getConstruction().getLimit()));
                steps.add(evaluate("eval-" + control, "train-" + control, robust));
                if (robust) {
                    addSuite(steps, control);
                }
            }
            for (String c : RELABELLED) {
                steps.add(spec(new DatasetRelabelSpec())
                        .take(DatasetRelabelSpec::getImagesArtifactId, TRAIN_SET)
                        .take(DatasetRelabelSpec::getLabelsArtifactId, constructed(c))
                        .step(name("relabel-" + c), "Relabelled originals of " + datasetName(c)
                                + ": the same images unperturbed, with its labels", JobTypeCatalog.DATASET_RELABEL));
                steps.add(trainDerived(c, arch, "train-relabel-" + c,
                        Output.of(name("relabel-" + c), DatasetRelabelResult::getDatasetArtifactId), null));
                steps.add(evaluate("eval-relabel-" + c, "train-relabel-" + c, false));
                steps.add(spec(new EvaluateLeakageSpec())
                        .take(EvaluateLeakageSpec::getModelArtifactId, model("train-adv"))
                        .take(EvaluateLeakageSpec::getConstructedArtifactId, constructed(c))
                        .take(EvaluateLeakageSpec::getOriginalArtifactId, TRAIN_SET)
                        .step(name("leak-" + c), "Robust-feature leakage of " + datasetName(c)
                                + ": the robust model's agreement with its labels", JobTypeCatalog.EVALUATE_LEAKAGE));
            }
        }

        /** Figure 3: for each architecture a model trained on D (the transfer target) and one on D_det. */
        private void addTransfer(List<StepDefinition> steps) {
            TransferParameters transfer = p.getTransfer();
            TrainingParameters t = p.getTraining();
            List<Output<UUID>> targets = new ArrayList<>();
            for (ArchitectureName a : transfer.getArchitectures()) {
                if (a == arch) {
                    targets.add(model("train-std"));
                    continue;
                }
                steps.add(train("train-std-" + a.getValue(), "Standard training on D (" + a.getValue() + ")", TRAIN_SET, a,
                        p.getTrainLimit(), t.getEpochs(), t.getLearningRate(), t.getAugmentation(), seed, null));
                targets.add(model("train-std-" + a.getValue()));
                steps.add(trainDerived("det", a, "train-det-" + a.getValue(), constructed("det"), null));
                steps.add(evaluate("eval-det-" + a.getValue(), "train-det-" + a.getValue(), false));
            }
            ArchitectureName source = transfer.getSourceArchitecture();
            steps.add(train("train-source", "Transfer source: standard training on D (" + source.getValue() + ", another seed)",
                    TRAIN_SET, source, p.getTrainLimit(), t.getEpochs(), t.getLearningRate(), t.getAugmentation(), seed + 1, null));
            steps.add(spec(new TransferEvaluationSpec().testLimit(transfer.getTestLimit()).attack(transfer.getAttack()))
                    .take(TransferEvaluationSpec::getSourceModelArtifactId, model("train-source"))
                    .take(TransferEvaluationSpec::getTestArtifactId, TEST_SET)
                    .takeAll(TransferEvaluationSpec::getTargetModelArtifactIds, targets)
                    .step(name("transfer"), "Transfer of the source's adversarial examples to each architecture",
                            JobTypeCatalog.EVALUATE_TRANSFER));
        }

        private StepDefinition train(String base, String title, Output<UUID> data, ArchitectureName architecture, Integer limit,
                                     int epochs, float learningRate, AugmentationSpec augmentation, long modelSeed,
                                     AdversarialTrainingParameters adversarial) {
            TrainingParameters t = p.getTraining();
            TrainClassifierSpec spec = new TrainClassifierSpec().architecture(architecture).trainLimit(limit).epochs(epochs)
                    .batchSize(t.getBatchSize()).learningRate(learningRate)
                    .schedule(TrainClassifierSpec.ScheduleEnum.fromValue(t.getSchedule().getValue())).augmentation(augmentation)
                    .adversarial(adversarial == null ? null : adversarial.getAttack()).seed(modelSeed);
            if (t.getStepEvery() != null) {
                spec.stepEvery(t.getStepEvery());
            }
            return spec(spec).take(TrainClassifierSpec::getTrainArtifactId, data)
                    .step(name(base), title + replicateTitle(), JobTypeCatalog.TRAIN_CLASSIFIER);
        }

        /** Standard training with construction {@code c}'s recipe on {@code data} (its first {@code limit} examples). */
        private StepDefinition trainDerived(String c, ArchitectureName architecture, String base, Output<UUID> data, Integer limit) {
            DerivedTrainingParameters d = p.getDerivedTraining();
            String title = limit == null ? "Standard training on " + datasetName(c)
                    : "Same-size control: the first " + limit + " images of D with true labels, " + datasetName(c) + "'s recipe";
            return train(base, title + " (" + architecture.getValue() + ")", data, architecture, limit, d.getEpochs(),
                    learningRate(p, c), augmented(p, c) ? d.getAugmentation() : null, seed, null);
        }

        private StepDefinition construct(String construction) {
            var c = p.getConstruction();
            boolean inversion = construction.equals("robust") || construction.equals("nonrobust");
            DatasetConstructSpec spec = new DatasetConstructSpec()
                    .construction(DatasetConstructSpec.ConstructionEnum.fromValue(construction))
                    .trainLimit(c.getLimit()).shardSize(c.getShardSize()).batchSize(c.getBatchSize()).seed(seed);
            if (inversion) {
                spec.steps(c.getInversionSteps()).stepSize(c.getInversionStepSize()).normalizedLoss(c.getNormalizedLoss())
                        .start(DatasetConstructSpec.StartEnum.fromValue(c.getStart().getValue()));
                if (c.getStraightThroughRelu() != null) {
                    spec.straightThroughRelu(c.getStraightThroughRelu());
                }
            } else {
                spec.steps(c.getTargetedSteps()).stepSize(c.getTargetedStepSize()).eps(c.getTargetedEps());
            }
            return spec(spec)
                    .take(DatasetConstructSpec::getModelArtifactId, model(construction.equals("robust") ? "train-adv" : "train-std"))
                    .take(DatasetConstructSpec::getTrainArtifactId, TRAIN_SET)
                    .followed(name("construct-" + construction), "Build " + datasetName(construction) + " from the "
                                    + (construction.equals("robust") ? "robust" : "standard") + " model" + replicateTitle(),
                            JobTypeCatalog.DATASET_CONSTRUCT, DatasetConstructResult::getMergeJobId, JobTypeCatalog.CONSTRUCT_MERGE);
        }

        private StepDefinition evaluate(String base, String modelStep, boolean robust) {
            EvaluateClassifierSpec spec = new EvaluateClassifierSpec().testLimit(p.getTestLimit());
            if (robust) {
                spec.robustness(robustness());
            }
            return evaluation(spec, modelStep).step(name(base), "Evaluate " + name(modelStep)
                    + (robust ? " (standard and robust accuracy)" : " (test accuracy)"), JobTypeCatalog.EVALUATE_CLASSIFIER);
        }

        private StepSpec<EvaluateClassifierSpec> evaluation(EvaluateClassifierSpec spec, String modelStep) {
            return spec(spec).take(EvaluateClassifierSpec::getModelArtifactId, model(modelStep))
                    .take(EvaluateClassifierSpec::getTestArtifactId, TEST_SET);
        }

        /** PGD over robustness.eps, as the parameters set it. */
        private RobustnessSpec robustness() {
            RobustnessParameters r = p.getRobustness();
            RobustnessSpec spec = new RobustnessSpec().norm(RobustnessSpec.NormEnum.fromValue(r.getNorm().getValue()))
                    .steps(r.getSteps()).testLimit(r.getTestLimit()).eps(List.copyOf(r.getEps()));
            if (r.getRestarts() != null) {
                spec.restarts(r.getRestarts());
            }
            return spec;
        }

        /**
         * The headline robust accuracy of a model under the attack suite (robustness.suite) at
         * robustness.suiteEps, on the same test examples as the PGD curve (PGD runs beside it, with
         * Figure 2's restarts, so the two columns compare).
         */
        private void addSuite(List<StepDefinition> steps, String model) {
            if (!hasSuite(p)) {
                return;
            }
            RobustnessParameters r = p.getRobustness();
            RobustnessSpec suite = robustness().attack(RobustnessSpec.AttackEnum.fromValue(r.getSuite().getValue())).seed(seed)
                    .eps(List.of(r.getSuiteEps()));
            steps.add(evaluation(new EvaluateClassifierSpec().testLimit(p.getTestLimit()).robustness(suite), "train-" + model)
                    .step(name("suite-" + model), "Robust accuracy of " + name("train-" + model) + " under " + r.getSuite().getValue()
                            + " (" + r.getNorm().getValue() + " eps " + r.getSuiteEps() + ")",
                            JobTypeCatalog.EVALUATE_CLASSIFIER));
        }

        /** The feature audit of a model: which of its representation units are robust-useful, useful-non-robust or neither. */
        private StepDefinition audit(String base, String modelStep) {
            var a = p.getAudit();
            FeatureAuditSpec spec = new FeatureAuditSpec().limit(a.getLimit()).trainLimit(a.getTrainLimit())
                    .imagesPerPass(a.getImagesPerPass()).seed(seed).attack(a.getAttack())
                    .thresholds(new FeatureAuditSpecThresholds().rho(a.getRhoThreshold()).gamma(a.getGammaThreshold()))
                    .probe(new FeatureAuditSpecProbe().epochs(a.getProbeEpochs()).evaluationLimit(a.getProbeEvaluationLimit()));
            return spec(spec).take(FeatureAuditSpec::getModelArtifactId, model(modelStep))
                    .take(FeatureAuditSpec::getDatasetArtifactId, TEST_SET)
                    .take(FeatureAuditSpec::getTrainArtifactId, TRAIN_SET)
                    .step(name(base), "Feature audit of " + name(modelStep) + " (useful, robust-useful, useful-non-robust units)",
                            JobTypeCatalog.EVALUATE_AUDIT);
        }

        private String replicateTitle() {
            return k == 1 ? "" : ", replicate " + k;
        }
    }

    static StepRecord step(List<StepRecord> steps, String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }
}
