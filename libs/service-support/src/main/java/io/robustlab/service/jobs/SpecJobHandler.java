package io.robustlab.service.jobs;

import io.robustlab.api.jobtypes.JobTypeDefinition;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.jobs.worker.JobHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * A handler for one catalogued job type: the spec arrives parsed into the type's generated model
 * class and the result is any object Jackson can write.
 *
 * @param <S> the spec's model class, generated from the OpenAPI file
 */
public abstract class SpecJobHandler<S> implements JobHandler {

    private final JobTypeDefinition definition;
    private final Class<S> specClass;
    protected final JsonMapper json;

    protected SpecJobHandler(JobTypeDefinition definition, Class<S> specClass, JsonMapper json) {
        if (definition.specClass() != specClass) {
            throw new IllegalArgumentException(definition.name() + " specs are " + definition.specClass().getSimpleName());
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

    protected abstract Object run(S spec, JobContext context) throws Exception;
}
