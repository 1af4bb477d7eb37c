package io.robustlab.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the scripts of the repository's python/tests with Debian's PyTorch (scripts/setup-machine.sh
 * installs it; ROBUSTLAB_PYTHON names another interpreter), with python/ on its path: the
 * independent implementation that interop tests compare RobustLab against.
 */
public final class PyTorchPeer {

    /** The repository's python/ folder, found from the working directory of any module. */
    public static final Path PACKAGE = findPackage();

    private PyTorchPeer() {
    }

    /** Runs {@code script} and returns the last line it printed (the scripts print one JSON object there). */
    public static String run(String script, String... args) throws IOException, InterruptedException {
        String python = System.getenv().getOrDefault("ROBUSTLAB_PYTHON", "/usr/bin/python3");
        List<String> command = new ArrayList<>(List.of(python, PACKAGE.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", PACKAGE.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(python + " " + script + " failed (PyTorch comes with scripts/setup-machine.sh):\n" + output);
        }
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static Path findPackage() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("python/robustlab/__init__.py"))) {
                return dir.resolve("python");
            }
        }
        throw new IllegalStateException("no python/robustlab above " + Path.of("").toAbsolutePath());
    }
}
