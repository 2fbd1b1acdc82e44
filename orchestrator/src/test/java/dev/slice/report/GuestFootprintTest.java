package dev.slice.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestFootprintTest {
    @TempDir Path root;

    @Test
    void aGuestIsNamedAsAWholeRawOrSystemdEscaped() {
        assertThat(GuestFootprint.names("qemu-system-x86_64 -name guest=s-bench5-qemu-d1,debug-threads=on", "s-bench5-qemu-d1")).isTrue();
        assertThat(GuestFootprint.names("-name guest=s-bench5-qemu-d10,debug", "s-bench5-qemu-d1")).isFalse();
        assertThat(GuestFootprint.names("4:memory:/machine.slice/machine-qemu\\x2d3\\x2ds\\x2dbench5\\x2dqemu\\x2dd1.scope",
                "s-bench5-qemu-d1")).isTrue();
        assertThat(GuestFootprint.names("linux umid=s-bench5-uml mem=256M", "s-bench5-uml")).isTrue();
    }

    @Test
    void readsPssAndTheOwnCgroupsKernelMemoryOfTheGuestsProcessesOnly() throws IOException {
        Path proc = root.resolve("proc");
        Path cgroups = root.resolve("cgroup");
        process(proc, 100, "runc init", "4:memory:/slice/g-bench1-oci-d0\n", 10240);
        process(proc, 101, "sleep infinity", "4:memory:/slice/g-bench1-oci-d0\n", 2048);
        process(proc, 102, "java -jar slice.jar", "4:memory:/system.slice/slice.service\n", 500000);
        process(proc, 103, "qemu -name guest=g-bench1-oci-d1", "0::/user.slice\n", 4096); // no own cgroup: no kernel memory
        Path kmem = cgroups.resolve("memory/slice/g-bench1-oci-d0/memory.kmem.usage_in_bytes");
        Files.createDirectories(kmem.getParent());
        Files.writeString(kmem, "3145728\n");

        GuestFootprint.Reading reading = new GuestFootprint(proc, cgroups).read(List.of("g-bench1-oci-d0", "g-bench1-oci-d1"));
        assertThat(reading.pssKiB()).isEqualTo(10240 + 2048 + 4096);
        assertThat(reading.kernelKiB()).isEqualTo(3072);
        assertThat(reading.processes()).isEqualTo(3);
        assertThat(reading.cgroups()).isEqualTo(1);
    }

    @Test
    void parsesTheMemoryCgroupOfV1AndV2AndTheCpuTicksOfStat() {
        assertThat(GuestFootprint.memoryCgroup("12:cpu,cpuacct:/a\n4:memory:/b/c\n")).contains("/b/c");
        assertThat(GuestFootprint.memoryCgroup("0::/system.slice/x.scope\n")).contains("/system.slice/x.scope");
        assertThat(GuestFootprint.statTicks("4242 (qemu system) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 5 0 9 0 0"))
                .isEqualTo(325);
        assertThat(GuestFootprint.pssKiB("Rss: 10 kB\nPss:  4096 kB\n")).isEqualTo(4096);
    }

    private static void process(Path proc, int pid, String cmdline, String cgroup, long pssKiB) throws IOException {
        Path dir = proc.resolve(Integer.toString(pid));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cmdline"), cmdline.replace(' ', '\0'));
        Files.writeString(dir.resolve("cgroup"), cgroup);
        Files.writeString(dir.resolve("smaps_rollup"), "00400000-7ffd [rollup]\nRss: 99 kB\nPss: " + pssKiB + " kB\n");
        Files.writeString(dir.resolve("stat"), pid + " (x) S 1 1 1 0 -1 0 0 0 0 0 10 5 0 0 20 0 1 0 1 0 0");
    }
}
