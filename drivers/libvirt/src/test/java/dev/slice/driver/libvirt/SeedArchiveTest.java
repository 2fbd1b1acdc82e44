package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.host.HostCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed is a tar that the real tar (as in the guest) unpacks into exactly the spec's settings. */
class SeedArchiveTest {
    private static final String HASH = "$6$saltsalt$bNrlwuGGG0ECj4x5mlhqjXVfCKlYXNoMZ9Wfm7nUEkWr7L2ixPmpzsVCDHtDuHfpCEAf7BNkHVZ4lGmUQLDWc.";

    @Test
    void realTarUnpacksTheSpecsSettings(@TempDir Path dir) throws Exception {
        GuestSpec spec = TestHost.debianSpec(GuestId.of("seed-1"), 33,
                new Credentials(HASH, List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== alice@example", "ssh-rsa AAAAB3Nza bob")));
        Path archive = dir.resolve("seed.tar");
        Files.write(archive, SeedArchive.of(spec));
        assertThat(Files.size(archive) % 512).isZero();

        TestHost.PROCESSES.runChecked(HostCommand.of("tar", "-xf", archive.toString(), "-C", dir.toString(), "--no-same-owner"));

        assertThat(dir.resolve("hostname")).hasContent("seed-1.example.test");
        assertThat(dir.resolve("address")).hasContent("10.77.0.33/24");
        assertThat(dir.resolve("gateway")).hasContent("10.77.0.1");
        assertThat(dir.resolve("dns")).hasContent("10.77.0.1");
        assertThat(Files.readString(dir.resolve("root-password-hash")).strip()).isEqualTo(HASH);
        assertThat(Files.readAllLines(dir.resolve("authorized_keys")))
                .containsExactly("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== alice@example", "ssh-rsa AAAAB3Nza bob");
    }

    @Test
    void withoutCredentialsOnlyNameAndNetworkAreSeeded(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("seed.tar");
        Files.write(archive, SeedArchive.of(TestHost.debianSpec(GuestId.of("seed-2"), 34, Credentials.none())));
        String listing = TestHost.PROCESSES.runChecked(HostCommand.of("tar", "-tf", archive.toString())).stdout();
        assertThat(listing.lines()).containsExactly("hostname", "address", "gateway", "dns");
    }

    @Test
    void sameSpecGivesTheSameBytes() {
        GuestSpec spec = TestHost.debianSpec(GuestId.of("seed-3"), 35, Credentials.none());
        assertThat(SeedArchive.of(spec)).isEqualTo(SeedArchive.of(spec));
    }
}
