package io.robustlab.gateway.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** API tokens at the gateway: the authentication filter, the submission rate, and the bootstrap admin token. */
@Configuration
@EnableConfigurationProperties(SecurityConfiguration.ApiSecurity.class)
public class SecurityConfiguration {

    /** The name of the admin token that comes from configuration. */
    public static final String BOOTSTRAP_TOKEN_NAME = "bootstrap-admin";
    private static final int MIN_BOOTSTRAP_LENGTH = 32;
    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * {@code robustlab.security.*} of the gateway.
     *
     * @param bootstrapAdminToken  an admin token to accept (and store hashed) from the start; empty for none
     * @param submissionsPerMinute the rate a token's submissions refill at
     * @param submissionBurst      how many submissions a token may make at once
     */
    @ConfigurationProperties("robustlab.security")
    public record ApiSecurity(String bootstrapAdminToken, Integer submissionsPerMinute, Integer submissionBurst) {
        public ApiSecurity {
            submissionsPerMinute = submissionsPerMinute == null ? 600 : submissionsPerMinute;
            submissionBurst = submissionBurst == null ? 100 : submissionBurst;
        }
    }

    @Bean
    SubmissionRateLimit submissionRateLimit(ApiSecurity settings) {
        return new SubmissionRateLimit(settings.submissionsPerMinute(), settings.submissionBurst(), System::nanoTime);
    }

    /** After the body and NUL filters (which only refuse), before anything reads the request. */
    @Bean
    FilterRegistrationBean<ApiAuthentication> apiAuthentication(ApiTokens tokens, SubmissionRateLimit rate) {
        FilterRegistrationBean<ApiAuthentication> bean = new FilterRegistrationBean<>(new ApiAuthentication(tokens, rate));
        bean.addUrlPatterns(ApiAuthentication.PATH_PATTERN);
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
        return bean;
    }

    @Bean
    ApplicationRunner bootstrapAdminToken(ApiSecurity settings, ApiTokens tokens) {
        return args -> {
            String secret = settings.bootstrapAdminToken();
            if (secret == null || secret.isBlank()) {
                LOG.info("No bootstrap admin token configured (ROBUSTLAB_ADMIN_TOKEN): only tokens already issued are accepted");
                return;
            }
            if (secret.strip().length() < MIN_BOOTSTRAP_LENGTH) {
                throw new IllegalStateException("robustlab.security.bootstrap-admin-token (ROBUSTLAB_ADMIN_TOKEN) must have at least "
                        + MIN_BOOTSTRAP_LENGTH + " characters");
            }
            if (tokens.bootstrap(BOOTSTRAP_TOKEN_NAME, secret.strip())) {
                LOG.info("Bootstrap admin token '{}' from configuration is in place", BOOTSTRAP_TOKEN_NAME);
            } else {
                LOG.warn("The configured bootstrap admin token was revoked by an admin and stays revoked; configure a new one");
            }
        };
    }
}
