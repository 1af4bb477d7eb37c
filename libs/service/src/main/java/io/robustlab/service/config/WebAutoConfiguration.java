package io.robustlab.service.config;

import io.robustlab.api.jobtypes.SpecValidator;
import io.robustlab.service.json.NonFiniteNumbers;
import io.robustlab.service.web.BodySizeLimit;
import io.robustlab.service.web.NulCharacters;
import io.robustlab.service.web.ProblemDetailsAdvice;
import io.robustlab.service.web.ServiceCredential;
import jakarta.servlet.MultipartConfigElement;
import jakarta.validation.Validator;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.servlet.autoconfigure.MultipartAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.MultipartProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.json.JsonMapper;

/** Problem+json errors, request body limits, job-spec validation and JSON numbers for every service's HTTP endpoints. */
@AutoConfiguration(before = MultipartAutoConfiguration.class)
@Import(ProblemDetailsAdvice.class)
@EnableConfigurationProperties({WebAutoConfiguration.BodyLimits.class, MultipartProperties.class})
public class WebAutoConfiguration {

    /**
     * {@code robustlab.web.*}: the largest request body accepted, and larger limits for path
     * prefixes that take images (YAML keys in brackets: {@code "[/api/v1/attacks]": 20MB}).
     */
    @ConfigurationProperties("robustlab.web")
    public record BodyLimits(DataSize maxBody, Map<String, DataSize> maxBodyByPath) {
        public BodyLimits {
            maxBody = maxBody == null ? DataSize.ofMegabytes(1) : maxBody;
            maxBodyByPath = maxBodyByPath == null ? Map.of() : maxBodyByPath;
        }
    }

    /**
     * The container parses every multipart body under one ceiling, whatever its path: the largest
     * body limit, so that no path's own limit is cut short (a streamed model upload once met the
     * data set limit). {@link BodySizeLimit} holds each path to its own, a streamed body's parts included.
     */
    @Bean
    @ConditionalOnBooleanProperty("robustlab.web.multipart")
    MultipartConfigElement multipartConfigElement(MultipartProperties multipart, BodyLimits limits) {
        long ceiling = Stream.concat(Stream.of(limits.maxBody()), limits.maxBodyByPath().values().stream())
                .mapToLong(DataSize::toBytes).max().orElseThrow();
        return new MultipartConfigElement(multipart.getLocation() == null ? "" : multipart.getLocation(), ceiling, ceiling,
                Math.toIntExact(multipart.getFileSizeThreshold().toBytes()));
    }

    @Bean
    FilterRegistrationBean<BodySizeLimit> bodySizeLimit(BodyLimits limits) {
        FilterRegistrationBean<BodySizeLimit> bean = new FilterRegistrationBean<>(new BodySizeLimit(limits.maxBody(), limits.maxBodyByPath()));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return bean;
    }

    /** Internal endpoints accept only the platform's service credential ({@code robustlab.security.service-token}). */
    @Bean
    FilterRegistrationBean<ServiceCredential> serviceCredential(@Value("${robustlab.security.service-token:}") String token) {
        FilterRegistrationBean<ServiceCredential> bean = new FilterRegistrationBean<>(new ServiceCredential(token));
        bean.addUrlPatterns(ServiceCredential.PATH_PATTERN);
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return bean;
    }

    @Bean
    FilterRegistrationBean<NulCharacters> nulCharacters() {
        FilterRegistrationBean<NulCharacters> bean = new FilterRegistrationBean<>(new NulCharacters());
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return bean;
    }

    /** NaN and infinities as JSON null in every response and stored job result. */
    @Bean
    JacksonModule nonFiniteNumbersAsNull() {
        return NonFiniteNumbers.asNull();
    }

    @Bean
    SpecValidator specValidator(JsonMapper json, Validator validator) {
        return new SpecValidator(json, validator);
    }
}
