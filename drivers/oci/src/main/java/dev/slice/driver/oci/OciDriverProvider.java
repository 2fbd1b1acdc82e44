package dev.slice.driver.oci;

import dev.slice.driver.Driver;
import dev.slice.driver.DriverProvider;
import dev.slice.driver.HostContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Opens the OCI driver for a host. Settings: {@code oci.runtime} forces a runtime (a name such as
 * {@code runc} or an absolute path) instead of choosing by the host's cgroup mode; {@code oci.runDir}
 * moves the run-time directory from {@code /run/slice/oci}.
 */
public final class OciDriverProvider implements DriverProvider {
    static final Path DEFAULT_RUN_DIR = Path.of("/run/slice/oci");

    @Override
    public List<Driver> open(HostContext context) {
        return List.of(open(context, Clock.systemUTC()));
    }

    static OciDriver open(HostContext context, Clock clock) {
        CgroupMode cgroups = CgroupMode.detect();
        RuntimeChoice runtime = RuntimeChoice.choose(cgroups, context.setting("oci.runtime"), HostTools::find);
        Path runDir = context.setting("oci.runDir").map(Path::of).orElse(DEFAULT_RUN_DIR);
        return new OciDriver(context.processes(), new OciPaths(context.dataDir(), runDir), cgroups, runtime, clock);
    }
}
