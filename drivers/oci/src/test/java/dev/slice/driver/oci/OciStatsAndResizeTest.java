package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.Resources;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.GuestStats;
import dev.slice.driver.capability.Resize;
import dev.slice.driver.capability.Stats;
import dev.slice.driver.host.HostBridge;
import dev.slice.driver.host.ProcessRunner;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** Usage counters come from the kernel; resizing changes the running container's limits and grows its disk. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OciStatsAndResizeTest {
    private static final long MIB = 1024 * 1024;
    private final OciDriver driver = OciTestHost.openDriver();
    private final GuestId id = OciTestHost.uniqueId("usage");

    @BeforeAll
    void startGuest() {
        driver.create(OciTestHost.spec(id, 50, new Resources(1, 128, 128, 64, 0), Credentials.none()));
        driver.start(id);
        new HostBridge(new ProcessRunner()).ensureAddress(OciTestHost.BRIDGE, OciTestHost.GATEWAY_CIDR);
    }

    @AfterAll
    void destroyGuest() {
        driver.destroy(id);
    }

    @Test
    @Order(1)
    void statsCountCpuMemoryDiskWritesAndTraffic() {
        Stats stats = driver.capability(Stats.class).orElseThrow();
        GuestStats before = stats.read(id);
        OciTestHost.run(driver, id, "dd", "if=/dev/zero", "of=/root/written", "bs=1M", "count=16", "conv=fsync");
        OciTestHost.run(driver, id, "sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done");
        OciTestHost.run(driver, id, "ping", "-c", "2", "-i", "0.2", "-s", "1000", OciTestHost.GATEWAY);
        GuestStats after = stats.read(id);

        assertThat(after.cpuTimeNanos()).isGreaterThan(before.cpuTimeNanos());
        assertThat(after.memoryBytes()).isPositive().isLessThanOrEqualTo(128 * MIB);
        assertThat(after.diskWriteBytes() - before.diskWriteBytes()).isGreaterThanOrEqualTo(16 * MIB);
        assertThat(after.netTxBytes() - before.netTxBytes()).isGreaterThanOrEqualTo(2 * 1000);
        assertThat(after.netRxBytes() - before.netRxBytes()).isGreaterThanOrEqualTo(2 * 1000);
    }

    @Test
    @Order(2)
    void resizeChangesTheRunningContainersLimitsAtOnce() {
        Resources bigger = new Resources(2, 192, 256, 96, 0);
        driver.capability(Resize.class).orElseThrow().resize(id, bigger);

        String memoryFile = CgroupMode.detect().isV2() ? "memory.max" : "memory.limit_in_bytes";
        assertThat(Long.parseLong(OciTestHost.cgroupFile(driver, id, "memory", memoryFile))).isEqualTo(192 * MIB);
        assertThat(OciTestHost.cgroupFile(driver, id, "pids", "pids.max")).isEqualTo("96");
        if (CgroupMode.detect().isV2()) {
            assertThat(OciTestHost.cgroupFile(driver, id, "cpu", "cpu.max")).isEqualTo("200000 100000");
        } else {
            assertThat(OciTestHost.cgroupFile(driver, id, "cpu", "cpu.cfs_quota_us")).isEqualTo("200000");
        }
        assertThat(dfSizeKiB()).as("the disk grows at the next start").isLessThanOrEqualTo(128 * 1024L);
        assertThat(driver.storedSpec(id).resources()).isEqualTo(bigger);
    }

    @Test
    @Order(3)
    void afterARestartTheDiskHasGrownKeepingItsFilesAndTheLimitsHold() {
        driver.stop(id, StopMode.graceful(Duration.ofSeconds(20)));
        driver.start(id);
        assertThat(OciTestHost.cgroupFile(driver, id, "pids", "pids.max")).isEqualTo("96");
        assertThat(dfSizeKiB()).isGreaterThan(200 * 1024L);
        assertThat(OciTestHost.run(driver, id, "ls", "/root")).contains("written");
    }

    @Test
    @Order(4)
    void aDiskNeverShrinks() {
        assertThatThrownBy(() -> driver.resize(id, new Resources(2, 192, 128, 96, 0)))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("cannot shrink");
    }

    private long dfSizeKiB() {
        return Long.parseLong(OciTestHost.run(driver, id, "df", "-k", "--output=size", "/").lines().toList().getLast().strip());
    }
}
