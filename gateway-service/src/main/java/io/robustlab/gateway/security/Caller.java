package io.robustlab.gateway.security;

import io.robustlab.service.web.ApiException;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/** The token a request was authenticated with: its id, the name it was issued to, and its role. */
public record Caller(UUID tokenId, String name, Role role) {

    static final String ATTRIBUTE = Caller.class.getName();

    /** The caller of the request being handled; {@link ApiAuthentication} has set it for every {@code /api} call. */
    public static Caller current() {
        RequestAttributes request = RequestContextHolder.currentRequestAttributes();
        Caller caller = (Caller) request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller: the request did not pass ApiAuthentication");
        }
        return caller;
    }

    /** The current caller, if its role includes {@code role}; a second check behind {@link AccessRules} for the admin calls. */
    public static Caller requiring(Role role) {
        Caller caller = current();
        if (!caller.role().includes(role)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "this call needs the role '" + role.value() + "'",
                    List.of(new ApiException.FieldProblem("Authorization", "role " + caller.role().value())));
        }
        return caller;
    }
}
