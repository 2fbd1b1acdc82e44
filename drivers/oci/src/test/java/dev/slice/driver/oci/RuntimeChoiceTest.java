package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Which runtime a host gets, and what the operator is told (pure logic over the installed programs). */
class RuntimeChoiceTest {
    private static Function<String, Optional<Path>> installed(String... names) {
        Map<String, Path> paths = new java.util.HashMap<>();
        for (String name : names) paths.put(name, Path.of("/usr/sbin", name));
        return name -> Optional.ofNullable(paths.get(name.contains("/") ? Path.of(name).getFileName().toString() : name));
    }

    @Test
    void unifiedHostsPreferCrun() {
        RuntimeChoice choice = RuntimeChoice.choose(CgroupMode.UNIFIED, Optional.empty(), installed("runc", "crun"));
        assertThat(choice.binary()).contains(Path.of("/usr/sbin/crun"));
        assertThat(choice.reason()).contains("crun").contains("cgroup v2");
    }

    @Test
    void hybridHostsUseRuncBecauseCrunRefusesThem() {
        RuntimeChoice choice = RuntimeChoice.choose(CgroupMode.HYBRID, Optional.empty(), installed("runc", "crun"));
        assertThat(choice.binary()).contains(Path.of("/usr/sbin/runc"));
        assertThat(choice.reason()).contains("runc").contains("crun refuses");
    }

    @Test
    void onlyCrunOnAV1HostIsUnavailableAndSaysWhatToInstall() {
        RuntimeChoice choice = RuntimeChoice.choose(CgroupMode.LEGACY, Optional.empty(), installed("crun"));
        assertThat(choice.usable()).isFalse();
        assertThat(choice.reason()).contains("install runc").contains("deploy/oci/setup.sh");
    }

    @Test
    void noRuntimeAtAllNamesBothAndTheSetupScript() {
        RuntimeChoice choice = RuntimeChoice.choose(CgroupMode.UNIFIED, Optional.empty(), installed());
        assertThat(choice.usable()).isFalse();
        assertThat(choice.reason()).contains("runc").contains("crun").contains("deploy/oci/setup.sh");
    }

    @Test
    void theSettingForcesARuntimeButNotCrunOnV1() {
        assertThat(RuntimeChoice.choose(CgroupMode.UNIFIED, Optional.of("runc"), installed("runc", "crun")).binary())
                .contains(Path.of("/usr/sbin/runc"));
        RuntimeChoice crunOnV1 = RuntimeChoice.choose(CgroupMode.HYBRID, Optional.of("crun"), installed("runc", "crun"));
        assertThat(crunOnV1.usable()).isFalse();
        assertThat(crunOnV1.reason()).contains("oci.runtime");
    }

    @Test
    void thisHostsChoiceMatchesItsCgroupMode() {
        CgroupMode mode = CgroupMode.detect();
        RuntimeChoice choice = RuntimeChoice.choose(mode, Optional.empty(), HostTools::find);
        assertThat(choice.usable()).as(choice.reason()).isTrue();
        if (!mode.isV2()) assertThat(choice.name()).isEqualTo("runc");
    }
}
