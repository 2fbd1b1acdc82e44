package dev.slice.driver.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.Resources;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.GuestStats;
import dev.slice.driver.host.CpuCgroup;
import dev.slice.driver.tck.ConsoleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** What the contract kit does not cover: the guest's own power-off, its disk, console history, cgroup, adoption, stats. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmulatorGuestTest {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private final EmulatorDriver driver = TestGuests.driver();
    private final GuestId id = TestGuests.id("emu");
    /** Two vCPUs: two harts, each a host thread, capped together at two CPUs. */
    private final GuestSpec spec = TestGuests.spec(id, 128).withResources(new Resources(2, 128, 256, 0, 0));

    @AfterAll
    void destroy() {
        driver.destroy(id);
    }

    private static ConsoleReader shell(EmulatorDriver driver, GuestId id) {
        ConsoleReader console = new ConsoleReader(driver.open(id));
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (true) {
            console.type("\n");
            try {
                console.await(TestGuests.SHELL_PROMPT, Duration.ofSeconds(3));
                return console;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) throw notYet;
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger COMMANDS = new java.util.concurrent.atomic.AtomicInteger(1000);

    /** Runs a command and returns the console up to its own end marker (a replayed history holds earlier markers). */
    private static String run(ConsoleReader console, String command) {
        int n = COMMANDS.incrementAndGet();
        console.type(command + "; echo END-$((" + n + "+0))\n");
        String out = console.await(Pattern.compile("(?s).*?END-" + n), Duration.ofSeconds(60));
        console.await(TestGuests.SHELL_PROMPT, Duration.ofSeconds(10));
        return out;
    }

    @Test
    @Order(1)
    void theGuestWritesItsCopyOnWriteDiskAndItsHostnameIsTheSpecs() throws Exception {
        driver.create(spec);
        driver.start(id);
        try (ConsoleReader console = shell(driver, id)) {
            assertThat(run(console, "hostname")).contains(spec.hostname());
            assertThat(run(console, "echo cpus-$(nproc)")).contains("cpus-2");
            String disk = run(console, "mount -t ext2 /dev/vda /mnt && cat /mnt/hello.txt && echo kept-$((6*7)) > /mnt/mine.txt"
                    + " && sync && umount /mnt && echo written");
            assertThat(disk).contains("written");
        }
        assertThat(Files.size(driver.guest(id).disk())).as("the overlay holds the written clusters only")
                .isLessThan(16L << 20);
    }

    @Test
    @Order(2)
    void aGracefulStopIsTheGuestPoweringItselfOff() throws Exception {
        ConsoleReader console = new ConsoleReader(driver.open(id));
        long started = System.nanoTime();
        driver.stop(id, StopMode.graceful(Duration.ofSeconds(60)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);
        assertThat(took).as("well before the 60 s after which the driver forces it").isLessThan(Duration.ofSeconds(30));
        assertThat(console.transcript()).contains("power-off requested by the host");
        console.close();
        assertThat(Files.readString(driver.guest(id).log())).contains("SIGTERM: asking the guest to power off");
    }

    @Test
    @Order(3)
    void theDiskKeepsWhatTheGuestWroteAcrossARestartAndTheConsoleReplaysWhatNobodyWatched() throws Exception {
        driver.start(id);
        // Nobody is attached while it boots; the boot messages are kept for the first one who attaches.
        Thread.sleep(2000);
        try (ConsoleReader console = shell(driver, id)) {
            assertThat(console.transcript()).contains("Linux version");
            assertThat(run(console, "mount -t ext2 /dev/vda /mnt && cat /mnt/mine.txt; umount /mnt")).contains("kept-42");
        }
    }

    @Test
    @Order(4)
    void theGuestRunsInItsCpuCgroupWithTheQuotaOfItsVcpus() throws Exception {
        CpuCgroup cgroup = driver.cgroup().orElseThrow();
        assertThat(cgroup.quotaMicros(id)).as("2 vCPUs: 200 %% of a CPU").contains(2 * CpuCgroup.PERIOD_MICROS);
        long pid = Long.parseLong(Files.readString(driver.guest(id).pidFile()).strip());
        assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")))
                .contains(EmulatorDriver.CGROUP_PARENT + "/" + id.value());
        GuestStats stats = driver.read(id);
        assertThat(stats.cpuTimeNanos()).isPositive();
        assertThat(stats.memoryBytes()).isPositive();
    }

    @Test
    @Order(5)
    void aNewDriverInstanceAdoptsTheGuestButNeverAnotherProcessWithItsPid() throws Exception {
        EmulatorDriver reopened = TestGuests.driver();
        assertThat(reopened.state(id)).isEqualTo(GuestState.RUNNING);
        try (ConsoleReader console = shell(reopened, id)) {
            assertThat(run(console, "echo adopted-$((1+1))")).contains("adopted-2");
        }
        Path processFile = reopened.guest(id).processFile();
        String real = Files.readString(processFile);
        Files.writeString(processFile, real.strip().split(" ")[0] + " 1\n"); // same pid, another start time
        assertThat(reopened.state(id)).as("a pid whose start time differs is another process").isEqualTo(GuestState.STOPPED);
        Files.writeString(processFile, real);
        assertThat(reopened.state(id)).isEqualTo(GuestState.RUNNING);
        reopened.stop(id, StopMode.force());
        assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);
    }

    @Test
    @Order(6)
    void reinstallingGivesAFreshDiskFromTheTemplate() throws Exception {
        driver.destroy(id);
        assertThat(driver.guest(id).dir()).doesNotExist();
        driver.create(spec);
        driver.start(id);
        try (ConsoleReader console = shell(driver, id)) {
            assertThat(run(console, "mount -t ext2 /dev/vda /mnt && ls /mnt; umount /mnt")).contains("hello.txt")
                    .doesNotContain("mine.txt");
        }
        driver.stop(id, StopMode.force());
    }

    @Test
    @Order(7)
    void specsTheMachineCannotRunAreRejectedLeavingNothing() {
        GuestId other = TestGuests.id("emu-bad");
        GuestSpec manyHarts = spec.withResources(new Resources(EmulatorDriver.MAX_VCPUS + 1, 128, 256, 0, 0));
        GuestSpec badSpec = new GuestSpec(other, spec.hostname(), manyHarts.resources(), spec.template(), spec.network(),
                spec.credentials());
        assertThatThrownBy(() -> driver.create(badSpec)).isInstanceOf(InvalidSpecException.class).hasMessageContaining("vCPUs");
        GuestSpec tinyDisk = new GuestSpec(other, spec.hostname(), new Resources(1, 32, 256, 0, 0), spec.template(),
                spec.network(), spec.credentials());
        assertThatThrownBy(() -> driver.create(tinyDisk)).isInstanceOf(InvalidSpecException.class).hasMessageContaining("memory");
        assertThat(driver.state(other)).isEqualTo(GuestState.ABSENT);
    }
}
