package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.Resources;
import dev.slice.driver.Credentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How a spec becomes the runtime's config.json (pure logic; the other tests run it for real). */
class OciConfigTest {
    private final JsonMapper json = JsonMapper.builder().build();
    private final OciConfig configs = new OciConfig(json);
    private final GuestSpec spec = OciTestHost.spec(GuestId.of("cfg-1"), 50,
            new Resources(3, 768, 2048, 200, 0), Credentials.none());

    private JsonNode render(CgroupMode mode) {
        return render(mode, Optional.empty());
    }

    private JsonNode render(CgroupMode mode, Optional<ProcView> procView) {
        String text = configs.render(configs.build(spec, Path.of("/data/bin/slice-oci-init"), Optional.of(FIRST_BOOT),
                Path.of("/var/run/netns/slice-cfg-1"), mode, procView));
        return json.readTree(text);
    }

    private static final OciConfig.FirstBoot FIRST_BOOT =
            new OciConfig.FirstBoot(Path.of("/data/bin/slice-firstboot"), Path.of("/data/oci/guests/cfg-1/first-boot"));

    @Test
    void theFirstBootScriptAndSettingsAreBoundReadOnlyUnderRun() {
        JsonNode mounts = render(CgroupMode.HYBRID).path("mounts");
        assertThat(mounts.findValuesAsString("destination")).containsSubsequence("/run", OciConfig.FIRST_BOOT_SCRIPT_PATH)
                .contains(OciConfig.FIRST_BOOT_SETTINGS_PATH);
        for (JsonNode mount : mounts) {
            String source = mount.path("source").asString();
            if (source.equals("/data/bin/slice-firstboot") || source.equals("/data/oci/guests/cfg-1/first-boot")) {
                assertThat(mount.path("options").toString()).contains("\"bind\"", "\"ro\"");
            }
        }
        assertThat(mounts.findValuesAsString("source")).contains("/data/bin/slice-firstboot", "/data/oci/guests/cfg-1/first-boot");
    }

    @Test
    void aRescueSystemGetsTheDisksLoopDeviceToReadAndWriteButNoOtherDeviceAndNoMountPrivilege() {
        var config = configs.build(spec, Path.of("/data/bin/slice-oci-init"), Optional.of(FIRST_BOOT),
                Path.of("/var/run/netns/slice-cfg-1"), CgroupMode.HYBRID, Optional.empty());
        configs.addBlockDevice(config, OciRescue.DEVICE, 7, 12);
        JsonNode linux = json.readTree(configs.render(config)).path("linux");
        JsonNode device = linux.path("devices").get(0);
        assertThat(device.path("path").asString()).isEqualTo("/dev/server-disk");
        assertThat(device.path("type").asString()).isEqualTo("b");
        assertThat(device.path("major").asInt()).isEqualTo(7);
        assertThat(device.path("minor").asInt()).isEqualTo(12);
        JsonNode rules = linux.path("resources").path("devices");
        assertThat(rules.get(0).path("allow").asBoolean()).as("everything else stays denied").isFalse();
        assertThat(rules.get(1).path("allow").asBoolean()).isTrue();
        assertThat(rules.get(1).path("minor").asInt()).isEqualTo(12);
        assertThat(rules.get(1).path("access").asString()).isEqualTo("rw");
        assertThat(json.readTree(configs.render(config)).path("process").path("capabilities").toString())
                .doesNotContain("CAP_SYS_ADMIN");
    }

    @Test
    void lxcfsFilesAreBoundOverProcAfterProcItself() {
        ProcView view = new ProcView(Path.of("/var/lib/lxcfs"), List.of("proc/meminfo", "sys/devices/system/cpu/online"));
        JsonNode mounts = render(CgroupMode.HYBRID, Optional.of(view)).path("mounts");
        assertThat(mounts.findValuesAsString("destination"))
                .containsSubsequence("/proc", "/sys", "/proc/meminfo", "/sys/devices/system/cpu/online");
        for (JsonNode mount : mounts) {
            if (mount.path("destination").asString().equals("/proc/meminfo")) {
                assertThat(mount.path("source").asString()).isEqualTo("/var/lib/lxcfs/proc/meminfo");
                assertThat(mount.path("options").toString()).contains("\"bind\"", "\"ro\"");
            }
        }
        assertThat(render(CgroupMode.HYBRID).path("mounts").findValuesAsString("destination")).doesNotContain("/proc/meminfo");
    }

    @Test
    void lxcfsIsFoundByItsFileSystemTypeAndOnlyItsServedFilesAreUsed() {
        List<Mounts.Mount> mounts = List.of(
                Mounts.parse("22 1 0:21 / /proc rw,nosuid - proc proc rw"),
                Mounts.parse("98 22 0:50 / /var/lib/lxcfs rw,nosuid,nodev,relatime - fuse.lxcfs lxcfs rw,user_id=0,group_id=0"));
        ProcView view = ProcView.find(mounts, file -> !file.endsWith("swaps")).orElseThrow();
        assertThat(view.root()).isEqualTo(Path.of("/var/lib/lxcfs"));
        assertThat(view.files()).contains("proc/meminfo", "proc/uptime", "proc/cpuinfo").doesNotContain("proc/swaps");
        assertThat(ProcView.find(mounts.subList(0, 1), file -> true)).isEmpty();
        assertThat(ProcView.find(mounts, file -> false)).as("a stale mount: its daemon gone, no file reads").isEmpty();
    }

    @Test
    void limitsComeFromThePlan() {
        JsonNode resources = render(CgroupMode.HYBRID).path("linux").path("resources");
        assertThat(resources.path("cpu").path("quota").asLong()).isEqualTo(300_000);
        assertThat(resources.path("cpu").path("period").asLong()).isEqualTo(100_000);
        assertThat(resources.path("memory").path("limit").asLong()).isEqualTo(768L * 1024 * 1024);
        assertThat(resources.path("pids").path("limit").asLong()).isEqualTo(200);
    }

    @Test
    void aPlanWithoutProcessLimitGetsTheDefault() {
        Resources unlimited = new Resources(1, 128, 128, 0, 0);
        assertThat(configs.resources(unlimited).path("pids").path("limit").asInt())
                .isEqualTo(OciConfig.DEFAULT_MAX_PROCESSES);
    }

    @Test
    void theContainerJoinsTheDriversNetworkNamespaceAndRunsSlicesInitOnAConsole() {
        JsonNode config = render(CgroupMode.HYBRID);
        assertThat(config.path("linux").path("namespaces").valueStream()
                .filter(ns -> ns.path("type").asString().equals("network"))
                .map(ns -> ns.path("path").asString()))
                .containsExactly("/var/run/netns/slice-cfg-1");
        assertThat(config.path("process").path("terminal").asBoolean()).isTrue();
        assertThat(config.path("process").path("args").get(0).asString()).isEqualTo("/sbin/slice-init");
        assertThat(config.path("mounts").valueStream()
                .filter(m -> m.path("destination").asString().equals("/sbin/slice-init"))
                .map(m -> m.path("source").asString()))
                .containsExactly("/data/bin/slice-oci-init");
        assertThat(config.path("hostname").asString()).isEqualTo(spec.hostname());
        assertThat(config.path("linux").path("cgroupsPath").asString()).isEqualTo("/slice-oci/cfg-1");
    }

    @Test
    void aCgroupNamespaceOnlyOnUnifiedHosts() {
        assertThat(render(CgroupMode.UNIFIED).path("linux").path("namespaces").valueStream()
                .map(ns -> ns.path("type").asString())).contains("cgroup");
        assertThat(render(CgroupMode.HYBRID).path("linux").path("namespaces").valueStream()
                .map(ns -> ns.path("type").asString())).doesNotContain("cgroup");
    }

    @Test
    void theContainerGetsNoHostAdministrationCapabilities() {
        JsonNode bounding = render(CgroupMode.HYBRID).path("process").path("capabilities").path("bounding");
        assertThat(bounding.valueStream().map(JsonNode::asString))
                .contains("CAP_SETUID", "CAP_NET_BIND_SERVICE")
                .doesNotContain("CAP_SYS_ADMIN", "CAP_NET_ADMIN", "CAP_SYS_MODULE", "CAP_SYS_PTRACE");
    }
}
