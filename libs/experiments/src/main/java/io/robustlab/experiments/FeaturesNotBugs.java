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
 * robust accuracy over an eps list); the transfer study of Figure 3 over several architectures; and a
 * feature audit of the standard and the robust model (the paper's definitions, measured).
 */
public final class FeaturesNotBugs implements ExperimentTemplate {

    public static final String NAME = "features-not-bugs";
    /** The four constructions, in the paper's order. */
    public static final List<String> CONSTRUCTIONS = List.of("robust", "nonrobust", "rand", "det");
    public static final List<String> PRESETS = List.of("smoke", "cpu", "paper");

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
                + " D_NR), Table 1 (D_rand, D_det), Figure 3 (transfer vs D_det accuracy), accuracy-vs-eps curves and sample grids.";
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
        String arch = p.text("architecture");
        List<StepDefinition> steps = new ArrayList<>();

        ObjectNode importSpec = object().put("dataset", p.text("dataset"));
        if (p.has("dataDirectory")) {
            importSpec.put("directory", p.text("dataDirectory"));
        }
        steps.add(new StepDefinition("import", "Import " + p.text("dataset"), "dataset.import", importSpec, null));
        String train = References.to("import", "train.artifactId");

        steps.add(train("train-std", "Standard training on D (" + arch + ")", p, train, arch, p.integer("trainLimit"),
                p.integer("training.epochs"), p.number("training.learningRate"), true, p.longValue("seed")));
        int advLimit = p.has("adversarialTraining.trainLimit") ? p.integer("adversarialTraining.trainLimit") : p.integer("trainLimit");
        StepDefinition adv = train("train-adv", "Adversarial training on D (" + arch + ")", p, train, arch, advLimit,
                p.integer("adversarialTraining.epochs"), p.number("training.learningRate"), true, p.longValue("seed"));
        adv.specTemplate().set("adversarial", p.node("adversarialTraining.attack").deepCopy());
        steps.add(adv);

        for (String c : CONSTRUCTIONS) {
            steps.add(construct(p, c, train));
        }
        for (String c : CONSTRUCTIONS) {
            steps.add(trainDerived(p, c, arch, "train-" + c));
        }
        for (String m : List.of("std", "adv", "robust", "nonrobust")) {
            steps.add(evaluate(p, "eval-" + m, "train-" + m, true));
        }
        steps.add(evaluate(p, "eval-rand", "train-rand", false));
        steps.add(evaluate(p, "eval-det", "train-det", false));
        steps.add(audit(p, "audit-std", "train-std"));
        steps.add(audit(p, "audit-adv", "train-adv"));

        // Figure 3: for each architecture a model trained on D (the transfer target) and one on D_det.
        ArrayNode targets = json.createArrayNode();
        for (String a : p.texts("transfer.architectures")) {
            if (a.equals(arch)) {
                targets.add(References.to("train-std", "modelArtifactId"));
                continue;
            }
            steps.add(train("train-std-" + a, "Standard training on D (" + a + ")", p, train, a, p.integer("trainLimit"),
                    p.integer("training.epochs"), p.number("training.learningRate"), true, p.longValue("seed")));
            targets.add(References.to("train-std-" + a, "modelArtifactId"));
            steps.add(trainDerived(p, "det", a, "train-det-" + a));
            steps.add(evaluate(p, "eval-det-" + a, "train-det-" + a, false));
        }
        String source = p.text("transfer.sourceArchitecture");
        steps.add(train("train-source", "Transfer source: standard training on D (" + source + ", another seed)", p, train, source,
                p.integer("trainLimit"), p.integer("training.epochs"), p.number("training.learningRate"), true, p.longValue("seed") + 1));
        ObjectNode transfer = object()
                .put("sourceModelArtifactId", References.to("train-source", "modelArtifactId"))
                .put("testArtifactId", References.to("import", "test.artifactId"))
                .put("testLimit", p.integer("transfer.testLimit"));
        transfer.set("targetModelArtifactIds", targets);
        transfer.set("attack", p.node("transfer.attack").deepCopy());
        steps.add(new StepDefinition("transfer", "Transfer of the source's adversarial examples to each architecture", "eval.transfer",
                transfer, null));
        return steps;
    }

    /** What the schema cannot say. */
    private static void checkConsistent(Parameters p) {
        if (!p.numbers("robustness.eps").contains(p.number("robustness.headlineEps"))) {
            throw Parameters.invalid("robustness.headlineEps", "must be one of robustness.eps " + p.numbers("robustness.eps"));
        }
        if (p.text("dataset").equals("cifar10") && !p.has("dataDirectory")) {
            throw Parameters.invalid("dataDirectory", "is required for cifar10 (the folder with data_batch_1.bin ... test_batch.bin)");
        }
        List<String> archs = p.texts("transfer.architectures");
        if (archs.stream().distinct().count() != archs.size()) {
            throw Parameters.invalid("transfer.architectures", "lists an architecture twice");
        }
    }

    private StepDefinition train(String name, String title, Parameters p, String trainRef, String arch, Integer limit, int epochs,
                                 double learningRate, boolean augment, long seed) {
        ObjectNode spec = object().put("trainArtifactId", trainRef).put("architecture", arch)
                .put("epochs", epochs)
                .put("batchSize", p.integer("training.batchSize"))
                .put("learningRate", learningRate)
                .put("schedule", p.text("training.schedule"))
                .put("seed", seed);
        if (limit != null) {
            spec.put("trainLimit", limit);
        }
        if (p.has("training.stepEvery")) {
            spec.put("stepEvery", p.integer("training.stepEvery"));
        }
        if (augment && p.has("training.augmentation")) {
            spec.set("augmentation", p.node("training.augmentation").deepCopy());
        }
        return new StepDefinition(name, title, "train.classifier", spec, null);
    }

    private StepDefinition trainDerived(Parameters p, String construction, String arch, String name) {
        boolean augment = p.has("derivedTraining.augmented") && p.texts("derivedTraining.augmented").contains(construction);
        return train(name, "Standard training on " + datasetName(construction) + " (" + arch + ")", p,
                References.to("construct-" + construction, "datasetArtifactId"), arch, null, p.integer("derivedTraining.epochs"),
                p.number("derivedTraining.learningRates." + construction), augment, p.longValue("seed"));
    }

    private StepDefinition construct(Parameters p, String construction, String trainRef) {
        boolean inversion = construction.equals("robust") || construction.equals("nonrobust");
        String model = construction.equals("robust") ? "train-adv" : "train-std";
        ObjectNode spec = object().put("construction", construction)
                .put("modelArtifactId", References.to(model, "modelArtifactId"))
                .put("trainArtifactId", trainRef)
                .put("trainLimit", p.integer("construction.limit"))
                .put("shardSize", p.integer("construction.shardSize"))
                .put("batchSize", p.integer("construction.batchSize"))
                .put("seed", p.longValue("seed"));
        if (inversion) {
            spec.put("steps", p.integer("construction.inversionSteps"))
                    .put("stepSize", p.number("construction.inversionStepSize"))
                    .put("normalizedLoss", p.node("construction.normalizedLoss").asBoolean())
                    .put("start", p.text("construction.start"));
        } else {
            spec.put("steps", p.integer("construction.targetedSteps"))
                    .put("stepSize", p.number("construction.targetedStepSize"))
                    .put("eps", p.number("construction.targetedEps"));
        }
        return new StepDefinition("construct-" + construction, "Build " + datasetName(construction) + " from the "
                + (construction.equals("robust") ? "robust" : "standard") + " model", "dataset.construct", spec, "mergeJobId");
    }

    private StepDefinition evaluate(Parameters p, String name, String modelStep, boolean robust) {
        ObjectNode spec = object().put("modelArtifactId", References.to(modelStep, "modelArtifactId"))
                .put("testArtifactId", References.to("import", "test.artifactId"))
                .put("testLimit", p.integer("testLimit"));
        if (robust) {
            ObjectNode r = object().put("norm", p.text("robustness.norm")).put("steps", p.integer("robustness.steps"))
                    .put("testLimit", p.integer("robustness.testLimit"));
            r.set("eps", p.node("robustness.eps").deepCopy());
            spec.set("robustness", r);
        }
        return new StepDefinition(name, "Evaluate " + modelStep + (robust ? " (standard and robust accuracy)" : " (test accuracy)"),
                "eval.classifier", spec, null);
    }

    /** The feature audit of a model: which of its representation units are robust-useful, useful-non-robust or neither. */
    private StepDefinition audit(Parameters p, String name, String modelStep) {
        ObjectNode spec = object().put("modelArtifactId", References.to(modelStep, "modelArtifactId"))
                .put("datasetArtifactId", References.to("import", "test.artifactId"))
                .put("trainArtifactId", References.to("import", "train.artifactId"))
                .put("limit", p.integer("audit.limit"))
                .put("trainLimit", p.integer("audit.trainLimit"))
                .put("imagesPerPass", p.integer("audit.imagesPerPass"))
                .put("seed", p.longValue("seed"));
        spec.set("attack", p.node("audit.attack").deepCopy());
        spec.set("thresholds", object().put("rho", p.number("audit.rhoThreshold")).put("gamma", p.number("audit.gammaThreshold")));
        spec.set("probe", object().put("epochs", p.integer("audit.probeEpochs"))
                .put("evaluationLimit", p.integer("audit.probeEvaluationLimit")));
        return new StepDefinition(name, "Feature audit of " + modelStep + " (useful, robust-useful, useful-non-robust units)",
                "eval.audit", spec, null);
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
