package io.robustlab.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards a service's internal endpoints ({@code /internal/...}): only a caller presenting the
 * platform's service credential in {@link #HEADER} gets through, so a user who reaches a worker
 * directly can't bypass the gateway. With no credential configured, internal endpoints refuse
 * everyone. The credential is compared in constant time and never logged.
 */
public class ServiceCredential extends OncePerRequestFilter {

    public static final String HEADER = "X-RobustLab-Service-Token";
    public static final String PATH_PATTERN = "/internal/*";

    private final byte[] expected;

    public ServiceCredential(String token) {
        this.expected = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(HEADER);
        if (expected == null) {
            ProblemDetailsAdvice.write(response, HttpStatus.FORBIDDEN,
                    "internal endpoints are closed: this service has no service credential (ROBUSTLAB_SERVICE_TOKEN)", HEADER);
        } else if (presented == null || !MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            ProblemDetailsAdvice.write(response, HttpStatus.UNAUTHORIZED,
                    "internal endpoint: a valid service credential is required in " + HEADER, HEADER);
        } else {
            chain.doFilter(request, response);
        }
    }
}
