package io.robustlab.mlservice;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.robustlab.ml.runtime.DjlRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Memory in use on each device this service computes on: for a GPU, the device's used memory as
 * CUDA reports it (all processes on it); for the CPU, this process's resident set (JVM heap and the
 * native tensors libtorch allocates outside it), read from /proc on Linux.
 */
final class DeviceMemoryGauges {

    private static final Path STATUS = Path.of("/proc/self/status");

    private DeviceMemoryGauges() {
    }

    static void register(MeterRegistry registry, List<Device> devices) {
        for (Device d : devices) {
            Gauge.builder("robustlab.device.memory.used", () -> used(d)).baseUnit("bytes")
                    .description("Memory in use on the device (GPU: whole device; CPU: this process's resident set)")
                    .tag("device", DjlRuntime.name(d)).register(registry);
        }
    }

    private static double used(Device d) {
        if (d.isGpu()) {
            return CudaUtils.getGpuMemory(d).getUsed();
        }
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return 1024.0 * Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException unavailable) {
            // Not Linux: no reading rather than a wrong one.
        }
        return Double.NaN;
    }
}
