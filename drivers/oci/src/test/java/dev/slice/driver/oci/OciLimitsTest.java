package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.Resources;
import dev.slice.driver.host.ProcessResult;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The plan's limits are the kernel's limits on a real container: read back from the guest and pushed against. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OciLimitsTest {
    private static final long MIB = 1024 * 1024;
    private final OciDriver driver = OciTestHost.openDriver();
    private final GuestId id = OciTestHost.uniqueId("limits");
    private final Resources plan = new Resources(1, 128, 100, 48, 0);

    private long startedAtNanos;

    @BeforeAll
    void startGuest() {
        driver.create(OciTestHost.spec(id, 11, plan, Credentials.none()));
        startedAtNanos = System.nanoTime();
        driver.start(id);
    }

    @AfterAll
    void destroyGuest() {
        driver.destroy(id);
    }

    /** lxcfs (deploy/oci/setup.sh starts it): free, top and uptime inside tell what the plan gives, not the host's figures. */
    @Test
    void theContainerSeesThePlansMemoryAndCpusAndItsOwnUptime() {
        assertThat(ProcView.onThisHost()).as("lxcfs serving on this host (a stale mount: %s); deploy/oci/setup.sh starts it",
                ProcView.staleMountOnThisHost()).isPresent();
        assertThat(OciTestHost.run(driver, id, "grep", "^MemTotal:", "/proc/meminfo"))
                .as("the plan's 128 MiB, not the host's memory").matches("MemTotal:\\s+131072 kB");
        assertThat(OciTestHost.run(driver, id, "grep", "-c", "^processor", "/proc/cpuinfo")).as("the plan's one vCPU").isEqualTo("1");
        assertThat(OciTestHost.run(driver, id, "cat", "/sys/devices/system/cpu/online")).isEqualTo("0");
        double uptime = Double.parseDouble(OciTestHost.run(driver, id, "cat", "/proc/uptime").split(" ")[0]);
        double sinceStart = (System.nanoTime() - startedAtNanos) / 1e9;
        assertThat(uptime).as("the container's uptime, not the host's").isLessThanOrEqualTo(sinceStart + 2);
    }

    @Test
    void cpuQuotaIsOneFullCpuPerVcpu() {
        if (CgroupMode.detect().isV2()) {
            assertThat(OciTestHost.cgroupFile(driver, id, "cpu", "cpu.max")).isEqualTo("100000 100000");
        } else {
            assertThat(OciTestHost.cgroupFile(driver, id, "cpu", "cpu.cfs_quota_us")).isEqualTo("100000");
            assertThat(OciTestHost.cgroupFile(driver, id, "cpu", "cpu.cfs_period_us")).isEqualTo("100000");
        }
    }

    @Test
    void memoryLimitIsThePlansMemoryAndAGreedyProcessIsKilledAtIt() {
        String limitFile = CgroupMode.detect().isV2() ? "memory.max" : "memory.limit_in_bytes";
        assertThat(Long.parseLong(OciTestHost.cgroupFile(driver, id, "memory", limitFile))).isEqualTo(128 * MIB);

        // tail keeps a whole "line" in memory: 400 MiB without a newline cannot fit under 128 MiB.
        ProcessResult greedy = driver.exec(id, Duration.ofSeconds(60), "sh", "-c", "head -c 400M /dev/zero | tail -n 1 | wc -c");
        assertThat(greedy.stdout().strip()).as("bytes the greedy pipeline got through").isNotEqualTo(Long.toString(400 * MIB));
        String oomEvents = CgroupMode.detect().isV2()
                ? OciTestHost.cgroupFile(driver, id, "memory", "memory.events")
                : OciTestHost.cgroupFile(driver, id, "memory", "memory.oom_control");
        assertThat(oomEvents).containsPattern("oom_kill [1-9]");
    }

    @Test
    void processLimitStopsAForkLoop() {
        String max = OciTestHost.cgroupFile(driver, id, "pids", "pids.max");
        assertThat(max).isEqualTo("48");
        // A bounded fork loop: 200 short-lived children, far more than the 48 allowed. The count is read
        // with the shell's own read, since at the limit not even cat can be started.
        String current = CgroupMode.detect().isV2() ? "/sys/fs/cgroup/pids.current" : "/sys/fs/cgroup/pids/pids.current";
        ProcessResult forks = driver.exec(id, Duration.ofSeconds(60), "sh", "-c",
                "for i in $(seq 200); do (sleep 3) 2>/dev/null & done 2>/dev/null; read n < " + current + "; echo $n; exit 0");
        String events = OciTestHost.cgroupFile(driver, id, "pids", "pids.events");
        assertThat(events).as("pids.events after the fork loop (%s)", forks.stderr()).containsPattern("max [1-9]");
        assertThat(Integer.parseInt(forks.stdout().strip().lines().reduce((a, b) -> b).orElse("0")))
                .isLessThanOrEqualTo(48);
    }

    @Test
    void diskIsThePlansSizeAndWritingPastItFails() {
        String[] df = OciTestHost.run(driver, id, "df", "-k", "--output=size", "/").lines().toList().getLast().strip().split("\\s+");
        long sizeKiB = Long.parseLong(df[0]);
        assertThat(sizeKiB).isBetween(100 * 1024L * 8 / 10, 100 * 1024L);

        ProcessResult fill = driver.exec(id, Duration.ofSeconds(60), "dd", "if=/dev/zero", "of=/root/fill", "bs=1M", "count=150");
        assertThat(fill.exitCode()).isNotZero();
        assertThat(fill.stderr()).contains("No space left on device");
        OciTestHost.run(driver, id, "rm", "-f", "/root/fill");
        OciTestHost.run(driver, id, "sh", "-c", "echo still-writable > /root/after-full && cat /root/after-full");
    }
}
