package io.robustlab.cli;

import io.robustlab.client.model.Artifact;
import io.robustlab.client.model.ArtifactPage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code robustlab artifact ...}: datasets, models and reports the jobs wrote. */
@Command(name = "artifact", description = "List and download artifacts.")
final class ArtifactCommands {

    @ParentCommand
    private RobustLabCli root;

    @Command(description = "List artifacts, optionally of one job or kind.")
    void list(@Option(names = "--job") UUID job,
              @Option(names = "--kind") String kind,
              @Option(names = "--page", defaultValue = "0") int page,
              @Option(names = "--size", defaultValue = "20") int size) {
        ArtifactPage p = root.gateway().artifacts.listArtifacts(job, kind, page, size);
        for (Artifact a : p.getItems()) {
            root.out().println(String.format(Locale.ROOT, "%s  %-8s %12d  %s", a.getId(), a.getKind(), a.getSizeBytes(), a.getName()));
        }
        root.out().println(p.getTotalItems() + " artifacts");
    }

    @Command(description = "Download an artifact's content (to its own name unless -o is given).")
    void download(@Parameters(paramLabel = "ID") UUID id,
                  @Option(names = {"-o", "--output"}) Path output) {
        Gateway g = root.gateway();
        Path target = output != null ? output : Path.of(g.artifacts.getArtifact(id).getName());
        long bytes = g.download(StreamPaths.ARTIFACT_CONTENT, id, target);
        root.out().println(target + " (" + bytes + " bytes)");
    }
}
