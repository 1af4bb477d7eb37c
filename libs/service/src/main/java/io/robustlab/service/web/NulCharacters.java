package io.robustlab.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a NUL character in the path or a query parameter with 400 naming the parameter: no
 * identifier, filter or name of RobustLab's contains one, and PostgreSQL can't compare text with it.
 */
public class NulCharacters extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getRequestURI().contains("%00") || request.getRequestURI().indexOf('\0') >= 0) {
            ProblemDetailsAdvice.write(response, HttpStatus.BAD_REQUEST, "the path contains a NUL character", "path");
            return;
        }
        for (Map.Entry<String, String[]> p : request.getParameterMap().entrySet()) {
            if (p.getKey().indexOf('\0') >= 0 || List.of(p.getValue()).stream().anyMatch(v -> v.indexOf('\0') >= 0)) {
                ProblemDetailsAdvice.write(response, HttpStatus.BAD_REQUEST, "query parameter '" + p.getKey().replace("\0", "\\0")
                        + "' contains a NUL character", p.getKey().replace("\0", "\\0"));
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
