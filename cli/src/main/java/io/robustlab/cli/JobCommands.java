package io.robustlab.cli;

import io.robustlab.client.JobResults;
import io.robustlab.client.model.Job;
import io.robustlab.client.model.JobPage;
import io.robustlab.client.model.JobState;
import io.robustlab.client.model.JobSubmission;
import io.robustlab.client.model.JobType;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code robustlab job ...}: single jobs of any type. */
@Command(name = "job", description = "Submit, list, watch and cancel single jobs.")
final class JobCommands {

    private static final Set<JobState> ENDED = EnumSet.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED);

    @ParentCommand
    private RobustLabCli root;

    @Command(description = "List the job types, the service that runs each, and whether it needs a GPU.")
    void types() {
        for (JobType t : root.gateway().jobs.listJobTypes()) {
            root.out().println(String.format(Locale.ROOT, "%-22s %-18s %s", t.getName(), t.getService(), t.getDescription()));
        }
    }

    @Command(description = "Submit a job; prints its id, or watches it with --watch.")
    int submit(@Option(names = "--type", required = true) String type,
               @Option(names = "--spec", defaultValue = "{}", description = "The job spec as JSON, inline or @file.") String spec,
               @Option(names = "--priority") Integer priority,
               @Option(names = "--max-attempts") Integer maxAttempts,
               @Option(names = "--watch") boolean watch) {
        Gateway g = root.gateway();
        JobSubmission s = new JobSubmission();
        s.setType(type);
        s.setSpec(Json.object(g.json, spec, "--spec"));
        s.setPriority(priority);
        s.setMaxAttempts(maxAttempts);
        Job job = g.jobs.submitJob(s);
        root.out().println(job.getId());
        return watch ? watch(job.getId()) : 0;
    }

    @Command(description = "List jobs, newest first.")
    void list(@Option(names = "--type") String type,
              @Option(names = "--state") JobState state,
              @Option(names = "--experiment") UUID experiment,
              @Option(names = "--page", defaultValue = "0") int page,
              @Option(names = "--size", defaultValue = "20") int size) {
        JobPage p = root.gateway().jobs.listJobs(state, type, experiment, page, size);
        for (Job j : p.getItems()) {
            root.out().println(String.format(Locale.ROOT, "%s  %-9s %4.0f%%  %-22s %s", j.getId(), j.getState().getValue(),
                    100 * (j.getProgress() == null ? 0 : j.getProgress()), j.getType(),
                    j.getProgressMessage() == null ? "" : j.getProgressMessage()));
        }
        root.out().println(p.getTotalItems() + " jobs");
    }

    @Command(description = "Print a job as JSON.")
    void get(@Parameters(paramLabel = "ID") UUID id) {
        root.out().println(root.gateway().json.writerWithDefaultPrettyPrinter().writeValueAsString(root.gateway().jobs.getJob(id)));
    }

    @Command(description = "Print a succeeded job's result, read as its type's result model (GET /job-types names it).")
    int result(@Parameters(paramLabel = "ID") UUID id) {
        Gateway g = root.gateway();
        Job job = g.jobs.getJob(id);
        if (job.getState() != JobState.SUCCEEDED) {
            root.out().println("job " + id + " is " + job.getState().getValue() + (job.getError() == null ? "" : ": " + job.getError()));
            return RobustLabCli.RUN_DID_NOT_SUCCEED;
        }
        JobType type = g.jobs.listJobTypes().stream().filter(t -> t.getName().equals(job.getType())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the gateway does not list job type " + job.getType()));
        Object result = JobResults.as(job, JobResults.modelOf(type), g.json);
        root.out().println(job.getType() + " result (" + type.getResultSchema() + "):");
        root.out().println(g.json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        return 0;
    }

    @Command(description = "Show a job's progress bar until it ends; exit 0 if it succeeded.")
    int watch(@Parameters(paramLabel = "ID") UUID id) {
        Gateway g = root.gateway();
        ProgressView view = root.progressView();
        Job last = g.watch(StreamPaths.JOB_PROGRESS, id, Job.class, g.jobs::getJob, j -> ENDED.contains(j.getState()), view::show);
        root.out().println("job " + id + " " + last.getState().getValue());
        return last.getState() == JobState.SUCCEEDED ? 0 : RobustLabCli.RUN_DID_NOT_SUCCEED;
    }

    @Command(description = "Cancel a job (a running one stops at its next progress report).")
    void cancel(@Parameters(paramLabel = "ID") UUID id) {
        Job j = root.gateway().jobs.cancelJob(id);
        root.out().println("job " + id + " " + j.getState().getValue() + (Boolean.TRUE.equals(j.getCancelRequested()) ? " (cancel requested)" : ""));
    }
}
