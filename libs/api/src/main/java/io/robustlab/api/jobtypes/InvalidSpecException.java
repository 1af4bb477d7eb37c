package io.robustlab.api.jobtypes;

import java.util.List;

/** A job spec failed its type's schema; each error names the field as {@code spec.<path>}. */
public class InvalidSpecException extends RuntimeException {

    public record Violation(String field, String message) {
    }

    private final List<Violation> violations;

    public InvalidSpecException(List<Violation> violations) {
        super("invalid spec: " + violations);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
