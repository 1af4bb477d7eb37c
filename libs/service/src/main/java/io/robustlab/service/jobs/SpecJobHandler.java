package io.robustlab.service.jobs;

import io.robustlab.api.jobtypes.JobTypeDefinition;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.jobs.worker.JobHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * A handler for one catalogued job type: the spec arrives parsed into the type's generated spec
 * model, and the handler returns the type's generated result model, which is what the job stores.
 *
 * @param <S> the spec's model class, generated from the OpenAPI file
 * @param <R> the result's model class, generated from the OpenAPI file
 */
public abstract class SpecJobHandler<S, R> implements JobHandler {

    private final JobTypeDefinition definition;
    private final Class<S> specClass;
    protected final JsonMapper json;

    protected SpecJobHandler(JobTypeDefinition definition, Class<S> specClass, Class<R> resultClass, JsonMapper json) {
        if (definition.specClass() != specClass || definition.resultClass() != resultClass) {
            throw new IllegalArgumentException(definition.name() + " specs are " + definition.specClass().getSimpleName()
                    + " and results " + definition.resultClass().getSimpleName());
        }
        this.definition = definition;
        this.specClass = specClass;
        this.json = json;
    }

    @Override
    public final String type() {
        return definition.name();
    }

    @Override
    public final String handle(JobContext context) throws Exception {
        S spec = json.readValue(context.spec(), specClass);
        return json.writeValueAsString(run(spec, context));
    }

    protected abstract R run(S spec, JobContext context) throws Exception;
}
