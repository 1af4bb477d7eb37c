package io.robustlab.data;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds a Python interpreter that imports NumPy: the one on PATH, else Debian's (python3-numpy). */
public final class PythonWithNumpy {

    private PythonWithNumpy() {
    }

    public static String find() throws InterruptedException {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (java.io.IOException notThere) {
                // try the next one
            }
        }
        throw new AssertionError("no Python with NumPy found: apt-get install -y python3-numpy (.ci/run does)");
    }
}
