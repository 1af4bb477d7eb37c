package io.robustlab.gateway.model;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

public interface JobRecords extends JpaRepository<JobRecord, UUID>, JpaSpecificationExecutor<JobRecord> {
}
