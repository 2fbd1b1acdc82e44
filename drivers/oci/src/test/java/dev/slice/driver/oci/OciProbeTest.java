package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Driver;
import dev.slice.driver.DriverProvider;
import dev.slice.driver.HostContext;
import dev.slice.driver.ProbeResult;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the driver tells operators about this host, and how Slice finds it. */
class OciProbeTest {
    @Test
    void theProviderIsFoundByServiceLoaderAndOpensTheOciDriver() {
        List<Driver> drivers = ServiceLoader.load(DriverProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider instanceof OciDriverProvider)
                .flatMap(provider -> provider.open(OciTestHost.context()).stream())
                .toList();
        assertThat(drivers).singleElement().satisfies(driver -> assertThat(driver.kind().id()).isEqualTo("oci"));
    }

    @Test
    void probeNamesTheRuntimeAndWhyItWasChosen() {
        ProbeResult probe = OciTestHost.openDriver().probe();
        assertThat(probe.available()).as(probe.detail()).isTrue();
        CgroupMode mode = CgroupMode.detect();
        if (!mode.isV2()) {
            assertThat(probe.version()).startsWith("runc ");
            assertThat(probe.detail()).contains("runc").contains("crun refuses").contains(mode.label());
        }
        assertThat(probe.capacity().cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void probeWithoutTheBuiltArtifactsNamesTheBuildScript(@TempDir Path emptyData) {
        ProbeResult probe = OciDriverProvider.open(new HostContext(emptyData, Map.of(), new ProcessRunner()),
                java.time.Clock.systemUTC()).probe();
        assertThat(probe.available()).isFalse();
        assertThat(probe.detail()).contains("slice-oci-console").contains("deploy/oci/build.sh");
    }

    @Test
    void aForcedRuntimeThatIsNotInstalledIsReportedWithTheSetting(@TempDir Path emptyData) {
        ProbeResult probe = OciDriverProvider.open(new HostContext(OciTestHost.dataDir(),
                Map.of("oci.runtime", "/opt/none/runc"), new ProcessRunner()), java.time.Clock.systemUTC()).probe();
        assertThat(probe.available()).isFalse();
        assertThat(probe.detail()).contains("oci.runtime").contains("/opt/none/runc");
    }
}
