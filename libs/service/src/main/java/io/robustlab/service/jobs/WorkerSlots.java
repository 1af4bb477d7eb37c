package io.robustlab.service.jobs;

import java.util.List;

/**
 * The devices this service runs jobs on, one worker pool each: every visible GPU (times the slots
 * per device) in the GPU-bound services, else the CPU. Each job stays pinned to its slot's device.
 */
public record WorkerSlots(List<String> devices) {

    public WorkerSlots {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("a service needs at least one worker slot");
        }
        devices = List.copyOf(devices);
    }
}
