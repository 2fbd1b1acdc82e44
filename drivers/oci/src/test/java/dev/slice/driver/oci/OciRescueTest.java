package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.Resources;
import dev.slice.driver.tck.RescueContractTest;
import java.nio.file.Path;

/**
 * The Rescue contract on real runc containers: the rescue system is the debian-12 template in memory, the guest's
 * disk image a loop device it may read and write but not mount (no CAP_SYS_ADMIN), so the test reads and repairs it
 * with debugfs. Beyond the contract: after a leave no loop device stays on the disk image and the rescue files are gone.
 */
class OciRescueTest extends RescueContractTest {
    /** crypt(3) SHA-512 of "own-password" (openssl passwd -6 -salt ocitck): the guest's own root password. */
    private static final String OWN_HASH =
            "$6$ocitck$9NX9sBT.y3a.XMYGFik09jYU/FWC7l/7KoTj1mJyXbZP/ryQY.ZYcjSAva3tCqX5Q1iQ/ncS4aw68IPMfTJq91";
    private final OciDriver driver = OciTestHost.openDriver();

    @Override
    protected Driver driver() { return driver; }

    @Override
    protected Driver anotherDriver() { return OciTestHost.openDriver(); }

    @Override
    protected GuestSpec spec(GuestId id) {
        return OciTestHost.spec(id, 76, new Resources(1, 256, 512, 256, 0), new Credentials(OWN_HASH, java.util.List.of()));
    }

    @Override
    protected String rescueTemplate() { return "debian-12"; }

    @Override
    protected void left(GuestId id) {
        GuestLayout layout = new GuestLayout(OciTestHost.dataDir().resolve("oci/guests").resolve(id.value()));
        assertThat(layout.rescueMark()).doesNotExist();
        assertThat(layout.rescueFirstBootDir()).doesNotExist();
        assertThat(layout.rescueRoot()).doesNotExist();
        assertThat(Mounts.isMounted(layout.diskMount())).as("the guest's own disk is mounted again").isTrue();
        String loops = new dev.slice.driver.host.ProcessRunner().runChecked(dev.slice.driver.host.HostCommand.of(
                HostTools.path("losetup"), "--list", "--associated", layout.diskImage().toString(), "--noheadings",
                "--output", "NAME")).stdout();
        assertThat(loops.lines().count()).as("only the disk's own mount holds a loop device: " + loops).isEqualTo(1);
        assertThat(Mounts.at(layout.diskMount()).orElseThrow().source()).isEqualTo(loops.strip());
    }
}
