package io.robustlab.gateway.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.jobtypes.JobTypeDefinition;
import io.robustlab.experiments.ExperimentEngine;
import io.robustlab.experiments.ExperimentState;
import io.robustlab.experiments.ExperimentTemplate;
import io.robustlab.experiments.StepState;
import io.robustlab.jobs.JobState;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Counts read from the job and experiment tables, as gauges: jobs by type and state, experiments
 * by template and state, and the steps of running experiments by state. The whole platform's
 * counts, so only the gateway exports them (every service would report the same numbers).
 *
 * <p>Every combination of the fixed catalogues is registered up front, so a count that falls to
 * zero reads 0 rather than vanishing. The three GROUP BY queries run at most once per
 * {@code robustlab.metrics.table-refresh}, when a scrape asks, never on their own.
 */
@Component
public class TableGauges {

    private static final Logger log = LoggerFactory.getLogger(TableGauges.class);

    private final JdbcClient jdbc;
    private final Duration maxAge;
    private Map<String, Long> counts = Map.of();
    private long readAt = Long.MIN_VALUE;

    public TableGauges(DataSource dataSource, MeterRegistry registry, ExperimentEngine engine,
                       @Value("${robustlab.metrics.table-refresh:5s}") Duration maxAge) {
        this.jdbc = JdbcClient.create(dataSource);
        this.maxAge = maxAge;
        for (JobTypeDefinition type : JobTypeCatalog.ALL) {
            for (JobState state : JobState.values()) {
                gauge(registry, "robustlab.jobs", "Jobs in the table by type and state", "job|" + type.name() + "|" + state,
                        "type", type.name(), "state", state.name());
            }
        }
        for (ExperimentTemplate template : engine.templates()) {
            for (ExperimentState state : ExperimentState.values()) {
                gauge(registry, "robustlab.experiments", "Experiments by template and state",
                        "experiment|" + template.name() + "|" + state, "template", template.name(), "state", state.name());
            }
            for (StepState state : StepState.values()) {
                gauge(registry, "robustlab.experiment.steps", "Steps of running experiments by state",
                        "step|" + template.name() + "|" + state, "template", template.name(), "state", state.name());
            }
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, String key, String... tags) {
        Gauge.builder(name, () -> current().getOrDefault(key, 0L)).description(description).tags(tags).register(registry);
    }

    private synchronized Map<String, Long> current() {
        if (System.nanoTime() - readAt >= maxAge.toNanos()) {
            readAt = System.nanoTime();
            try {
                Map<String, Long> next = new HashMap<>();
                count(next, "SELECT 'job|' || type || '|' || state, count(*) FROM job GROUP BY type, state");
                count(next, "SELECT 'experiment|' || template || '|' || state, count(*) FROM experiment GROUP BY template, state");
                count(next, "SELECT 'step|' || e.template || '|' || s.state, count(*) FROM experiment_step s"
                        + " JOIN experiment e ON e.id = s.experiment_id WHERE e.state = 'RUNNING' GROUP BY e.template, s.state");
                counts = next;
            } catch (RuntimeException e) {
                // The database is unreachable: keep the last counts rather than fail the scrape.
                log.warn("reading job and experiment counts failed: {}", e.toString());
            }
        }
        return counts;
    }

    private void count(Map<String, Long> into, String sql) {
        jdbc.sql(sql).query((rs, i) -> into.put(rs.getString(1), rs.getLong(2))).list();
    }
}
