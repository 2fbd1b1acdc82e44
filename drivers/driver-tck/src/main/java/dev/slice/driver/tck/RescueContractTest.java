package dev.slice.driver.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.Credentials;
import dev.slice.driver.Driver;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import dev.slice.driver.capability.Rescue;
import dev.slice.driver.capability.Rescue.RescueDisk;
import dev.slice.driver.capability.Rescue.RescueSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link Rescue} contract, against a driver's real backend, read and written through {@link GuestExec}: a file
 * written on the guest's own disk before is not in the rescue system's root, the guest's disk is a block device there
 * that nothing mounted, the file is readable on it by hand (mounted where the backend allows, with debugfs where not),
 * root's password hash is the one-time one, and the guest's hostname is kept; being in rescue is on the host (another
 * driver instance sees it, and a stop and start boots rescue again); entering again converges, and entering with another
 * spec is refused; leaving boots the guest's own system with its file, its own root password and what was repaired in
 * rescue; leaving a guest not in rescue changes nothing; a guest in rescue can be destroyed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RescueContractTest {
    /** crypt(3) SHA-512 of "one-time-rescue" (openssl passwd -6 -salt rescuetck). */
    protected static final String ONE_TIME_HASH =
            "$6$rescuetck$kihJ96KK8BZ4MmmZfz1I.e5vg.hV27BHx1v.hVsreRwn2p6HxyHMIGfXXhN0qS6LxO0Rrm2wwum1e31aOCFh/1";
    /** Another password's hash (openssl passwd -6 -salt othertck other), for the refused second spec. */
    private static final String OTHER_HASH =
            "$6$othertck$kR0RJwh0hyu..6ZaNK1ctI1tQWZxQcbN9JUb3wWhIYjiACMT4oo.aA5gAC5YwF61QdgzrAgXc6h/V0YQCYDpg1";
    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN = Duration.ofSeconds(30);
    private static final String FILE = "/root/slice-rescue-test";
    private static final String REPAIRED = "/root/slice-rescue-repaired";

    protected abstract Driver driver();

    /** A fresh driver instance on the same backend, as after a restart of Slice. */
    protected abstract Driver anotherDriver();

    /** A spec of a template whose guests run {@link GuestExec} commands, with a root password hash of its own. */
    protected abstract GuestSpec spec(GuestId id);

    /** The rescue system's template: one whose systems run {@link GuestExec} commands and have e2fsprogs. */
    protected abstract String rescueTemplate();

    /** From a start until the guest runs commands. */
    protected Duration readyTimeout() { return Duration.ofSeconds(180); }

    /** After a leave, with the guest's own system running: the backend's own further checks. */
    protected void left(GuestId id) throws Exception {}

    private final GuestId id = GuestId.of("resc-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));

    protected GuestId guest() { return id; }

    @AfterAll
    void destroyGuest() {
        driver().destroy(id);
    }

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void theRescueSystemSeesTheUnmountedDiskAndLeavingBootsTheGuestsOwnSystem() throws Exception {
        Rescue rescue = driver().capability(Rescue.class)
                .orElseThrow(() -> new AssertionError(driver().name() + " offers no Rescue"));
        RescueSpec spec = new RescueSpec(rescueTemplate(), new Credentials(ONE_TIME_HASH, List.of()));
        RescueDisk disk = rescue.disk();
        String token = "kept-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        GuestSpec own = spec(id);
        driver().create(own);
        assertThat(rescue.inRescue(id)).isFalse();
        driver().start(id);
        run("sh", "-c", "echo " + token + " > " + FILE + " && sync");
        String ownHash = rootHash();
        assertThat(ownHash).as("the guest's own root password").isNotEqualTo(ONE_TIME_HASH);
        rescue.leave(id, SHUTDOWN);
        assertThat(driver().state(id)).as("leaving a guest not in rescue").isEqualTo(GuestState.RUNNING);
        assertThat(rescue.inRescue(id)).isFalse();

        rescue.enter(id, spec, SHUTDOWN);
        assertThat(driver().state(id)).isEqualTo(GuestState.RUNNING);
        assertThat(rescue.inRescue(id)).isTrue();
        assertThat(anotherDriver().capability(Rescue.class).orElseThrow().inRescue(id))
                .as("being in rescue is on the host, not in the driver").isTrue();
        assertRescueSystem(disk, token);
        run("sh", "-c", "test -b " + disk.device() + " && ! grep -q '^" + disk.device() + " ' /proc/mounts");
        repairByHand(disk);

        rescue.enter(id, spec, SHUTDOWN); // a repeated step stays in rescue
        assertThat(rescue.inRescue(id)).isTrue();
        assertThat(driver().state(id)).isEqualTo(GuestState.RUNNING);
        RescueSpec other = new RescueSpec(rescueTemplate(), new Credentials(OTHER_HASH, List.of()));
        assertThatThrownBy(() -> rescue.enter(id, other, SHUTDOWN))
                .as("another spec while in rescue").isInstanceOf(DriverException.class).hasMessageContaining("leave");

        driver().stop(id, StopMode.force());
        assertThat(rescue.inRescue(id)).isTrue();
        driver().start(id);
        assertRescueSystem(disk, token);

        rescue.leave(id, SHUTDOWN);
        assertThat(rescue.inRescue(id)).isFalse();
        assertThat(driver().state(id)).isEqualTo(GuestState.RUNNING);
        assertThat(run("cat", FILE).stdout()).as("the guest's own disk").isEqualTo(token + "\n");
        assertThat(run("cat", REPAIRED).stdout()).as("written on the disk in rescue").isEqualTo("repaired\n");
        assertThat(rootHash()).as("the guest's own root password again").isEqualTo(ownHash);
        assertThat(run("hostname").stdout().strip()).isEqualTo(own.hostname());
        left(id);
        rescue.leave(id, SHUTDOWN);
        assertThat(driver().state(id)).isEqualTo(GuestState.RUNNING);

        rescue.enter(id, spec, SHUTDOWN);
        driver().destroy(id);
        assertThat(driver().state(id)).isEqualTo(GuestState.ABSENT);
        assertThat(rescue.inRescue(id)).isFalse();
        assertThatThrownBy(() -> rescue.enter(id, spec, SHUTDOWN)).isInstanceOf(GuestNotFoundException.class);
    }

    @Test
    void aRescueSpecNeedsATemplateAndAOneTimePassword() {
        assertThatThrownBy(() -> new RescueSpec("Bad Name", new Credentials(ONE_TIME_HASH, List.of())))
                .isInstanceOf(InvalidSpecException.class);
        assertThatThrownBy(() -> new RescueSpec(rescueTemplate(), Credentials.none()))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("one-time password");
        assertThat(new RescueSpec(rescueTemplate(), new Credentials(ONE_TIME_HASH, List.of())).toString())
                .doesNotContain(ONE_TIME_HASH);
    }

    /** The rescue system runs: its own root (no file of the guest's), the one-time password, the guest's hostname. */
    private void assertRescueSystem(RescueDisk disk, String token) throws InterruptedException {
        assertThat(run("sh", "-c", "cat " + FILE + " 2>/dev/null || echo absent").stdout())
                .as("the rescue system's root is not the guest's disk").isEqualTo("absent\n");
        assertThat(rootHash()).as("root's one-time password").isEqualTo(ONE_TIME_HASH);
        assertThat(run("hostname").stdout().strip()).isEqualTo(spec(id).hostname());
        assertThat(readOnDisk(disk, FILE)).as("the file on the guest's disk, read by hand").isEqualTo(token + "\n");
    }

    /** What a customer would do: mount the disk (or, in a container, use debugfs on it), read the file, let go. */
    private String readOnDisk(RescueDisk disk, String path) throws InterruptedException {
        String onDisk = disk.pathOnDisk(path);
        if (disk.mountable()) {
            return run("sh", "-c", "mkdir -p /mnt/disk && mount -o ro " + disk.device() + " /mnt/disk && cat /mnt/disk"
                    + onDisk + "; status=$?; umount /mnt/disk; exit $status").stdout();
        }
        return run("debugfs", "-R", "cat " + onDisk, disk.device()).stdout();
    }

    /** A repair made in rescue: a file written on the guest's disk, for the guest's own system to find. */
    private void repairByHand(RescueDisk disk) throws InterruptedException {
        if (disk.mountable()) {
            run("sh", "-c", "mount " + disk.device() + " /mnt/disk && echo repaired > /mnt/disk"
                    + disk.pathOnDisk(REPAIRED) + " && umount /mnt/disk");
        } else {
            // debugfs writes a new file into its current directory, under the name given.
            String onDisk = disk.pathOnDisk(REPAIRED);
            int slash = onDisk.lastIndexOf('/');
            run("sh", "-c", "echo repaired > /tmp/repaired && printf 'cd %s\\nwrite /tmp/repaired %s\\n' "
                    + onDisk.substring(0, slash) + " " + onDisk.substring(slash + 1)
                    + " > /tmp/repair.debugfs && debugfs -w -f /tmp/repair.debugfs " + disk.device());
        }
        run("sh", "-c", "! grep -q '^" + disk.device() + " ' /proc/mounts");
    }

    private String rootHash() throws InterruptedException {
        return run("sh", "-c", "grep '^root:' /etc/shadow | cut -d: -f2").stdout().strip();
    }

    /** Runs a command, retried until the guest answers (just started); it must exit 0. */
    protected ExecResult run(String... argv) throws InterruptedException {
        GuestExec exec = driver().capability(GuestExec.class)
                .orElseThrow(() -> new AssertionError(driver().name() + " offers no GuestExec"));
        long deadline = System.nanoTime() + readyTimeout().toNanos();
        while (true) {
            try {
                ExecResult result = exec.exec(id, ExecCommand.of(COMMAND, argv));
                assertThat(result.exitCode()).as("%s: %s", String.join(" ", argv), result.stderr()).isZero();
                return result;
            } catch (DriverException notYet) {
                if (System.nanoTime() > deadline) throw notYet;
                Thread.sleep(200);
            }
        }
    }
}
