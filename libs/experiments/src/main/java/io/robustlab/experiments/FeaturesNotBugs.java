package io.robustlab.experiments;

import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.model.FeaturesNotBugsParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The paper's experiment: standard and adversarial training on D; D_R, D_NR, D_rand and D_det built
 * from those models; a standard model trained on each; every model evaluated (standard accuracy,
 * robust accuracy over an eps list); the transfer study of Figure 3 over several architectures; a
 * feature audit of the standard and the robust model (the paper's definitions, measured); and the
 * controls a reviewer asks for: a same-size model per derived-training recipe, the relabelled
 * originals of D_rand and D_det, and the robust model's leakage on them. Everything but the import is
 * repeated per replicate with its own seed, and the report judges each claim from the replicates.
 */
public final class FeaturesNotBugs implements ExperimentTemplate {

    public static final String NAME = "features-not-bugs";
    /** The four constructions, in the paper's order. */
    public static final List<String> CONSTRUCTIONS = List.of("robust", "nonrobust", "rand", "det");
    public static final List<String> PRESETS = List.of("smoke", "cpu", "cpu-replicated", "paper");

    private final JsonMapper json;
    private final Map<String, ObjectNode> presets = new LinkedHashMap<>();

    public FeaturesNotBugs(JsonMapper json) {
        this.json = json;
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
    public List<StepDefinition> steps(ObjectNode parameters) {
        Parameters p = new Parameters(parameters);
        checkConsistent(p);
        List<StepDefinition> steps = new ArrayList<>();
        ObjectNode importSpec = object().put("dataset", p.text("dataset"));
        if (p.has("dataDirectory")) {
            importSpec.put("directory", p.text("dataDirectory"));
        }
        // The import is the only step every replicate shares: nothing in it depends on a seed.
        steps.add(new StepDefinition("import", "Import " + p.text("dataset"), "dataset.import", importSpec, null));
        // Replicate after replicate: a step's position is its priority, so the first replicate finishes first.
        for (int k = 1; k <= replicates(p); k++) {
            new Replicate(p, k).addSteps(steps);
        }
        return steps;
    }

    static int replicates(Parameters p) {
        return p.has("replicates") ? p.integer("replicates") : 1;
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
    static String sameSizeControl(Parameters p, String c) {
        return "same-" + CONSTRUCTIONS.stream().filter(o -> recipe(p, o).equals(recipe(p, c))).findFirst().orElseThrow();
    }

    private static String recipe(Parameters p, String c) {
        return p.number("derivedTraining.learningRates." + c) + "/" + augmented(p, c);
    }

    private static boolean augmented(Parameters p, String c) {
        return p.has("derivedTraining.augmented") && p.texts("derivedTraining.augmented").contains(c);
    }

    /** The constructions whose labels are not the images' own: their relabelled originals are a control. */
    public static final List<String> RELABELLED = List.of("rand", "det");

    /** The steps of one replicate, with its own seed. */
    private final class Replicate {

        private final Parameters p;
        private final int k;
        private final long seed;
        private final String arch;
        /** The imported training set (shared by every replicate), as a reference for a step's spec. */
        private final String trainSetRef = References.to("import", "train.artifactId");

        Replicate(Parameters p, int k) {
            this.p = p;
            this.k = k;
            this.seed = p.longValue("seed") + 1000L * (k - 1);
            this.arch = p.text("architecture");
        }

        private String name(String base) {
            return stepName(base, k);
        }

        private String ref(String base, String field) {
            return References.to(name(base), field);
        }

        void addSteps(List<StepDefinition> steps) {
            steps.add(train("train-std", "Standard training on D (" + arch + ")", trainSetRef, arch, p.integer("trainLimit"),
                    p.integer("training.epochs"), p.number("training.learningRate"), p.has("training.augmentation")
                            ? p.node("training.augmentation") : null, seed));
            int advLimit = p.has("adversarialTraining.trainLimit") ? p.integer("adversarialTraining.trainLimit") : p.integer("trainLimit");
            StepDefinition adv = train("train-adv", "Adversarial training on D (" + arch + ")", trainSetRef, arch, advLimit,
                    p.integer("adversarialTraining.epochs"), p.number("training.learningRate"), p.has("training.augmentation")
                            ? p.node("training.augmentation") : null, seed);
            adv.specTemplate().set("adversarial", p.node("adversarialTraining.attack").deepCopy());
            steps.add(adv);

            for (String c : CONSTRUCTIONS) {
                steps.add(construct(c));
            }
            for (String c : CONSTRUCTIONS) {
                steps.add(trainDerived(c, arch, "train-" + c, ref("construct-" + c, "datasetArtifactId"), null));
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
                steps.add(trainDerived(c, arch, "train-" + control, trainSetRef, p.integer("construction.limit")));
                steps.add(evaluate("eval-" + control, "train-" + control, robust));
                if (robust) {
                    addSuite(steps, control);
                }
            }
            for (String c : RELABELLED) {
                ObjectNode relabel = object().put("imagesArtifactId", trainSetRef)
                        .put("labelsArtifactId", ref("construct-" + c, "datasetArtifactId"));
                steps.add(new StepDefinition(name("relabel-" + c), "Relabelled originals of " + datasetName(c)
                        + ": the same images unperturbed, with its labels", "dataset.relabel", relabel, null));
                steps.add(trainDerived(c, arch, "train-relabel-" + c, ref("relabel-" + c, "datasetArtifactId"), null));
                steps.add(evaluate("eval-relabel-" + c, "train-relabel-" + c, false));
                ObjectNode leakage = object().put("modelArtifactId", ref("train-adv", "modelArtifactId"))
                        .put("constructedArtifactId", ref("construct-" + c, "datasetArtifactId"))
                        .put("originalArtifactId", trainSetRef);
                steps.add(new StepDefinition(name("leak-" + c), "Robust-feature leakage of " + datasetName(c)
                        + ": the robust model's agreement with its labels", "eval.leakage", leakage, null));
            }
        }

        /** Figure 3: for each architecture a model trained on D (the transfer target) and one on D_det. */
        private void addTransfer(List<StepDefinition> steps) {
            ArrayNode targets = json.createArrayNode();
            for (String a : p.texts("transfer.architectures")) {
                if (a.equals(arch)) {
                    targets.add(ref("train-std", "modelArtifactId"));
                    continue;
                }
                steps.add(train("train-std-" + a, "Standard training on D (" + a + ")", trainSetRef, a, p.integer("trainLimit"),
                        p.integer("training.epochs"), p.number("training.learningRate"),
                        p.has("training.augmentation") ? p.node("training.augmentation") : null, seed));
                targets.add(ref("train-std-" + a, "modelArtifactId"));
                steps.add(trainDerived("det", a, "train-det-" + a, ref("construct-det", "datasetArtifactId"), null));
                steps.add(evaluate("eval-det-" + a, "train-det-" + a, false));
            }
            String source = p.text("transfer.sourceArchitecture");
            steps.add(train("train-source", "Transfer source: standard training on D (" + source + ", another seed)", trainSetRef, source,
                    p.integer("trainLimit"), p.integer("training.epochs"), p.number("training.learningRate"),
                    p.has("training.augmentation") ? p.node("training.augmentation") : null, seed + 1));
            ObjectNode transfer = object()
                    .put("sourceModelArtifactId", ref("train-source", "modelArtifactId"))
                    .put("testArtifactId", References.to("import", "test.artifactId"))
                    .put("testLimit", p.integer("transfer.testLimit"));
            transfer.set("targetModelArtifactIds", targets);
            transfer.set("attack", p.node("transfer.attack").deepCopy());
            steps.add(new StepDefinition(name("transfer"), "Transfer of the source's adversarial examples to each architecture",
                    "eval.transfer", transfer, null));
        }

        private StepDefinition train(String base, String title, String trainRef, String architecture, Integer limit, int epochs,
                                     double learningRate, JsonNode augmentation, long modelSeed) {
            ObjectNode spec = object().put("trainArtifactId", trainRef).put("architecture", architecture)
                    .put("epochs", epochs)
                    .put("batchSize", p.integer("training.batchSize"))
                    .put("learningRate", learningRate)
                    .put("schedule", p.text("training.schedule"))
                    .put("seed", modelSeed);
            if (limit != null) {
                spec.put("trainLimit", limit);
            }
            if (p.has("training.stepEvery")) {
                spec.put("stepEvery", p.integer("training.stepEvery"));
            }
            if (augmentation != null) {
                spec.set("augmentation", augmentation.deepCopy());
            }
            return new StepDefinition(name(base), title + replicateTitle(), "train.classifier", spec, null);
        }

        /** Standard training with construction {@code c}'s recipe on {@code data} (its first {@code limit} examples). */
        private StepDefinition trainDerived(String c, String architecture, String base, String data, Integer limit) {
            JsonNode augmentation = augmented(p, c) ? p.node("derivedTraining.augmentation") : null;
            String title = limit == null ? "Standard training on " + datasetName(c)
                    : "Same-size control: the first " + limit + " images of D with true labels, " + datasetName(c) + "'s recipe";
            return train(base, title + " (" + architecture + ")", data, architecture, limit, p.integer("derivedTraining.epochs"),
                    p.number("derivedTraining.learningRates." + c), augmentation, seed);
        }

        private StepDefinition construct(String construction) {
            boolean inversion = construction.equals("robust") || construction.equals("nonrobust");
            String model = construction.equals("robust") ? "train-adv" : "train-std";
            ObjectNode spec = object().put("construction", construction)
                    .put("modelArtifactId", ref(model, "modelArtifactId"))
                    .put("trainArtifactId", trainSetRef)
                    .put("trainLimit", p.integer("construction.limit"))
                    .put("shardSize", p.integer("construction.shardSize"))
                    .put("batchSize", p.integer("construction.batchSize"))
                    .put("seed", seed);
            if (inversion) {
                spec.put("steps", p.integer("construction.inversionSteps"))
                        .put("stepSize", p.number("construction.inversionStepSize"))
                        .put("normalizedLoss", p.node("construction.normalizedLoss").asBoolean())
                        .put("start", p.text("construction.start"));
                if (p.has("construction.straightThroughRelu")) {
                    spec.put("straightThroughRelu", p.node("construction.straightThroughRelu").asBoolean());
                }
            } else {
                spec.put("steps", p.integer("construction.targetedSteps"))
                        .put("stepSize", p.number("construction.targetedStepSize"))
                        .put("eps", p.number("construction.targetedEps"));
            }
            return new StepDefinition(name("construct-" + construction), "Build " + datasetName(construction) + " from the "
                    + (construction.equals("robust") ? "robust" : "standard") + " model" + replicateTitle(), "dataset.construct", spec,
                    "mergeJobId");
        }

        private StepDefinition evaluate(String base, String modelStep, boolean robust) {
            ObjectNode spec = object().put("modelArtifactId", ref(modelStep, "modelArtifactId"))
                    .put("testArtifactId", References.to("import", "test.artifactId"))
                    .put("testLimit", p.integer("testLimit"));
            if (robust) {
                ObjectNode r = object().put("norm", p.text("robustness.norm")).put("steps", p.integer("robustness.steps"))
                        .put("testLimit", p.integer("robustness.testLimit"));
                if (p.has("robustness.restarts")) {
                    r.put("restarts", p.integer("robustness.restarts"));
                }
                r.set("eps", p.node("robustness.eps").deepCopy());
                spec.set("robustness", r);
            }
            return new StepDefinition(name(base), "Evaluate " + name(modelStep) + (robust ? " (standard and robust accuracy)" : " (test accuracy)"),
                    "eval.classifier", spec, null);
        }

        /**
         * The headline robust accuracy of a model under the attack suite (robustness.suite) at
         * robustness.suiteEps, on the same test examples as the PGD curve (PGD runs beside it).
         */
        private void addSuite(List<StepDefinition> steps, String model) {
            if (!hasSuite(p)) {
                return;
            }
            ObjectNode r = object().put("norm", p.text("robustness.norm")).put("steps", p.integer("robustness.steps"))
                    .put("testLimit", p.integer("robustness.testLimit")).put("attack", p.text("robustness.suite")).put("seed", seed);
            if (p.has("robustness.restarts")) {
                // PGD beside the suite as PGD in Figure 2, so the two columns compare.
                r.put("restarts", p.integer("robustness.restarts"));
            }
            r.set("eps", json.createArrayNode().add(p.number("robustness.suiteEps")));
            ObjectNode spec = object().put("modelArtifactId", ref("train-" + model, "modelArtifactId"))
                    .put("testArtifactId", References.to("import", "test.artifactId"))
                    .put("testLimit", p.integer("testLimit"));
            spec.set("robustness", r);
            steps.add(new StepDefinition(name("suite-" + model), "Robust accuracy of " + name("train-" + model) + " under "
                    + p.text("robustness.suite") + " (" + p.text("robustness.norm") + " eps " + p.number("robustness.suiteEps") + ")",
                    "eval.classifier", spec, null));
        }

        /** The feature audit of a model: which of its representation units are robust-useful, useful-non-robust or neither. */
        private StepDefinition audit(String base, String modelStep) {
            ObjectNode spec = object().put("modelArtifactId", ref(modelStep, "modelArtifactId"))
                    .put("datasetArtifactId", References.to("import", "test.artifactId"))
                    .put("trainArtifactId", trainSetRef)
                    .put("limit", p.integer("audit.limit"))
                    .put("trainLimit", p.integer("audit.trainLimit"))
                    .put("imagesPerPass", p.integer("audit.imagesPerPass"))
                    .put("seed", seed);
            spec.set("attack", p.node("audit.attack").deepCopy());
            spec.set("thresholds", object().put("rho", p.number("audit.rhoThreshold")).put("gamma", p.number("audit.gammaThreshold")));
            spec.set("probe", object().put("epochs", p.integer("audit.probeEpochs"))
                    .put("evaluationLimit", p.integer("audit.probeEvaluationLimit")));
            return new StepDefinition(name(base), "Feature audit of " + name(modelStep)
                    + " (useful, robust-useful, useful-non-robust units)", "eval.audit", spec, null);
        }

        private String replicateTitle() {
            return k == 1 ? "" : ", replicate " + k;
        }
    }

    /** Whether the headline robust accuracies also come from an attack suite (robustness.suite other than none). */
    static boolean hasSuite(Parameters p) {
        return p.has("robustness.suite") && !p.text("robustness.suite").equals("none");
    }

    /** What the schema cannot say. */
    private static void checkConsistent(Parameters p) {
        if (hasSuite(p) && !p.has("robustness.suiteEps")) {
            throw Parameters.invalid("robustness.suiteEps", "is required when robustness.suite is " + p.text("robustness.suite"));
        }
        if (p.has("robustness.headlineEps") && !p.numbers("robustness.eps").contains(p.number("robustness.headlineEps"))) {
            throw Parameters.invalid("robustness.headlineEps", "must be one of robustness.eps " + p.numbers("robustness.eps"));
        }
        if (p.text("dataset").equals("cifar10") && !p.has("dataDirectory")) {
            throw Parameters.invalid("dataDirectory", "is required for cifar10 (the folder with data_batch_1.bin ... test_batch.bin)");
        }
        List<String> archs = p.texts("transfer.architectures");
        if (archs.stream().distinct().count() != archs.size()) {
            throw Parameters.invalid("transfer.architectures", "lists an architecture twice");
        }
        if (p.has("derivedTraining.augmented") && !p.texts("derivedTraining.augmented").isEmpty() && !p.has("derivedTraining.augmentation")) {
            throw Parameters.invalid("derivedTraining.augmentation", "is required when derivedTraining.augmented names a dataset");
        }
    }

    private ObjectNode object() {
        return json.createObjectNode();
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

    @Override
    public ExperimentReport report(ExperimentRecord experiment, List<StepRecord> steps) {
        return new FeaturesNotBugsReport(experiment, steps, json).build();
    }

    static JsonNode outputs(List<StepRecord> steps, String name) {
        return steps.stream().filter(s -> s.name().equals(name) && s.outputs() != null).map(StepRecord::outputs).findFirst()
                .orElse(null);
    }
}
