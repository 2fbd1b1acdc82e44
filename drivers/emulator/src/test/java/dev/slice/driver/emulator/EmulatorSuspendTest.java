package dev.slice.driver.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.Resources;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.Suspend;
import dev.slice.driver.tck.ConsoleReader;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Suspend and resume of a real busybox guest through the driver's {@link Suspend} capability: a shell variable, a
 * file in the guest's RAM (tmpfs) and a counting background process are there after the resume, the guest's uptime
 * goes on from where it was while its wall clock is stepped to the host's, the console still answers, and the state
 * file is used up. A 2-vCPU guest is saved whole and runs on both harts after its resume.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmulatorSuspendTest {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final Duration SAVE = Duration.ofSeconds(60);
    private static final Pattern UPTIME = Pattern.compile("UP=(\\d+)\\.\\d+ ");
    private static final Pattern COUNT = Pattern.compile("COUNT=(\\d+)");
    private final EmulatorDriver driver = TestGuests.driver();
    private final GuestId id = TestGuests.id("sus");
    private final GuestId twoHarts = TestGuests.id("sus2");

    @AfterAll
    void destroy() {
        driver.destroy(id);
        driver.destroy(twoHarts);
    }

    private static GuestSpec spec(GuestId id, int vcpus) {
        return new GuestSpec(id, id.value() + ".emu.test", new Resources(vcpus, 128, 256, 0, 0), "debian-12", null,
                Credentials.none());
    }

    @Test
    void aSuspendedGuestGoesOnWhereItWas() throws Exception {
        assertThat(driver.capability(Suspend.class)).isPresent();
        driver.create(spec(id, 1));
        driver.start(id);
        long before, countBefore;
        try (ConsoleReader console = shell()) {
            run(console, "KEPT=value-$((6*7)); echo in-ram-$((40+3)) > /tmp/mine");
            // a process that keeps counting, once a second, into a file in RAM
            run(console, "( i=0; while true; do i=$((i+1)); echo $i > /tmp/count; sleep 1; done ) & echo counting");
            Thread.sleep(3000);
            String out = run(console, "echo UP=$(cat /proc/uptime) COUNT=$(cat /tmp/count)");
            before = number(UPTIME, out);
            countBefore = number(COUNT, out);
        }

        // The busybox guest has no RTC and boots at 1970: set its clock to the host's, so a lag after the resume shows.
        assertThat(exec(id, "date", "-u", "-s", "@" + Instant.now().getEpochSecond()).succeeded()).isTrue();
        driver.suspend(id, SAVE);
        assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);
        assertThat(driver.isSuspended(id)).isTrue();
        assertThat(driver.guest(id).machineState()).isRegularFile();
        Thread.sleep(5000); // suspended time the guest never sees

        long resumedAt = System.nanoTime();
        driver.resume(id);
        assertThat(driver.state(id)).isEqualTo(GuestState.RUNNING);
        assertThat(driver.isSuspended(id)).isFalse();
        assertThat(driver.guest(id).machineState()).as("used up by the resume").doesNotExist();
        long guestClock = Long.parseLong(exec(id, "date", "-u", "+%s").stdout().strip());
        long hostClock = Instant.now().getEpochSecond();
        System.out.println("[EmulatorSuspendTest] after 5 s suspended: guest clock " + guestClock + ", host " + hostClock);
        assertThat(guestClock).as("the guest's wall clock was stepped to the host's on resume (without the step it lags"
                + " by the 5 s suspended)").isBetween(hostClock - 2, hostClock + 2);
        try (ConsoleReader console = shell()) {
            String out = run(console, "echo KEPT=$KEPT FILE=$(cat /tmp/mine) UP=$(cat /proc/uptime) COUNT=$(cat /tmp/count)");
            assertThat(out).contains("KEPT=value-42").contains("FILE=in-ram-43");
            long after = number(UPTIME, out);
            long elapsed = Duration.ofNanos(System.nanoTime() - resumedAt).toSeconds() + 10;
            assertThat(after).as("the uptime goes on from the suspend, without the 5 s suspended")
                    .isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(before + elapsed);
            long countAfter = number(COUNT, out);
            assertThat(countAfter).isGreaterThanOrEqualTo(countBefore);
            Thread.sleep(3000);
            assertThat(number(COUNT, run(console, "echo COUNT=$(cat /tmp/count)"))).as("the counter keeps counting")
                    .isGreaterThan(countAfter);
        }
        Files.readAllLines(driver.guest(id).log()).stream().filter(line -> line.contains("suspend") || line.contains("resumed"))
                .forEach(line -> System.out.println("[EmulatorSuspendTest] " + line));
        driver.stop(id, StopMode.graceful(Duration.ofSeconds(60)));
        assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);
        assertThat(driver.isSuspended(id)).isFalse();
    }

    @Test
    void aTwoHartGuestIsSavedWholeAndRunsOnBothHartsAfterTheResume() throws Exception {
        driver.create(spec(twoHarts, 2));
        driver.start(twoHarts);
        try (ConsoleReader console = shell(twoHarts)) {
            assertThat(run(console, "echo NPROC=$(nproc)")).contains("NPROC=2");
            run(console, "KEPT=two-$((20+2)); echo mine-$((50+5)) > /tmp/mine");
            // two busy loops: the scheduler puts one on each hart, whose timers and IPIs keep them both running
            run(console, "( while :; do :; done ) & P1=$!; ( while :; do :; done ) & P2=$!; echo spinning");
        }
        Thread.sleep(1000);
        driver.suspend(twoHarts, SAVE);
        assertThat(driver.isSuspended(twoHarts)).isTrue();
        driver.resume(twoHarts);
        assertThat(driver.state(twoHarts)).isEqualTo(GuestState.RUNNING);
        try (ConsoleReader console = shell(twoHarts)) {
            assertThat(run(console, "echo NPROC=$(nproc) KEPT=$KEPT FILE=$(cat /tmp/mine)"))
                    .contains("NPROC=2").contains("KEPT=two-22").contains("FILE=mine-55");
            long[] before = cpuTicks(run(console, "grep '^cpu[01] ' /proc/stat"));
            Thread.sleep(2000);
            long[] after = cpuTicks(run(console, "grep '^cpu[01] ' /proc/stat"));
            assertThat(after[0]).as("hart 0 runs guest work after the resume").isGreaterThan(before[0]);
            assertThat(after[1]).as("hart 1 runs guest work after the resume").isGreaterThan(before[1]);
            run(console, "kill $P1 $P2; echo stopped");
        }
        Files.readAllLines(driver.guest(twoHarts).log()).stream().filter(line -> line.contains("suspend") || line.contains("resumed"))
                .forEach(line -> System.out.println("[EmulatorSuspendTest] 2 harts: " + line));
        driver.stop(twoHarts, StopMode.force());
    }

    private static final Pattern CPU_LINE = Pattern.compile("(?m)^cpu([01]) (\\d+) (\\d+) (\\d+)");

    /** User + nice + system ticks of cpu0 and cpu1 from /proc/stat lines (the typed command's echo has none). */
    private static long[] cpuTicks(String stat) {
        long[] ticks = {-1, -1};
        Matcher m = CPU_LINE.matcher(stat);
        while (m.find()) {
            ticks[Integer.parseInt(m.group(1))] = Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)) + Long.parseLong(m.group(4));
        }
        if (ticks[0] < 0 || ticks[1] < 0) throw new AssertionError("no cpu0 and cpu1 lines in: " + stat);
        return ticks;
    }

    private GuestExec.ExecResult exec(GuestId guest, String... argv) {
        return driver.exec(guest, GuestExec.ExecCommand.of(Duration.ofSeconds(30), argv));
    }

    private ConsoleReader shell() { return shell(id); }

    private ConsoleReader shell(GuestId guest) {
        ConsoleReader console = new ConsoleReader(driver.open(guest));
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

    private static int commands = 2000;

    /** The console's output up to the command's own end marker (a replayed history holds earlier ones). */
    private static String run(ConsoleReader console, String command) {
        int n = ++commands;
        console.type(command + "; echo END-$((" + n + "+0))\n");
        String out = console.await(Pattern.compile("(?s).*?END-" + n), Duration.ofSeconds(60));
        console.await(TestGuests.SHELL_PROMPT, Duration.ofSeconds(10));
        return out;
    }

    private static long number(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        long last = -1;
        while (m.find()) last = Long.parseLong(m.group(1)); // the echo of the typed command holds no digits after =
        if (last < 0) throw new AssertionError("no " + pattern + " in: " + text);
        return last;
    }
}
