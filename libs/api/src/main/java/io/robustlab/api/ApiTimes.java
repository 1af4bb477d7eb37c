package io.robustlab.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Stored instants as the API shows them: date-times in UTC; absent stays absent. */
public final class ApiTimes {

    private ApiTimes() {
    }

    public static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
