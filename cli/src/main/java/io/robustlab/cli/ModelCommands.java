package io.robustlab.cli;

import io.robustlab.client.model.Artifact;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code robustlab model ...}: models to and from PyTorch. */
@Command(name = "model", description = "Export models for PyTorch, import PyTorch models.")
final class ModelCommands {

    @ParentCommand
    private RobustLabCli root;

    @Command(description = "Download a model as safetensors (weights and manifest; python/robustlab loads it with robustlab.load),"
            + " its manifest alone, or an imported model's TorchScript.")
    void export(@Parameters(paramLabel = "ID") UUID id,
                @Option(names = "--format", defaultValue = "safetensors", description = "safetensors (default), manifest or torchscript") String format,
                @Option(names = {"-o", "--output"}) Path output) {
        String f = format.toLowerCase(Locale.ROOT);
        Path target = output != null ? output : Path.of(id + switch (f) {
            case "manifest" -> ".manifest.json";
            case "torchscript" -> ".pt";
            default -> ".safetensors";
        });
        long bytes = root.gateway().download(StreamPaths.ARTIFACT_CONTENT + "?format=" + f, id, target);
        root.out().println(target + " (" + bytes + " bytes)");
    }

    @Command(name = "import", description = "Upload a TorchScript module or safetensors weights with its manifest (JSON, see ModelManifest).")
    void importModel(@Parameters(paramLabel = "FILE") Path file,
                     @Option(names = "--manifest", required = true, description = "the manifest's JSON file") Path manifest) {
        Artifact a = root.gateway().models.importModel(file.toFile(), manifest.toFile());
        root.out().println(a.getId() + "  " + a.getName() + " (" + a.getSizeBytes() + " bytes)");
    }
}
