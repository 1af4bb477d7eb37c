package io.robustlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of the packaged CLI (cli/target/robustlab-cli.jar) against a gateway: its exit status and output. */
record Cli(int status, String out, String err) {

    private static final Path JAR = Repo.ROOT.resolve("cli/target/robustlab-cli.jar");

    /** {@code robustlab --url GATEWAY ARGS...} with the platform's admin token. */
    static Cli run(Path var, String gateway, String... args) throws Exception {
        return runAs(Platform.ADMIN_TOKEN, var, gateway, args);
    }

    /** @param token the API token the CLI finds in ROBUSTLAB_TOKEN, or null for none */
    static Cli runAs(String token, Path var, String gateway, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "--url", gateway));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(var, "cli", ".out");
        Path err = Files.createTempFile(var, "cli", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("ROBUSTLAB_TOKEN");
        if (token != null) {
            builder.environment().put("ROBUSTLAB_TOKEN", token);
        }
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("robustlab " + String.join(" ", args) + " ended").isTrue();
        Cli result = new Cli(process.exitValue(), Files.readString(out), Files.readString(err));
        System.out.println("robustlab " + String.join(" ", args) + " -> " + result.status() + "\n" + result.out() + result.err());
        return result;
    }
}
