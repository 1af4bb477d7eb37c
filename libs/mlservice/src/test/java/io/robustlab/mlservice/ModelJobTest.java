package io.robustlab.mlservice;

import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.NewJob;
import io.robustlab.ml.model.Classifier;
import io.robustlab.testing.ServiceTestDatabase;
import io.robustlab.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The base of an ML service's handler tests: the service itself (its workers polling fast) on a
 * database of its own, and a place to put the models and datasets a test runs its jobs on. The
 * service stops after the class, before the database is dropped at exit, so no worker polls a
 * dropped database.
 */
@SpringBootTest(properties = {"robustlab.worker.poll=200ms", "robustlab.rescuer.interval=1h"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class ModelJobTest {

    private static final TestDatabase DB = ServiceTestDatabase.createDroppedAtExit();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) throws IOException {
        ServiceTestDatabase.register(r, DB, "robustlab-service-test-artifacts");
    }

    @Autowired
    protected JobQueue queue;
    @Autowired
    protected DatasetArtifacts datasets;
    @Autowired
    protected ModelArtifacts models;
    @Autowired
    protected JsonMapper json;

    private UUID fixtureJob;

    /** A job no service runs: it owns the artifacts a test puts in (an artifact names its job). */
    private UUID fixtureJob() {
        if (fixtureJob == null) {
            Job job = queue.submit(NewJob.of("test.fixture", "{}")).job();
            fixtureJob = job.id();
        }
        return fixtureJob;
    }

    /** Artifact ids follow from (job, name): give each model and dataset of a class its own name. */
    protected UUID saveModel(String name, Classifier model) throws IOException {
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        model.save(weights);
        return models.save(fixtureJob(), name, model.spec(), weights.toByteArray(), "{}").id();
    }

    protected UUID saveDataset(String name, ImageDataset data) throws IOException {
        return datasets.save(fixtureJob(), name, data, "{}").id();
    }
}
