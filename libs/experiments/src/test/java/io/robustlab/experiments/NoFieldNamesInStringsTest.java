package io.robustlab.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build check behind typed results: the code that reads job results and template parameters
 * (the experiment engine and its templates, the gateway, the CLI) never names a JSON field in a
 * string. It reads generated models through their getters, so renaming a field in openapi.yaml
 * breaks compilation. This test fails on any by-name JSON access or spec reference written as text.
 */
class NoFieldNamesInStringsTest {

    /** The modules that consume results and parameters; generated code lives under target/ and is not scanned. */
    private static final List<String> CONSUMERS = List.of("libs/experiments", "gateway-service", "cli");
    /**
     * A JSON tree read or written by a literal name, or a step reference spelled out. (The resolver
     * that follows a reference's computed path, {@code at("/" + path)}, names no field.)
     */
    private static final Pattern BY_NAME = Pattern.compile("\\.(path|at|has|get|put|set|remove|required|findPath|findValue|findValues"
            + "|putObject|putArray|withObject|withArray)\\(\"/?[A-Za-z]|(?<!@Value\\()\"\\$\\{[A-Za-z]");

    @Test
    void noConsumerOfResultsOrParametersNamesAFieldInAString() throws IOException {
        Path root = repositoryRoot();
        List<String> found = new ArrayList<>();
        for (String module : CONSUMERS) {
            Path sources = root.resolve(module).resolve("src/main/java");
            assertThat(sources).as(module + " sources").isDirectory();
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> scan(root, f, found));
            }
        }
        assertThat(found).as("JSON fields named in strings; read the generated models' getters instead").isEmpty();
    }

    @Test
    void theCheckSeesTheReadsItForbids() {
        assertThat(BY_NAME.matcher("o.path(\"standardAccuracy\").asDouble()").find()).isTrue();
        assertThat(BY_NAME.matcher("o.at(\"/onConstructed/agreesWithNew\")").find()).isTrue();
        assertThat(BY_NAME.matcher("spec.put(\"trainArtifactId\", \"${import.train.artifactId}\")").find()).isTrue();
        assertThat(BY_NAME.matcher("@Value(\"${robustlab.experiments.tick:1s}\") Duration interval").find()).isFalse();
        assertThat(BY_NAME.matcher("result.getStandardAccuracy()").find()).isFalse();
        assertThat(BY_NAME.matcher("output.at(\"/\" + m.group(2).replace('.', '/'))").find()).isFalse();
    }

    private static void scan(Path root, Path file, List<String> found) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.startsWith("*") && !line.startsWith("//") && BY_NAME.matcher(line).find()) {
                    found.add(root.relativize(file) + ":" + (i + 1) + ": " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("gateway-service"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
