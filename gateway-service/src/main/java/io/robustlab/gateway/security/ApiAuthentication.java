package io.robustlab.gateway.security;

import io.robustlab.service.web.ProblemDetailsAdvice;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * Every public API call ({@code /api/...}) carries {@code Authorization: Bearer <token>}: the token
 * must be live, its role must allow the call ({@link AccessRules}), and a submission must fit the
 * token's rate. The authenticated {@link Caller} is then a request attribute. The secret is
 * compared by hash only and appears in no log line or error.
 */
public class ApiAuthentication extends OncePerRequestFilter {

    public static final String PATH_PATTERN = "/api/*";
    private static final String BEARER = "Bearer ";
    private static final String CHALLENGE = "Bearer realm=\"robustlab\"";

    private static final UrlPathHelper PATHS = new UrlPathHelper();

    private final ApiTokens tokens;
    private final SubmissionRateLimit rate;

    public ApiAuthentication(ApiTokens tokens, SubmissionRateLimit rate) {
        this.tokens = tokens;
        this.rate = rate;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
            ProblemDetailsAdvice.write(response, HttpStatus.UNAUTHORIZED,
                    "an API token is required: send 'Authorization: Bearer <token>'", HttpHeaders.AUTHORIZATION);
            return;
        }
        Optional<Caller> caller = tokens.authenticate(header.substring(BEARER.length()).strip());
        if (caller.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE + ", error=\"invalid_token\"");
            ProblemDetailsAdvice.write(response, HttpStatus.UNAUTHORIZED, "the API token is unknown or revoked", HttpHeaders.AUTHORIZATION);
            return;
        }
        // Decoded and cleaned as Spring MVC matches it, so that /api/v1/%74okens can't pass for a non-admin path.
        String path = PATHS.getPathWithinApplication(request);
        Role needed = AccessRules.required(request.getMethod(), path);
        if (!caller.get().role().includes(needed)) {
            ProblemDetailsAdvice.write(response, HttpStatus.FORBIDDEN, "this call needs the role '" + needed.value()
                    + "'; the token '" + caller.get().name() + "' has '" + caller.get().role().value() + "'", HttpHeaders.AUTHORIZATION);
            return;
        }
        if (AccessRules.isSubmission(request.getMethod(), path)) {
            Duration wait = rate.take(caller.get().tokenId());
            if (!wait.isZero()) {
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
                ProblemDetailsAdvice.write(response, HttpStatus.TOO_MANY_REQUESTS, "the token '" + caller.get().name()
                        + "' is over its submission rate; try again in " + seconds + " s", HttpHeaders.AUTHORIZATION);
                return;
            }
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }
}
