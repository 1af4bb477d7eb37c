package io.robustlab.client;

import io.robustlab.client.model.Job;
import io.robustlab.client.model.JobType;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job's result as the generated model of its type's result schema: {@code Job.result} is any
 * object on the wire, and {@code JobType.resultSchema} names the model it is.
 */
public final class JobResults {

    private JobResults() {
    }

    /** The generated model of a job type's results. */
    public static Class<?> modelOf(JobType type) {
        try {
            return Class.forName(JobResults.class.getPackageName() + ".model." + type.getResultSchema());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(type.getName() + " results are " + type.getResultSchema()
                    + ", which this client does not know: regenerate it from the server's openapi.yaml", e);
        }
    }

    /** The result of a SUCCEEDED job as {@code model}; a member the model does not know is an error, not dropped. */
    public static <R> R as(Job job, Class<R> model, JsonMapper json) {
        if (job.getResult() == null) {
            throw new IllegalStateException("job " + job.getId() + " has no result (" + job.getState() + ")");
        }
        return json.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build().convertValue(job.getResult(), model);
    }
}
