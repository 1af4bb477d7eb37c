package io.robustlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The dashboard checker's reading of PromQL, on the shapes the dashboards use. */
class PromQlTest {

    @Test
    void findsMetricsMatchersAndGroupingLabels() {
        PromQl q = new PromQl("sum by (type, outcome) (rate(robustlab_job_run_seconds_count{application=\"gateway-service\","
                + " state=~\"QUEUED|RUNNING\"}[1m])) / sum by (type) (rate(robustlab_job_queue_wait_seconds_sum[5m])) * 60");
        assertThat(q.metrics).containsExactly("robustlab_job_run_seconds_count", "robustlab_job_queue_wait_seconds_sum");
        assertThat(q.groupingLabels).containsExactly("type", "outcome");
        assertThat(q.matchers).containsExactly(
                new PromQl.LabelMatcher("robustlab_job_run_seconds_count", "application", "=", "gateway-service"),
                new PromQl.LabelMatcher("robustlab_job_run_seconds_count", "state", "=~", "QUEUED|RUNNING"));
    }

    @Test
    void bareMetricsAndFunctionsAreToldApart() {
        PromQl q = new PromQl("max by (architecture) (robustlab_training_batch_loss) + increase(robustlab_job_rescues_total[1h])");
        assertThat(q.metrics).containsExactly("robustlab_training_batch_loss", "robustlab_job_rescues_total");
    }

    @Test
    void scrapeLinesBecomeLabelledSeries() {
        PrometheusScrape s = new PrometheusScrape().add("""
                # HELP robustlab_jobs Jobs in the table
                # TYPE robustlab_jobs gauge
                robustlab_jobs{application="gateway-service",state="QUEUED",type="train.classifier"} 2.0
                up 1
                """);
        assertThat(s.series.get("robustlab_jobs")).singleElement()
                .satisfies(l -> assertThat(l).containsEntry("state", "QUEUED").containsEntry("type", "train.classifier"));
        assertThat(s.series).containsKey("up");
    }
}
