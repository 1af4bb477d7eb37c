package io.robustlab.system;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, found from the module's working directory. */
final class Repo {

    static final Path ROOT = find();
    static final java.util.List<String> SERVICES =
            java.util.List.of("gateway-service", "training-service", "attack-service", "dataset-service", "eval-service");

    private Repo() {
    }

    private static Path find() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("docker-compose.yml")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }
}
