package io.robustlab.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the scripts of python/tests with Debian's PyTorch (scripts/setup-machine.sh installs it;
 * ROBUSTLAB_PYTHON names another interpreter), with python/ on its path.
 */
public final class PyTorchPeer {

    public static final Path PACKAGE = Path.of("../../python").toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PyTorchPeer() {
    }

    /** Runs {@code script} and reads the JSON object it prints last; fails with its output if it fails. */
    public static JsonNode run(String script, String... args) throws IOException, InterruptedException {
        String python = System.getenv().getOrDefault("ROBUSTLAB_PYTHON", "/usr/bin/python3");
        String[] command = new String[args.length + 2];
        command[0] = python;
        command[1] = PACKAGE.resolve(script).toString();
        System.arraycopy(args, 0, command, 2, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", PACKAGE.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        assertThat(rc).as(python + " " + script + " (PyTorch comes with scripts/setup-machine.sh):\n" + output).isZero();
        String[] lines = output.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }
}
