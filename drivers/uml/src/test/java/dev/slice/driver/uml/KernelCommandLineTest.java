package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.GuestId;
import dev.slice.driver.HostContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The linux.uml arguments a guest record turns into. */
class KernelCommandLineTest {
    private final UmlSettings settings = UmlSettings.from(HostContext.of(Path.of("/data")));
    private final GuestDirectory guest = GuestDirectory.of(settings, GuestId.of("g1"));

    @Test
    void aGuestBootsItsCopyOnWriteDiskWithPlanMemoryConsoleAndTap() {
        GuestRecord record = new GuestRecord(GuestId.of("g1"), "debian-12", Path.of("/t/base-2048M.img"), 256, 1, 2048,
                "uml-abc", "52:54:00:00:00:01", "slicebr0", "h");
        assertThat(KernelCommandLine.of(settings, guest, record)).containsExactly(
                "/usr/bin/linux.uml", "umid=vm", "uml_dir=/data/uml/g1", "mem=256M",
                "ubd0=/data/uml/g1/disk.cow,/t/base-2048M.img", "ubd1r=/data/uml/g1/settings.img",
                "root=/dev/ubda", "rw", "con=null", "con0=fd:0,fd:1", "ssl=null",
                "eth0=tuntap,uml-abc,52:54:00:00:00:01", "quiet",
                "initcall_blacklist=raid6_select_algo");
    }

    @Test
    void theManagementSocketFitsAUnixSocketAddressForTheLongestGuestId() {
        GuestDirectory longest = GuestDirectory.of(UmlSettings.from(HostContext.of(Path.of("/var/lib/slice"))),
                GuestId.of("a".repeat(48)));
        assertThat(longest.mconsoleSocket().toString().length()).isLessThan(108);
        assertThat(longest.consoleSocket().toString().length()).isLessThan(108);
        assertThat(TapDevice.nameFor(GuestId.of("a".repeat(48)))).hasSizeLessThanOrEqualTo(15);
    }
}
