package dev.slice.driver.uml;

import dev.slice.driver.host.TapDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.GuestId;
import dev.slice.driver.HostContext;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The linux.uml arguments a guest record turns into, and the jail around them. */
class KernelCommandLineTest {
    private final UmlSettings settings = UmlSettings.from(HostContext.of(Path.of("/data")));
    private final GuestDirectory guest = GuestDirectory.of(settings, GuestId.of("g1"));
    private final GuestRecord record = new GuestRecord(GuestId.of("g1"), "debian-12", Path.of("/t/base-2048M.img"),
            256, 1, 2048, 1600000042, 0, "uml-abc", "52:54:00:00:00:01", "slicebr0", "h");
    private final Path kernel = Path.of("/k/7.2um1/linux.uml");

    @Test
    void aGuestBootsItsCopyOnWriteDiskWithPlanMemoryConsoleAndTap() {
        assertThat(KernelCommandLine.of(kernel, settings, guest, record, Optional.empty())).containsExactly(
                "/k/7.2um1/linux.uml", "umid=vm", "uml_dir=/data/uml/g1/own", "mem=256M", "seccomp=off",
                "ubd0=/data/uml/g1/own/disk.cow,/t/base-2048M.img", "ubd1r=/data/uml/g1/settings.img",
                "root=/dev/ubda", "rw", "con=null", "con0=fd:0,fd:1", "ssl=null", "ssl1=fd:3,fd:4",
                "vec0:transport=tap,ifname=uml-abc,mac=52:54:00:00:00:01,gro=1", "quiet",
                "initcall_blacklist=raid6_init,raid6_select_algo");
    }

    @Test
    void theProcessModeIsTheOperatorsChoice() {
        UmlSettings seccomp = UmlSettings.from(new HostContext(Path.of("/data"), Map.of("uml.process-mode", "seccomp"), new ProcessRunner()));
        assertThat(KernelCommandLine.of(kernel, seccomp, guest, record, Optional.empty())).contains("seccomp=on");
        assertThatThrownBy(() -> UmlSettings.from(new HostContext(Path.of("/data"), Map.of("uml.process-mode", "kvm"), new ProcessRunner())))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("'seccomp' or 'ptrace'");
    }

    @Test
    void theKernelRunsAsTheGuestsUserWithoutCapabilitiesSeeingOnlyItsOwnFiles() {
        List<String> argv = GuestJail.wrap(kernel.getParent(), guest, record, Optional.empty(), List.of("/k/7.2um1/linux.uml", "mem=256M"));
        assertThat(argv.subList(0, 7)).containsExactly("setpriv", "--reuid=1600000042", "--regid=1600000042",
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs");
        assertThat(String.join(" ", argv))
                .contains("bwrap --unshare-user --unshare-ipc --unshare-uts")
                .contains("--ro-bind /k/7.2um1 /k/7.2um1")
                .contains("--ro-bind /t/base-2048M.img /t/base-2048M.img")
                .contains("--ro-bind /data/uml/g1/settings.img /data/uml/g1/settings.img")
                .contains("--bind /data/uml/g1/own /data/uml/g1/own")
                .contains("--dev /dev --dev-bind /dev/net/tun /dev/net/tun --tmpfs /dev/shm")
                .endsWith("-- /k/7.2um1/linux.uml mem=256M");
        // Only the guest's own directory is writable: its record and the console socket are out of reach.
        assertThat(argv).doesNotContain("/data/uml/g1", "/data", "/");
    }

    @Test
    void inRescueTheRescueRootAndItsSettingsComeFirstAndTheGuestsOwnDiskIsUbdc() {
        Optional<RescueRecord> rescue = Optional.of(new RescueRecord("debian-12", Path.of("/r/base-2048M.img"), "h"));
        assertThat(KernelCommandLine.of(kernel, settings, guest, record, rescue)).containsSubsequence(
                "ubd0=/data/uml/g1/own/rescue.cow,/r/base-2048M.img", "ubd1r=/data/uml/g1/rescue-settings.img",
                "ubd2=/data/uml/g1/own/disk.cow,/t/base-2048M.img", "root=/dev/ubda")
                .doesNotContain("ubd1r=/data/uml/g1/settings.img");
        String jail = String.join(" ", GuestJail.wrap(kernel.getParent(), guest, record, rescue, List.of("k")));
        assertThat(jail).contains("--ro-bind /r/base-2048M.img /r/base-2048M.img")
                .contains("--ro-bind /data/uml/g1/rescue-settings.img /data/uml/g1/rescue-settings.img")
                .contains("--ro-bind /t/base-2048M.img /t/base-2048M.img")
                .endsWith("-- k");
    }

    @Test
    void theManagementSocketFitsAUnixSocketAddressForTheLongestGuestId() {
        GuestDirectory longest = GuestDirectory.of(UmlSettings.from(HostContext.of(Path.of("/var/lib/slice"))),
                GuestId.of("a".repeat(48)));
        assertThat(longest.mconsoleSocket().toString().length()).isLessThan(108);
        assertThat(longest.consoleSocket().toString().length()).isLessThan(108);
        assertThat(TapDevice.nameFor(UmlDriver.TAP_PREFIX, GuestId.of("a".repeat(48)))).hasSizeLessThanOrEqualTo(15);
    }
}
