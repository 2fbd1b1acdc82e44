package dev.slice.driver.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.GuestId;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cgroup file layouts, on a directory shaped like each kind of /sys/fs/cgroup. */
class CpuCgroupTest {
    private final GuestId id = GuestId.of("g1");

    @Test
    void v1HostsGetACfsQuotaPerVcpuAndCpuAccounting(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("cpu"));
        Files.writeString(root.resolve("cpu/cpu.cfs_quota_us"), "-1\n");
        Files.createDirectories(root.resolve("cpuacct"));

        CpuCgroup cgroup = CpuCgroup.detect(root, "slice-uml").orElseThrow();
        assertThat(cgroup).isInstanceOf(CpuCgroup.V1.class);
        cgroup.ensure(id, 2);

        assertThat(Files.readString(root.resolve("cpu/slice-uml/g1/cpu.cfs_period_us"))).isEqualTo("100000");
        assertThat(Files.readString(root.resolve("cpu/slice-uml/g1/cpu.cfs_quota_us"))).isEqualTo("200000");
        assertThat(cgroup.quotaMicros(id)).contains(200_000L);
        assertThat(cgroup.cgexec(id)).containsExactly("cgexec", "-g", "cpu:slice-uml/g1", "-g", "cpuacct:slice-uml/g1");
        Files.writeString(root.resolve("cpuacct/slice-uml/g1/cpuacct.usage"), "123456789\n");
        assertThat(cgroup.cpuTimeNanos(id)).isEqualTo(123_456_789L);
    }

    @Test
    void v2HostsDelegateTheCpuControllerAndSetCpuMax(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), "memory pids\n");

        CpuCgroup cgroup = CpuCgroup.detect(root, "slice-uml").orElseThrow();
        assertThat(cgroup).isInstanceOf(CpuCgroup.V2.class);
        cgroup.ensure(id, 1);

        // A real cgroupfs applies "+cpu" to the controller list; the plain directory just keeps what was written.
        assertThat(Files.readString(root.resolve("cgroup.subtree_control"))).isEqualTo("+cpu");
        assertThat(Files.readString(root.resolve("slice-uml/cgroup.subtree_control"))).isEqualTo("+cpu");
        assertThat(Files.readString(root.resolve("slice-uml/g1/cpu.max"))).isEqualTo("100000 100000");
        assertThat(cgroup.quotaMicros(id)).contains(100_000L);
        assertThat(cgroup.cgexec(id)).containsExactly("cgexec", "-g", "cpu:slice-uml/g1");
        Files.writeString(root.resolve("slice-uml/g1/cpu.stat"), "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n");
        assertThat(cgroup.cpuTimeNanos(id)).isEqualTo(2_500_000L);
    }

    @Test
    void aHostWithoutACpuControllerHasNoCgroup(@TempDir Path root) {
        assertThat(CpuCgroup.detect(root, "slice-uml")).isEmpty();
    }

    @Test
    void thisHostsLayoutIsFound() {
        assertThat(CpuCgroup.detect(Path.of("/sys/fs/cgroup"), "slice-uml")).isPresent();
    }
}
