package io.robustlab.gateway.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.springframework.web.multipart.MultipartFile;

/** Uploaded files forwarded to another service as streams, never read into memory here. */
final class MultipartFiles {

    private MultipartFiles() {
    }

    /** Opens the part's content when the forwarding request is sent. */
    static Supplier<InputStream> contents(MultipartFile file) {
        return () -> {
            try {
                return file.getInputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
