package io.robustlab.mlservice;

import ai.djl.Device;
import io.robustlab.api.jobtypes.JobTypeDefinition;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.ml.model.Classifier;
import io.robustlab.service.jobs.SpecJobHandler;
import java.io.IOException;
import java.util.UUID;

/**
 * A handler whose jobs run models on the device of the worker slot that claimed them, over dataset
 * artifacts: the preamble these handlers shared (their tools, the claimed device, loading a model
 * onto it, timing the work for the throughput metrics) written once.
 */
public abstract class ModelJobHandler<S, R> extends SpecJobHandler<S, R> {

    protected final ModelArtifacts models;
    protected final DatasetArtifacts datasets;
    protected final Artifacts artifacts;
    private final WorkMetrics work;

    protected ModelJobHandler(JobTypeDefinition type, Class<S> specClass, Class<R> resultClass, MlJobTools tools) {
        super(type, specClass, resultClass, tools.json());
        this.models = tools.models();
        this.datasets = tools.datasets();
        this.artifacts = tools.artifacts();
        this.work = tools.work();
    }

    /** The device of the worker slot that claimed the job. */
    protected static Device device(JobContext ctx) {
        return MlSpecs.device(ctx);
    }

    /** The model artifact a spec names in {@code field}, on the claimed device; the caller closes it. */
    protected Classifier loadModel(UUID artifactId, String field, JobContext ctx) throws IOException {
        return models.load(artifactId, field, device(ctx));
    }

    /** Starts timing the job's work; {@link Work#done} records its images for the throughput metrics. */
    protected Work startWork() {
        return new Work(System.nanoTime());
    }

    /** Work under way since {@code start}. */
    public final class Work {

        private final long start;

        private Work(long start) {
            this.start = start;
        }

        /** The job processed {@code images} (as its type counts them, see {@link WorkMetrics}). */
        public void done(long images) {
            work.finished(type(), images, System.nanoTime() - start);
        }

        public double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
