package io.robustlab.ml.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * DJL's PyTorch engine, set up once per process: offline (libtorch comes from the Maven jars; any
 * download attempt is an error), libtorch thread counts, and the device a job runs on.
 */
public final class DjlRuntime {

    private DjlRuntime() {
    }

    /**
     * Sets the engine's properties unless the command line already did; must run before the
     * engine loads. {@code threads} 0 means one per available core.
     */
    public static synchronized Engine configure(int threads, int interopThreads) {
        setDefault("ai.djl.offline", "true");
        int intra = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        setDefault("ai.djl.pytorch.num_threads", String.valueOf(intra));
        setDefault("ai.djl.pytorch.num_interop_threads", String.valueOf(Math.max(1, interopThreads)));
        return Engine.getEngine("PyTorch");
    }

    /** The default set-up: one intra-op thread per core, one inter-op thread (measured best here, djl-notes). */
    public static Engine engine() {
        return configure(0, 1);
    }

    /**
     * Resolves a device name: {@code auto} (the first GPU when one is visible, else the CPU),
     * {@code cpu}, {@code gpu} or {@code gpu:N}.
     */
    public static Device device(String name) {
        Engine engine = engine();
        String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("auto")) {
            return engine.getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.equals("gpu") || n.startsWith("gpu:")) {
            int id = n.equals("gpu") ? 0 : Integer.parseInt(n.substring(4));
            if (id >= engine.getGpuCount()) {
                throw new IllegalArgumentException("device " + name + " requested but " + engine.getGpuCount() + " GPUs are visible");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("unknown device '" + name + "': use auto, cpu, gpu or gpu:N");
    }

    /** The devices one worker slot each can be pinned to: every visible GPU, else the CPU. */
    public static java.util.List<Device> slots() {
        int gpus = engine().getGpuCount();
        if (gpus == 0) {
            return java.util.List.of(Device.cpu());
        }
        return java.util.stream.IntStream.range(0, gpus).mapToObj(Device::gpu).toList();
    }

    /**
     * Turns autograd off for the calling thread. PyTorch's grad mode is per thread and on by
     * default; DJL's GradientCollector turns it on and restores what it found. Worker threads must
     * therefore start with it off, or weight updates fail (an in-place change of a leaf that
     * requires grad) and every evaluation builds a graph it never uses.
     */
    public static void noGradOnThisThread() {
        engine();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }

    /** The name RobustLab records for a device: {@code cpu} or {@code gpu:N}. */
    public static String name(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
