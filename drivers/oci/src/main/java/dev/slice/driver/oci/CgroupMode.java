package dev.slice.driver.oci;

import java.nio.file.Files;
import java.nio.file.Path;

/** How the host mounts cgroups; decides which OCI runtime can run containers here. */
enum CgroupMode {
    /** Only the cgroup v2 hierarchy at /sys/fs/cgroup. */
    UNIFIED("cgroup v2 (unified)"),
    /** v1 controllers with a v2 hierarchy beside them (/sys/fs/cgroup/unified): crun refuses this. */
    HYBRID("cgroup v1 (hybrid, v2 at /sys/fs/cgroup/unified)"),
    LEGACY("cgroup v1 (legacy)");

    private final String label;

    CgroupMode(String label) {
        this.label = label;
    }

    String label() { return label; }

    boolean isV2() { return this == UNIFIED; }

    static CgroupMode detect(Path cgroupRoot) {
        if (Files.exists(cgroupRoot.resolve("cgroup.controllers"))) return UNIFIED;
        if (Files.exists(cgroupRoot.resolve("unified").resolve("cgroup.controllers"))) return HYBRID;
        return LEGACY;
    }

    static CgroupMode detect() {
        return detect(Path.of("/sys/fs/cgroup"));
    }
}
