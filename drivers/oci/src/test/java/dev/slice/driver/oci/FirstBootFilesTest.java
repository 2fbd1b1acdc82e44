package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstBootFilesTest {
    private static final List<String> SHADOW = List.of("root:*:20782:0:99999:7:::", "daemon:*:20782:0:99999:7:::");

    @Test
    void onlyRootsPasswordFieldChanges() {
        String shadow = FirstBootFiles.shadow(SHADOW, new Credentials("$6$salt$hash", List.of()));
        assertThat(shadow).isEqualTo("root:$6$salt$hash:20782:0:99999:7:::\ndaemon:*:20782:0:99999:7:::\n");
    }

    @Test
    void withoutAHashRootStaysLocked() {
        assertThat(FirstBootFiles.shadow(SHADOW, Credentials.none())).startsWith("root:*:");
    }

    /** The upper layer gets what an overlay copy-up would give it: the template's owners and modes. */
    @Test
    void theUpperLayerKeepsTheTemplatesOwnersAndModes(@TempDir Path dir) throws IOException {
        Path template = dir.resolve("template");
        Path upper = dir.resolve("upper");
        directory(template, "rwxr-xr-x");
        directory(template.resolve("root"), "rwx------");
        directory(template.resolve("etc"), "rwxr-xr-x");
        directory(template.resolve("etc/network"), "rwxr-xr-x");
        Files.writeString(template.resolve("etc/shadow"), String.join("\n", SHADOW) + "\n");
        Files.setPosixFilePermissions(template.resolve("etc/shadow"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setAttribute(template.resolve("etc/shadow"), "unix:gid", 42);
        Files.createSymbolicLink(template.resolve("etc/resolv.conf"), Path.of("/run/resolv.conf"));

        GuestSpec spec = new GuestSpec(GuestId.of("upper-test"), "web-1.example.test", new Resources(1, 256, 512, 0, 0), "debian-12",
                new NetworkConfig("10.79.1.9/24", "10.79.1.1", "52:54:00:79:01:09", "br0", List.of("10.79.1.1")),
                new Credentials("$6$salt$hash", List.of("ssh-ed25519 AAAA test")));
        FirstBootFiles.write(template, upper, spec);

        assertThat(mode(upper)).isEqualTo("rwxr-xr-x");
        assertThat(mode(upper.resolve("root"))).isEqualTo("rwx------");
        assertThat(mode(upper.resolve("root/.ssh"))).isEqualTo("rwx------");
        assertThat(mode(upper.resolve("root/.ssh/authorized_keys"))).isEqualTo("rw-------");
        assertThat(Files.readString(upper.resolve("etc/shadow"))).startsWith("root:$6$salt$hash:").contains("daemon:*:");
        assertThat(mode(upper.resolve("etc/shadow"))).isEqualTo("rw-r-----");
        assertThat(Files.getAttribute(upper.resolve("etc/shadow"), "unix:gid")).isEqualTo(42);
        assertThat(upper.resolve("etc/resolv.conf")).isRegularFile().content().isEqualTo("nameserver 10.79.1.1\n");
        assertThat(Files.isSymbolicLink(template.resolve("etc/resolv.conf"))).as("the template is never changed").isTrue();
        assertThat(upper.resolve("etc/network/interfaces")).content().contains("address 10.79.1.9/24");
        assertThat(upper.resolve("etc/hostname")).content().isEqualTo("web-1.example.test\n");
        assertThat(upper.resolve("usr")).doesNotExist();
    }

    private static void directory(Path path, String mode) throws IOException {
        Files.createDirectories(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
