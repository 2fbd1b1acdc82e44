package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.Resources;
import dev.slice.driver.capability.GuestStats;
import dev.slice.driver.capability.TerminalSize;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.TrafficShaper;
import dev.slice.driver.tck.ConsoleReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One real guest, driven through its serial console like an operator would: the first-boot
 * settings from the spec are in effect, the login takes the terminal's size, libvirt's counters move, and reinstall
 * gives a fresh disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuestOnConsoleTest {
    /** crypt(3) SHA-512 of the password below. */
    private static final String PASSWORD = "slice-test-pw";
    private static final String PASSWORD_HASH =
            "$6$slicetestsalt$IXC5D2V9wC4WjorrCyGgrFI3C5b/8/nHt1WE2zFVAH/5aSjytEeo9OtZGMHo0c.ics.DdWCs/cO/bk73fgFka0";
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGuestOnConsoleTestKeyxxxxxxxxxxxxxxxxxxxxxx test@slice";
    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final Duration COMMAND = Duration.ofSeconds(60);

    private final LibvirtDriver driver = TestHost.qemuDriver();
    private final GuestId id = GuestId.of("console-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));
    private static final int MBIT = 50;
    private final GuestSpec spec = TestHost.debianSpec(id, 201, new Credentials(PASSWORD_HASH, List.of(KEY)))
            .withResources(new Resources(1, 256, 1024, 0, MBIT));

    @AfterAll
    void cleanUp() {
        driver.destroy(id);
        driver.close();
        assertThat(Path.of("/sys/class/net", TrafficShaper.ifbFor(DomainXml.interfaceName(id)))).doesNotExist();
    }

    @Test
    @Order(1)
    void aDiskSmallerThanTheTemplateIsRejectedAndNothingIsLeft() {
        GuestSpec tiny = spec.withResources(Resources.of(1, 256, 64));
        assertThatThrownBy(() -> driver.create(tiny))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("smaller than template 'debian-12'");
        assertThat(driver.state(id)).isEqualTo(GuestState.ABSENT);
    }

    @Test
    @Order(2)
    void firstBootAppliesHostnameAddressPasswordKeysAndDiskSize() throws Exception {
        driver.create(spec);
        driver.start(id);
        // A terminal of 40x127, which the login asks for its size (ESC[6n) as the panel's xterm.js is asked.
        try (ConsoleReader console = new ConsoleReader(driver.open(id), new TerminalSize(40, 127))) {
            logIn(console);
            assertThat(run(console, "stty size")).contains("40 127");
            assertThat(run(console, "hostname")).contains(spec.hostname());
            assertThat(run(console, "ip -4 -o addr show dev eth0")).contains("inet 10.77.0.201/24");
            assertThat(run(console, "ip link show dev eth0")).contains(spec.network().mac());
            assertThat(run(console, "cat /root/.ssh/authorized_keys")).contains(KEY);
            // The plan's 1024 MiB disk, not the template's smaller base image.
            String size = run(console, "df -m --output=size / | tail -1").strip();
            assertThat(Long.parseLong(size.lines().filter(l -> l.strip().matches("\\d+")).findFirst().orElseThrow().strip()))
                    .isGreaterThan(900);
            assertThat(run(console, "ls /etc/ssh/ssh_host_ed25519_key")).doesNotContain("No such file");
        }
        // The plan's bandwidth, shaped by the driver both ways on the interface it named (UmlBandwidthTest
        // measures the same TrafficShaper with traffic).
        String device = DomainXml.interfaceName(id);
        assertThat(TestHost.PROCESSES.runChecked(HostCommand.of("tc", "qdisc", "show", "dev", device)).stdout())
                .contains("tbf").contains("rate " + MBIT + "Mbit");
        assertThat(TestHost.PROCESSES.runChecked(HostCommand.of("tc", "qdisc", "show", "dev", TrafficShaper.ifbFor(device)))
                .stdout()).contains("rate " + MBIT + "Mbit");
    }

    @Test
    @Order(3)
    void statsCountCpuMemoryDiskAndNetwork() throws Exception {
        try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
            console.type("\n");
            console.await(Pattern.compile("# "), COMMAND);
            // A later viewer of another size (this reader's 24x80) gets it with resize.
            assertThat(run(console, "resize; stty size")).contains("24 80\r\n24 80");
            run(console, "ping -c 2 -W 1 10.77.0.1; dd if=/dev/zero of=/root/blob bs=1M count=8 conv=fsync 2>&1");
        }
        GuestStats stats = driver.read(id);
        assertThat(stats.cpuTimeNanos()).isPositive();
        assertThat(stats.memoryBytes()).isPositive();
        assertThat(stats.diskReadBytes()).isPositive();
        assertThat(stats.diskWriteBytes()).isGreaterThanOrEqualTo(8L << 20);
        assertThat(stats.netTxBytes()).isPositive();
        assertThat(stats.netRxBytes()).isNotNegative();
    }

    @Test
    @Order(4)
    void rebootShutsTheGuestDownCleanlyAndBootsItAgain() throws Exception {
        try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
            console.type("\n");
            console.await(Pattern.compile("# "), COMMAND);
            String before = run(console, "cat /proc/sys/kernel/random/boot_id");
            // The first-boot settings are applied once per settings id: the customer's own edit survives.
            run(console, "echo '10.1.2.3 customer-entry' >> /etc/hosts && sync");
            driver.reboot(id);
            // The kernel's last word of a clean shutdown (it prints even with "quiet").
            console.await(Pattern.compile("reboot: (Power down|Restarting system)"), BOOT);
            assertThat(driver.state(id)).isEqualTo(GuestState.RUNNING);
            // The user name typed the moment the new boot's prompt shows (as a person or the panel's login helper
            // does), with no Enter first: agetty flushes what came during its first second, before the prompt, but
            // keeps what comes after it (measured on a pty), and this console's path must lose nothing either.
            console.await(Pattern.compile("login: "), BOOT);
            long typed = System.nanoTime();
            console.type("root\n");
            console.await(Pattern.compile("Password: "), Duration.ofSeconds(20));
            System.out.printf("GuestOnConsoleTest: 'Password:' %d ms after the name was typed at the prompt%n",
                    (System.nanoTime() - typed) / 1_000_000);
            console.type(PASSWORD + "\n");
            console.await(Pattern.compile("# "), COMMAND);
            String after = run(console, "cat /proc/sys/kernel/random/boot_id");
            assertThat(bootId(after)).isNotEqualTo(bootId(before));
            assertThat(run(console, "grep -c customer-entry /etc/hosts")).containsPattern("(?m)^1\\r?$");
            // The initrd configures eth0 at every boot.
            assertThat(run(console, "ip -4 -o addr show dev eth0")).contains("inet 10.77.0.201/24");
        }
    }

    private static String bootId(String output) {
        return output.lines().filter(line -> line.matches("[0-9a-f-]{36}")).findFirst()
                .orElseThrow(() -> new AssertionError("no boot id in: " + output));
    }

    @Test
    @Order(5)
    void reinstallGivesAFreshDiskWithTheSameSettings() throws Exception {
        try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
            console.type("\n");
            console.await(Pattern.compile("# "), COMMAND);
            run(console, "touch /root/before-reinstall && sync");
        }
        driver.reinstall(spec);
        assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);
        driver.start(id);
        try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
            logIn(console);
            assertThat(run(console, "ls /root")).doesNotContain("before-reinstall", "blob");
            assertThat(run(console, "hostname")).contains(spec.hostname());
        }
    }

    @Test
    @Order(6)
    void statsOfAStoppedGuestSayItIsNotRunning() {
        driver.stop(id, dev.slice.driver.StopMode.force());
        assertThatThrownBy(() -> driver.read(id)).hasMessageContaining("not running");
    }

    private static void logIn(ConsoleReader console) {
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (true) {
            console.type("\n");
            try {
                console.await(Pattern.compile("login: "), Duration.ofSeconds(3));
                break;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) throw notYet;
            }
        }
        console.type("root\n");
        console.await(Pattern.compile("Password: "), COMMAND);
        console.type(PASSWORD + "\n");
        console.await(Pattern.compile("# "), COMMAND);
    }

    /** Types a command and returns what it printed, up to an end marker the command cannot print by accident. */
    private static String run(ConsoleReader console, String command) {
        console.type(command + "; echo '--''END--'\n");
        String output = console.await(Pattern.compile("(?s).*?--END--"), COMMAND);
        console.await(Pattern.compile("# "), COMMAND);
        return output;
    }
}
