package io.robustlab.gateway.config;

import io.robustlab.api.LenientJson;
import io.robustlab.api.artifacts.DatasetSplitMetadata;
import io.robustlab.api.jobtypes.SpecValidator;
import io.robustlab.experiments.DatasetCatalogue;
import io.robustlab.experiments.ExperimentEngine;
import io.robustlab.experiments.ExperimentTemplate;
import io.robustlab.experiments.FeaturesNotBugs;
import io.robustlab.experiments.ReportRenderer;
import io.robustlab.experiments.ServerFolders;
import io.robustlab.gateway.model.ArtifactRecords;
import io.robustlab.jobs.JobQueue;
import io.robustlab.service.data.DataRoots;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The experiment engine the gateway runs: templates, the engine, and the report renderer. */
@Configuration(proxyBeanMethods = false)
public class ExperimentsConfiguration {

    @Bean
    FeaturesNotBugs featuresNotBugs(JsonMapper json, DataRoots dataRoots, ArtifactRecords artifacts) {
        JsonMapper lenient = LenientJson.of(json);
        ServerFolders folders = folder -> {
            try {
                dataRoots.resolve(folder);
            } catch (DataRoots.Refused e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        };
        DatasetCatalogue catalogue = id -> artifacts.findById(id).filter(a -> DatasetSplitMetadata.ARTIFACT_KIND.equals(a.getKind()))
                .map(a -> lenient.readValue(a.getMetadata() == null ? "{}" : a.getMetadata(), DatasetSplitMetadata.class));
        return new FeaturesNotBugs(json, folders, catalogue);
    }

    @Bean
    ExperimentEngine experimentEngine(DataSource dataSource, JobQueue queue, List<ExperimentTemplate> templates, SpecValidator validator,
                                      JsonMapper json) {
        return new ExperimentEngine(dataSource, queue, templates, validator, json);
    }

    @Bean
    ReportRenderer reportRenderer(JsonMapper json) {
        return new ReportRenderer(json);
    }
}
