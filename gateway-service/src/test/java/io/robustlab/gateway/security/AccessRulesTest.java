package io.robustlab.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRulesTest {

    @ParameterizedTest(name = "{0} {1} needs {2}, submission {3}")
    @CsvSource(textBlock = """
            GET,     /api/v1/jobs,                       READER,    false
            HEAD,    /api/v1/jobs/x,                     READER,    false
            GET,     /api/v1/experiments/x/progress,     READER,    false
            POST,    /api/v1/jobs,                       SUBMITTER, true
            POST,    /api/v1/jobs/x/cancel,              SUBMITTER, false
            POST,    /api/v1/experiments,                SUBMITTER, true
            POST,    /api/v1/experiments/x/retry,        SUBMITTER, true
            POST,    /api/v1/experiments/x/cancel,       SUBMITTER, false
            POST,    /api/v1/attacks,                    SUBMITTER, true
            PUT,     /api/v1/jobs/x,                     SUBMITTER, false
            DELETE,  /api/v1/jobs/x,                     SUBMITTER, false
            GET,     /api/v1/tokens,                     ADMIN,     false
            POST,    /api/v1/tokens,                     ADMIN,     false
            DELETE,  /api/v1/tokens/x,                   ADMIN,     false
            GET,     /api/v1/audit-events,               ADMIN,     false
            DELETE,  /api/v1/share-links,                ADMIN,     false
            POST,    /api/v1/experiments/x/share-links,  READER,    false
            GET,     /api/v1/tokensmith,                 READER,    false
            """)
    void everyCallFallsUnderARule(String method, String path, Role role, boolean submission) {
        assertThat(AccessRules.required(method, path)).isEqualTo(role);
        assertThat(AccessRules.isSubmission(method, path)).isEqualTo(submission);
    }
}
