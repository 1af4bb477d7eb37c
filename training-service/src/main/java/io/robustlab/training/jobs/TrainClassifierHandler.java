package io.robustlab.training.jobs;

import ai.djl.Device;
import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.AugmentationSpec;
import io.robustlab.api.model.TrainClassifierEpoch;
import io.robustlab.api.model.TrainClassifierResult;
import io.robustlab.api.model.TrainClassifierSpec;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.jobs.worker.PermanentJobFailure;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Augmentation;
import io.robustlab.ml.data.ChannelStatistics;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.ml.train.ClassifierTrainer;
import io.robustlab.ml.train.EpochMetrics;
import io.robustlab.ml.train.Schedule;
import io.robustlab.ml.train.Selection;
import io.robustlab.ml.train.Sgd;
import io.robustlab.ml.train.TrainingSettings;
import io.robustlab.ml.train.TrainingState;
import io.robustlab.mlservice.MlSpecs;
import io.robustlab.mlservice.MlJobTools;
import io.robustlab.mlservice.ModelJobHandler;
import io.robustlab.mlservice.ThrottledProgress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code train.classifier}. Writes a checkpoint artifact after every epoch; when the job runs again
 * (its worker died, or shut down and handed it back) it loads that checkpoint and continues, so at
 * most one epoch is repeated and the result equals an uninterrupted run's.
 */
@Component
public class TrainClassifierHandler extends ModelJobHandler<TrainClassifierSpec, TrainClassifierResult> {

    static final String CHECKPOINT = "checkpoint.bin";
    static final String MODEL = "model.bin";

    private final TrainingMetrics metrics;

    public TrainClassifierHandler(MlJobTools tools, TrainingMetrics metrics) {
        super(JobTypeCatalog.TRAIN_CLASSIFIER, TrainClassifierSpec.class, TrainClassifierResult.class, tools);
        this.metrics = metrics;
    }

    @Override
    protected TrainClassifierResult run(TrainClassifierSpec spec, JobContext ctx) throws IOException {
        ctx.progress(0, "loading the training set");
        ImageDataset all = datasets.load(spec.getTrainArtifactId(), "spec.trainArtifactId", spec.getTrainLimit());
        ImageDataset[] split = all.splitValidation(spec.getValidationFraction(), spec.getSeed());
        ImageDataset train = split[0];
        ImageDataset validation = split[1];
        if (train.size() == 0) {
            throw new PermanentJobFailure("spec.validationFraction leaves no training examples");
        }
        TrainingSettings settings = settings(spec);
        Architecture architecture = Architecture.of(spec.getArchitecture().getValue());
        ChannelStatistics stats = ChannelStatistics.of(train);
        Classifier.ModelSpec modelSpec = new Classifier.ModelSpec(architecture, train.channels(), train.height(), train.width(),
                all.classes(), stats.mean(), stats.std());
        Device device = device(ctx);

        try (Classifier model = Classifier.create(modelSpec, device, spec.getSeed())) {
            Sgd sgd = new Sgd(model.manager(), settings.momentum(), settings.weightDecay());
            TrainingState state = resume(ctx, model, sgd).orElseGet(TrainingState::new);
            int resumedFrom = state.epochsDone();
            int batchesPerEpoch = (train.size() + settings.batchSize() - 1) / settings.batchSize();
            ProgressReporter reporter = new ProgressReporter(ctx, settings.epochs(), batchesPerEpoch, architecture, metrics, model, sgd);
            Work work = startWork();
            ClassifierTrainer.train(model, sgd, train, validation, settings, state, reporter);
            work.done((long) (state.epochsDone() - resumedFrom) * train.size());

            byte[] weights = state.bestWeights() != null ? state.bestWeights() : currentWeights(model);
            String metadata = json.writeValueAsString(Map.of(
                    "architecture", architecture.apiName(), "classes", modelSpec.classes(),
                    "inputShape", List.of(modelSpec.channels(), modelSpec.height(), modelSpec.width()),
                    "trainArtifactId", spec.getTrainArtifactId().toString(),
                    "adversarial", spec.getAdversarial() != null, "selectOn", apiName(settings.selectOn()),
                    "bestEpoch", state.bestEpoch(), "bestValidationAccuracy", state.bestValidationAccuracy(),
                    "bestRobustValidationAccuracy", state.bestRobustValidationAccuracy(),
                    "spec", json.readTree(ctx.spec())));
            Artifact saved = models.save(ctx.job().id(), MODEL, modelSpec, weights, metadata);
            return new TrainClassifierResult().modelArtifactId(saved.id()).architecture(spec.getArchitecture())
                    .trainExamples(train.size()).validationExamples(validation.size())
                    .selectOn(TrainClassifierResult.SelectOnEnum.fromValue(apiName(settings.selectOn())))
                    .bestEpoch(state.bestEpoch()).bestValidationAccuracy(state.bestValidationAccuracy())
                    .bestRobustValidationAccuracy(measured(state.bestRobustValidationAccuracy()))
                    .history(state.history().stream().map(TrainClassifierHandler::epoch).toList())
                    .device(DjlRuntime.name(device)).resumedFromEpoch(resumedFrom).mean(boxed(stats.mean())).std(boxed(stats.std()));
        }
    }

    static TrainingSettings settings(TrainClassifierSpec spec) {
        AugmentationSpec aug = spec.getAugmentation();
        Augmentation augmentation = aug == null ? Augmentation.NONE
                : new Augmentation(aug.getCropPadding() == null ? 0 : aug.getCropPadding(), Boolean.TRUE.equals(aug.getHorizontalFlip()));
        PgdSettings adversarial = spec.getAdversarial() == null ? null : MlSpecs.pgd(spec.getAdversarial());
        Selection selectOn = spec.getSelectOn() == null ? Selection.defaultFor(adversarial)
                : Selection.valueOf(spec.getSelectOn().getValue().toUpperCase(Locale.ROOT));
        if (selectOn == Selection.ROBUST && adversarial == null) {
            throw new PermanentJobFailure("spec.selectOn robust needs spec.adversarial: robust validation accuracy is measured under that attack");
        }
        return new TrainingSettings(spec.getEpochs(), spec.getBatchSize(), spec.getLearningRate(), spec.getMomentum(),
                spec.getWeightDecay(), Schedule.valueOf(spec.getSchedule().getValue().toUpperCase(Locale.ROOT)), spec.getStepEvery(),
                spec.getGamma(), augmentation, adversarial, selectOn, spec.getSeed());
    }

    private static String apiName(Selection selection) {
        return selection.name().toLowerCase(Locale.ROOT);
    }

    private Optional<TrainingState> resume(JobContext ctx, Classifier model, Sgd sgd) throws IOException {
        Optional<Artifact> checkpoint = artifacts.find(Artifacts.idFor(ctx.job().id(), CHECKPOINT));
        if (checkpoint.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = artifacts.open(checkpoint.get())) {
            TrainingState state = TrainingState.read(in, model, sgd);
            ctx.progress(0, "resumed from the checkpoint after epoch " + state.epochsDone());
            return Optional.of(state);
        }
    }

    private static byte[] currentWeights(Classifier model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        model.save(out);
        return out.toByteArray();
    }

    private static TrainClassifierEpoch epoch(EpochMetrics m) {
        return new TrainClassifierEpoch().epoch(m.epoch()).trainLoss(measured(m.trainLoss())).trainAccuracy(m.trainAccuracy())
                .validationAccuracy(measured(m.validationAccuracy())).robustValidationAccuracy(measured(m.robustValidationAccuracy()))
                .learningRate(m.learningRate()).seconds(m.seconds()).imagesPerSecond(m.imagesPerSecond());
    }

    /** NaN stands for "not measured" in the trainer; the result says so with null. */
    private static Double measured(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private static List<Float> boxed(float[] values) {
        Float[] out = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return List.of(out);
    }

    /** Reports progress at most once a second (checking for cancellation every batch) and checkpoints every epoch. */
    private final class ProgressReporter implements ClassifierTrainer.Observer {
        private final JobContext ctx;
        private final ThrottledProgress progress;
        private final int epochs;
        private final Architecture architecture;
        private final TrainingMetrics metrics;
        private final Classifier model;
        private final Sgd sgd;

        ProgressReporter(JobContext ctx, int epochs, int batchesPerEpoch, Architecture architecture, TrainingMetrics metrics,
                         Classifier model, Sgd sgd) {
            this.ctx = ctx;
            this.progress = new ThrottledProgress(ctx, epochs * batchesPerEpoch);
            this.epochs = epochs;
            this.architecture = architecture;
            this.metrics = metrics;
            this.model = model;
            this.sgd = sgd;
        }

        @Override
        public void batchDone(int epoch, int batch, int batches, double loss) {
            metrics.batch(architecture, loss);
            if (batch == 0) {
                progress.phase(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs), epoch * batches);
            }
            progress.units(batch + 1);
        }

        @Override
        public void epochDone(EpochMetrics m, TrainingState state) throws IOException {
            metrics.epoch(architecture, m);
            artifacts.save(ctx.job().id(), "checkpoint", CHECKPOINT, "application/octet-stream",
                    "{\"epochsDone\": " + state.epochsDone() + "}", out -> state.write(out, model, sgd));
            String robust = Double.isNaN(m.robustValidationAccuracy()) ? ""
                    : String.format(Locale.ROOT, " (robust %.4f)", m.robustValidationAccuracy());
            progress.write((double) m.epoch() / epochs, String.format(Locale.ROOT,
                    "epoch %d/%d done: loss %.4f, train accuracy %.4f, validation accuracy %.4f%s, %.0f images/s",
                    m.epoch(), epochs, m.trainLoss(), m.trainAccuracy(), m.validationAccuracy(), robust, m.imagesPerSecond()));
        }
    }
}
