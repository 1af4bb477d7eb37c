package io.robustlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code robustlab}: the RobustLab API from a shell. Exit status 0 means the call (and a watched run) succeeded. */
@Command(name = "robustlab", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "robustlab 0.1.0",
        description = "Submit, watch and manage RobustLab experiments and jobs.",
        subcommands = {ExperimentCommands.class, JobCommands.class, ArtifactCommands.class, ModelCommands.class, DatasetCommands.class, CommandLine.HelpCommand.class})
public final class RobustLabCli {

    /** A run that ended FAILED or CANCELLED. */
    static final int RUN_DID_NOT_SUCCEED = 1;
    /** The gateway refused the request (4xx) or failed (5xx), or could not be reached (as for a usage error). */
    static final int REQUEST_FAILED = 2;

    @Option(names = "--url", description = "Gateway base URL (default: $ROBUSTLAB_URL or http://localhost:8080).")
    private String url;

    // A token on the command line would show in every process listing, so it comes from a file or the environment.
    @Option(names = "--token-file", description = "File holding the API token (default: the token in $ROBUSTLAB_TOKEN).")
    private Path tokenFile;

    private Gateway gateway;
    private PrintStream out = System.out;
    private boolean terminal = System.console() != null;

    Gateway gateway() {
        if (gateway == null) {
            String base = url != null ? url : System.getenv().getOrDefault("ROBUSTLAB_URL", "http://localhost:8080");
            gateway = new Gateway(base, token());
        }
        return gateway;
    }

    private String token() {
        if (tokenFile == null) {
            String fromEnvironment = System.getenv("ROBUSTLAB_TOKEN");
            return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.strip();
        }
        try {
            return Files.readString(tokenFile).strip();
        } catch (IOException e) {
            throw new Json.BadArgument("--token-file: cannot read " + tokenFile + ": " + e.getMessage());
        }
    }

    PrintStream out() {
        return out;
    }

    ProgressView progressView() {
        return new ProgressView(out, terminal);
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command line, printing to the given streams (tests call this in-process). */
    static int run(PrintStream out, PrintStream err, String... args) {
        RobustLabCli cli = new RobustLabCli();
        cli.out = out;
        cli.terminal = cli.terminal && out == System.out;
        CommandLine cl = new CommandLine(cli);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof RestClientResponseException r) {
                err.println("robustlab: HTTP " + r.getStatusCode().value() + " " + r.getResponseBodyAsString());
                return REQUEST_FAILED;
            }
            if (e instanceof Json.BadArgument b) {
                err.println("robustlab: " + b.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            if (e instanceof ResourceAccessException r) {
                err.println("robustlab: cannot reach the gateway: " + r.getMessage());
                return REQUEST_FAILED;
            }
            throw e;
        });
        return cl.execute(args);
    }
}
