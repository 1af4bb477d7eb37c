package io.robustlab.service.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders an administrator allows dataset imports to read ({@code robustlab.data.roots}). A
 * directory named in a request is resolved (a relative one against each root in turn), normalised
 * and followed through symlinks before it is checked, so {@code ..} and a link pointing out are
 * outside. Refusals name the setting, never a server path: the job table must not become a probe
 * of the server's files.
 */
public final class DataRoots {

    /** The setting that lists the roots, as refusals name it. */
    public static final String SETTING = "robustlab.data.roots";

    /** Why a directory was refused; the message names no server path. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private final List<Path> roots;

    /** Roots that do not exist are skipped: nothing can be read under them. */
    public DataRoots(List<Path> configured) {
        List<Path> real = new ArrayList<>();
        for (Path root : configured) {
            try {
                real.add(root.toAbsolutePath().normalize().toRealPath());
            } catch (IOException e) {
                // An allowed folder that is not there (yet) allows nothing.
            }
        }
        this.roots = List.copyOf(real);
    }

    /** The real folder {@code directory} names, if it lies under a root. */
    public Path resolve(String directory) {
        Path given;
        try {
            given = Path.of(directory);
        } catch (InvalidPathException e) {
            throw new Refused("is not a folder name");
        }
        List<Path> candidates = given.isAbsolute() ? List.of(given) : roots.stream().map(r -> r.resolve(given)).toList();
        boolean outside = false;
        for (Path candidate : candidates) {
            // Checked before the file system is touched: whether a path outside the roots exists is nobody's business.
            if (!underARoot(candidate.normalize())) {
                outside = true;
                continue;
            }
            Path real;
            try {
                real = candidate.toRealPath();
            } catch (IOException e) {
                continue;
            }
            if (underARoot(real)) {
                if (!Files.isDirectory(real)) {
                    throw new Refused("is a file, not a folder");
                }
                return real;
            }
            outside = true; // a link under a root that points out of them
        }
        throw new Refused(outside
                ? "is outside the folders this installation allows dataset imports from (setting " + SETTING + ")"
                : "names no folder under the folders this installation allows dataset imports from (setting " + SETTING + ")");
    }

    private boolean underARoot(Path path) {
        return roots.stream().anyMatch(path::startsWith);
    }
}
