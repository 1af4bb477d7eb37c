package io.robustlab.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.tomcat.util.http.fileupload.impl.SizeException;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * Refuses request bodies over a size limit with 413 before anything reads them into memory: at once
 * when Content-Length says so, otherwise as soon as a streamed (chunked) body passes the limit.
 * The limit is per path prefix (the longest matching prefix wins), so image uploads can be larger
 * than job submissions.
 */
public class BodySizeLimit extends OncePerRequestFilter {

    /** Thrown by the body stream past the limit; {@link ProblemDetailsAdvice} answers 413. */
    public static final class TooLargeException extends IOException {
        private final long limit;

        TooLargeException(long limit) {
            super("the request body is larger than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    private final long defaultLimit;
    private final Map<String, DataSize> byPathPrefix;

    public BodySizeLimit(DataSize defaultLimit, Map<String, DataSize> byPathPrefix) {
        this.defaultLimit = defaultLimit.toBytes();
        this.byPathPrefix = Map.copyOf(byPathPrefix);
    }

    private long limitFor(String path) {
        return byPathPrefix.entrySet().stream().filter(e -> path.startsWith(e.getKey()))
                .max(Comparator.comparingInt(e -> e.getKey().length())).map(e -> e.getValue().toBytes()).orElse(defaultLimit);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitFor(request.getRequestURI());
        if (request.getContentLengthLong() > limit) {
            ProblemDetailsAdvice.writeTooLarge(response, limit);
            return;
        }
        try {
            chain.doFilter(new HttpServletRequestWrapper(request) {
                private ServletInputStream limited;
                private TooLargeException refused;

                @Override
                public ServletInputStream getInputStream() throws IOException {
                    if (limited == null) {
                        limited = new LimitedStream(super.getInputStream(), limit);
                    }
                    return limited;
                }

                /**
                 * The container parses a multipart body from its own stream, under one ceiling for all
                 * paths; a streamed body has no length to refuse up front, so this path's limit holds here.
                 * Spring turns the refusal into a 413 because its message says the request is too large.
                 */
                @Override
                public Collection<Part> getParts() throws IOException, ServletException {
                    if (refused != null) {
                        throw refused;
                    }
                    Collection<Part> parts;
                    try {
                        parts = super.getParts();
                    } catch (IllegalStateException e) {
                        if (ProblemDetailsAdvice.causeOf(e, SizeException.class) == null) {
                            throw e;
                        }
                        // Over the container's ceiling, which Tomcat reports this way.
                        throw refuse(List.of(), e);
                    }
                    if (parts.stream().mapToLong(Part::getSize).sum() > limit) {
                        throw refuse(parts, null);
                    }
                    return parts;
                }

                @Override
                public Part getPart(String name) throws IOException, ServletException {
                    getParts();
                    return super.getPart(name);
                }

                /** Remembers the refusal (a later call must not find the deleted parts) and deletes their files. */
                private TooLargeException refuse(Collection<Part> parts, Exception cause) {
                    refused = new TooLargeException(limit);
                    if (cause != null) {
                        refused.initCause(cause);
                    }
                    for (Part part : parts) {
                        try {
                            part.delete();
                        } catch (IOException e) {
                            refused.addSuppressed(e);
                        }
                    }
                    return refused;
                }
            }, response);
        } catch (IOException | ServletException | RuntimeException e) {
            // A streamed multipart body is parsed by the container from its own stream, under the multipart
            // ceiling, then held to this limit (getParts above); passing either fails wherever the parts are
            // first read, a filter included.
            if (response.isCommitted() || !overLimit(e)) {
                throw e;
            }
            response.reset();
            ProblemDetailsAdvice.writeTooLarge(response, limit);
        }
    }

    private static boolean overLimit(Throwable e) {
        return ProblemDetailsAdvice.causeOf(e, TooLargeException.class) != null
                || ProblemDetailsAdvice.causeOf(e, MaxUploadSizeExceededException.class) != null
                || ProblemDetailsAdvice.causeOf(e, SizeException.class) != null;
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long read;

        LimitedStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) throws TooLargeException {
            read += n;
            if (read > limit) {
                throw new TooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
