package io.robustlab.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.jobtypes.JobTypeDefinition;
import io.robustlab.api.jobtypes.SpecValidator;
import io.robustlab.api.model.DatasetImportResult;
import io.robustlab.api.model.DatasetImportSpec;
import io.robustlab.api.model.EvaluateClassifierSpec;
import io.robustlab.api.model.TrainClassifierResult;
import jakarta.validation.Validation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The template as it is loaded, without a database: every preset expands into steps that read only
 * outputs their producers have, and whose specs, with each reference standing in for a value, are
 * valid specs of their job types. A template naming a field its producer does not output fails here.
 */
class FeaturesNotBugsTemplateTest {

    static final List<String> PRESETS = FeaturesNotBugs.PRESETS;
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final SpecValidator validator = new SpecValidator(json, Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator());
    private final FeaturesNotBugs template = new FeaturesNotBugs(json);

    @ParameterizedTest
    @FieldSource("PRESETS")
    void everyPresetBuildsStepsWhoseReferencesAndSpecsCheck(String preset) {
        ObjectNode parameters = template.presets().get(preset);
        if (!parameters.has("dataDirectory")) {
            parameters.put("dataDirectory", "data/" + preset);
        }
        List<StepDefinition> steps = template.steps(parameters);
        ExperimentEngine.checkOrder(steps);
        for (StepDefinition s : steps) {
            JobTypeDefinition type = JobTypeCatalog.find(s.jobType()).orElseThrow();
            Map<String, JsonNode> stand = new HashMap<>();
            // Every reference resolves to a value of its field's type: here a fresh id for an artifact or a model.
            s.dependsOn().forEach(d -> stand.put(d, standIn(steps, d)));
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = json.convertValue(References.resolve(s.specTemplate(), stand), Map.class);
            assertThat(validator.validate(type, spec)).as(s.name()).isNotBlank();
        }
    }

    /** What a step's output looks like for the fields the template reads: an id wherever it reads one. */
    private static JsonNode standIn(List<StepDefinition> steps, String step) {
        ObjectNode out = json.createObjectNode();
        steps.stream().flatMap(s -> s.reads().stream()).filter(r -> r.step().equals(step)).forEach(r -> {
            String[] path = r.path().split("\\.");
            ObjectNode node = out;
            for (int i = 0; i < path.length - 1; i++) {
                node = node.has(path[i]) ? (ObjectNode) node.get(path[i]) : node.putObject(path[i]);
            }
            node.put(path[path.length - 1], UUID.randomUUID().toString());
        });
        return out;
    }

    @Test
    void aStepReadingAFieldItsProducerDoesNotOutputFailsWhenTheTemplateIsBuilt() {
        StepDefinition importStep = StepSpec.of(new DatasetImportSpec(DatasetImportSpec.DatasetEnum.FASHION_MNIST), json)
                .step("import", "Import", JobTypeCatalog.DATASET_IMPORT);
        // A model id read from the import: the import outputs a DatasetImportResult, not a TrainClassifierResult.
        StepDefinition wrong = StepSpec.of(new EvaluateClassifierSpec(), json)
                .take(EvaluateClassifierSpec::getModelArtifactId, Output.of("import", TrainClassifierResult::getModelArtifactId))
                .step("eval", "Evaluate", JobTypeCatalog.EVALUATE_CLASSIFIER);
        assertThatThrownBy(() -> ExperimentEngine.checkOrder(List.of(importStep, wrong)))
                .hasMessageContaining("reads modelArtifactId of a TrainClassifierResult from step import, whose output is a DatasetImportResult");
        StepDefinition early = StepSpec.of(new EvaluateClassifierSpec(), json)
                .take(EvaluateClassifierSpec::getTestArtifactId, Output.of("later", DatasetImportResult::getTest,
                        io.robustlab.api.model.DatasetImportSplit::getArtifactId))
                .step("eval", "Evaluate", JobTypeCatalog.EVALUATE_CLASSIFIER);
        assertThatThrownBy(() -> ExperimentEngine.checkOrder(List.of(early))).hasMessageContaining("does not come before it");
    }

    @Test
    void aStepSpecMustBeItsJobTypesSpecAndAFollowFieldItsResults() {
        StepSpec<EvaluateClassifierSpec> eval = StepSpec.of(new EvaluateClassifierSpec(), json);
        assertThatThrownBy(() -> eval.step("x", "x", JobTypeCatalog.TRAIN_CLASSIFIER)).hasMessageContaining("train.classifier specs are");
        assertThatThrownBy(() -> eval.followed("x", "x", JobTypeCatalog.EVALUATE_CLASSIFIER, TrainClassifierResult::getModelArtifactId,
                JobTypeCatalog.CONSTRUCT_MERGE)).hasMessageContaining("eval.classifier results are EvaluateClassifierResult");
    }

    @Test
    void outputsAreNamedByTheResultModelsJsonNames() {
        assertThat(Output.of("import", DatasetImportResult::getTrain, io.robustlab.api.model.DatasetImportSplit::getArtifactId).reference())
                .isEqualTo("${import.train.artifactId}");
        assertThat(Output.of("train-std", TrainClassifierResult::getModelArtifactId).resultClass()).isEqualTo(TrainClassifierResult.class);
    }

    /** A catalogue of two uploads: 3 x 28 x 28 letters and 3 x 10 x 10 thumbnails. */
    private static final UUID LETTERS_TRAIN = UUID.randomUUID();
    private static final UUID LETTERS_TEST = UUID.randomUUID();
    private static final UUID THUMBNAILS = UUID.randomUUID();
    private final FeaturesNotBugs withUploads = new FeaturesNotBugs(json, ServerFolders.ANY, id ->
            id.equals(LETTERS_TRAIN) || id.equals(LETTERS_TEST) ? java.util.Optional.of(split(28))
                    : id.equals(THUMBNAILS) ? java.util.Optional.of(split(10)) : java.util.Optional.empty());

    private static io.robustlab.api.artifacts.DatasetSplitMetadata split(int side) {
        return new io.robustlab.api.artifacts.DatasetSplitMetadata("uploaded", "train", 100, null, List.of(3, side, side), 8, null, "x", "npz");
    }

    private ObjectNode smokeOn(UUID train, UUID test) {
        ObjectNode p = template.presets().get("smoke");
        p.put("dataset", "artifacts");
        if (train != null) {
            p.put("trainArtifactId", train.toString());
        }
        if (test != null) {
            p.put("testArtifactId", test.toString());
        }
        return p;
    }

    @Test
    void uploadedArtifactsAreTheImportStepsSubject() {
        List<StepDefinition> steps = withUploads.steps(smokeOn(LETTERS_TRAIN, LETTERS_TEST));
        ExperimentEngine.checkOrder(steps);
        DatasetImportSpec spec = json.treeToValue(steps.get(0).specTemplate(), DatasetImportSpec.class);
        assertThat(spec.getDataset()).isEqualTo(DatasetImportSpec.DatasetEnum.ARTIFACTS);
        assertThat(spec.getTrainArtifactId()).isEqualTo(LETTERS_TRAIN);
        assertThat(spec.getTestArtifactId()).isEqualTo(LETTERS_TEST);
    }

    @Test
    void uploadedArtifactsThatAreMissingUnknownOrOfTwoShapesAreRefusedNamingTheParameter() {
        assertRefused(smokeOn(LETTERS_TRAIN, null), "parameters.testArtifactId", "is required for dataset artifacts");
        UUID unknown = UUID.randomUUID();
        assertRefused(smokeOn(unknown, LETTERS_TEST), "parameters.trainArtifactId", "names no dataset artifact (" + unknown + ")");
        assertRefused(smokeOn(LETTERS_TRAIN, THUMBNAILS), "parameters.testArtifactId",
                "holds images of 3 x 10 x 10, the training split 3 x 28 x 28: they must agree");
        ObjectNode named = template.presets().get("smoke");
        named.put("trainArtifactId", LETTERS_TRAIN.toString());
        assertRefused(named, "parameters.trainArtifactId", "is taken only with dataset artifacts");
    }

    @Test
    void anArchitectureThatCannotTakeTheImagesIsRefusedNamingThoseThatCan() {
        assertRefused(smokeOn(THUMBNAILS, THUMBNAILS), "parameters.transfer.architectures",
                "lenet cannot take 3 x 10 x 10 images (it needs a side of at least 12); architectures that can:"
                        + " small-cnn, mlp, linear, resnet18, resnet50, vgg16, densenet");
        ObjectNode lenet = smokeOn(THUMBNAILS, THUMBNAILS);
        lenet.put("architecture", "lenet");
        assertRefused(lenet, "parameters.architecture", "lenet cannot take 3 x 10 x 10 images (it needs a side of at least 12);"
                + " architectures that can: small-cnn, mlp, linear, resnet18, resnet50, vgg16, densenet");
    }

    private void assertRefused(ObjectNode parameters, String field, String message) {
        assertThatThrownBy(() -> withUploads.steps(parameters)).isInstanceOfSatisfying(io.robustlab.api.jobtypes.InvalidSpecException.class,
                e -> assertThat(e.violations()).containsExactly(new io.robustlab.api.jobtypes.InvalidSpecException.Violation(field, message)));
    }
}
