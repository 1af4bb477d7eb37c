package io.robustlab.service.config;

import io.robustlab.api.jobtypes.SpecValidator;
import io.robustlab.service.web.ProblemDetailsAdvice;
import jakarta.validation.Validator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/** Problem+json errors and job-spec validation for every service's HTTP endpoints. */
@AutoConfiguration
@Import(ProblemDetailsAdvice.class)
public class WebAutoConfiguration {

    @Bean
    SpecValidator specValidator(JsonMapper json, Validator validator) {
        return new SpecValidator(json, validator);
    }
}
