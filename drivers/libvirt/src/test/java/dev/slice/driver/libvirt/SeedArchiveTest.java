package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.firstboot.FirstBootSettings;
import dev.slice.driver.firstboot.SettingsFile;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed is a tar holding the one settings file, which the initramfs's busybox and the shared script read. */
class SeedArchiveTest {
    private static final String HASH = "$6$saltsalt$bNrlwuGGG0ECj4x5mlhqjXVfCKlYXNoMZ9Wfm7nUEkWr7L2ixPmpzsVCDHtDuHfpCEAf7BNkHVZ4lGmUQLDWc.";
    private static final Path SCRIPT = Path.of("../../deploy/guest/slice-firstboot").toAbsolutePath().normalize();
    private final GuestSpec spec = TestHost.debianSpec(GuestId.of("seed-1"), 33,
            new Credentials(HASH, List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== alice@example", "ssh-rsa AAAAB3Nza bob")));

    @Test
    void realTarUnpacksTheSettingsFile(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("seed.tar");
        Files.write(archive, SeedArchive.of(spec));
        assertThat(Files.size(archive) % 512).isZero();
        assertThat(TestHost.PROCESSES.runChecked(HostCommand.of("tar", "-tf", archive.toString())).stdout()).isEqualTo("settings\n");

        TestHost.PROCESSES.runChecked(HostCommand.of("tar", "-xf", archive.toString(), "-C", dir.toString(), "--no-same-owner"));
        assertThat(Files.readString(dir.resolve(SettingsFile.NAME))).isEqualTo(SettingsFile.write(FirstBootSettings.of(spec)));
    }

    /** What the initramfs does with the seed disk: busybox sh runs the shared script on the guest's root. */
    @Test
    void theInitramfsShellAppliesItToTheGuestsRoot(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("seed.tar");
        Files.write(archive, SeedArchive.of(spec));
        Path root = Files.createDirectories(dir.resolve("newroot/etc"));
        Files.writeString(root.resolve("shadow"), "root:*:20000:0:99999:7:::\n");
        ProcessResult result = TestHost.PROCESSES.run(HostCommand.of("/bin/busybox", "sh", SCRIPT.toString(),
                "--root", dir.resolve("newroot").toString(), "--tar", dir.resolve("no-such-disk").toString(), archive.toString()));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(dir.resolve("newroot/etc/hostname")).hasContent("seed-1.example.test");
        assertThat(Files.readString(root.resolve("shadow"))).startsWith("root:" + HASH + ":20000:");
        assertThat(Files.readAllLines(dir.resolve("newroot/root/.ssh/authorized_keys")))
                .containsExactly("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== alice@example", "ssh-rsa AAAAB3Nza bob");
        assertThat(Files.readString(root.resolve("network/interfaces.d/eth0"))).contains("address 10.77.0.33/24");
    }

    @Test
    void sameSpecGivesTheSameBytes() {
        assertThat(SeedArchive.of(spec)).isEqualTo(SeedArchive.of(spec));
    }

    @Test
    void aValueThatCannotReachTheGuestIsRefusedNamingItsField() {
        GuestSpec bad = TestHost.debianSpec(GuestId.of("seed-4"), 36, new Credentials(HASH, List.of("ssh-rsa AAAA\u0000x")));
        assertThatThrownBy(() -> SeedArchive.of(bad)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("sshAuthorizedKeys[0]").hasMessageContaining("U+0000");
    }
}
