package dev.slice.driver.firstboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one guest-side script (deploy/guest/slice-firstboot) applied to a guest root in a directory, under
 * the shells the templates run it with: Debian's dash (UML, emulator, OCI) and busybox (libvirt's initramfs).
 * {@code --root} keeps it off this host's own files and name; the MAC is on no host interface.
 */
class FirstBootScriptTest {
    static final Path SCRIPT = Path.of("../../deploy/guest/slice-firstboot").toAbsolutePath().normalize();
    private static final String SHADOW = "root:*:20782:0:99999:7:::\ndaemon:*:20782:0:99999:7:::\n";
    private static final FirstBootSettings SETTINGS = new FirstBootSettings("web-1.example.test", FirstBootSettingsTest.HASH,
            List.of(FirstBootSettingsTest.KEY, "ssh-rsa AAAAB3NzaC1yc2E  bob's   key"),
            new FirstBootSettings.Network("02:5c:00:fb:00:01", "10.77.0.12/24", "10.77.0.1", List.of("10.77.0.1", "9.9.9.9")));

    private final ProcessRunner processes = new ProcessRunner();
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"/bin/dash", "/bin/busybox sh"})
    void aFreshGuestGetsEverySetting(String shell) throws IOException {
        Path root = guestRoot();
        ProcessResult result = apply(shell, root, SETTINGS);
        assertThat(result.exitCode()).as(result.stderr()).isZero();

        assertThat(Files.readString(root.resolve("etc/hostname"))).isEqualTo("web-1.example.test\n");
        assertThat(Files.readString(root.resolve("etc/hosts"))).isEqualTo(
                "127.0.0.1\tlocalhost\n10.77.0.12\tweb-1.example.test web-1\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        assertThat(Files.readString(root.resolve("etc/shadow")))
                .isEqualTo("root:" + FirstBootSettingsTest.HASH + ":20782:0:99999:7:::\ndaemon:*:20782:0:99999:7:::\n");
        assertThat(mode(root.resolve("etc/shadow"))).isEqualTo("rw-r-----");
        assertThat(Files.getAttribute(root.resolve("etc/shadow"), "unix:gid")).isEqualTo(42);
        assertThat(Files.readString(root.resolve("root/.ssh/authorized_keys")))
                .isEqualTo(FirstBootSettingsTest.KEY + "\nssh-rsa AAAAB3NzaC1yc2E  bob's   key\n");
        assertThat(mode(root.resolve("root/.ssh"))).isEqualTo("rwx------");
        assertThat(mode(root.resolve("root/.ssh/authorized_keys"))).isEqualTo("rw-------");
        assertThat(Files.readString(root.resolve("etc/network/interfaces.d/eth0")))
                .contains("auto eth0\niface eth0 inet static\n    address 10.77.0.12/24\n    gateway 10.77.0.1\n");
        assertThat(Files.isSymbolicLink(root.resolve("etc/resolv.conf"))).isFalse();
        assertThat(Files.readString(root.resolve("etc/resolv.conf"))).isEqualTo("nameserver 10.77.0.1\nnameserver 9.9.9.9\n");
        assertThat(Files.readString(root.resolve("var/lib/slice-firstboot/applied"))).isEqualTo(SettingsFile.id(SETTINGS) + "\n");
        try (var left = Files.walk(root)) {
            assertThat(left.filter(p -> p.toString().endsWith(".slice-new"))).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/dash", "/bin/busybox sh"})
    void theSameSettingsAreAppliedOnceSoTheCustomersChangesSurviveButNewOnesWin(String shell) throws IOException {
        Path root = guestRoot();
        assertThat(apply(shell, root, SETTINGS).exitCode()).isZero();
        Files.writeString(root.resolve("etc/hostname"), "renamed-by-customer\n");
        assertThat(apply(shell, root, SETTINGS).exitCode()).isZero();
        assertThat(Files.readString(root.resolve("etc/hostname"))).isEqualTo("renamed-by-customer\n");

        FirstBootSettings reset = new FirstBootSettings("web-2", null, List.of(), null);
        assertThat(apply(shell, root, reset).exitCode()).isZero();
        assertThat(Files.readString(root.resolve("etc/hostname"))).isEqualTo("web-2\n");
        assertThat(Files.readString(root.resolve("etc/hosts"))).contains("127.0.1.1\tweb-2\n");
        assertThat(Files.readString(root.resolve("etc/shadow"))).as("no hash: root's entry stays").startsWith("root:$6$");
        assertThat(Files.readString(root.resolve("root/.ssh/authorized_keys"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/dash", "/bin/busybox sh"})
    void anotherVersionIsRefusedAndChangesNothing(String shell) throws IOException {
        Path root = guestRoot();
        Path settings = Files.createDirectories(dir.resolve("settings"));
        Files.writeString(settings.resolve(SettingsFile.NAME), SettingsFile.write(SETTINGS).replace("slice-settings 1", "slice-settings 2"));
        ProcessResult result = run(shell, "--root", root.toString(), "--dir", settings.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("not a version 1 Slice settings file");
        assertThat(Files.readString(root.resolve("etc/hostname"))).isEqualTo("debian\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/dash", "/bin/busybox sh"})
    void noMediumMeansNothingToDo(String shell) throws IOException {
        Path root = guestRoot();
        assertThat(run(shell, "--root", root.toString(), "--dir", dir.resolve("absent").toString()).exitCode()).isZero();
        assertThat(run(shell, "--root", root.toString(), "--tar", dir.resolve("no-disk").toString()).exitCode()).isZero();
        assertThat(Files.readString(root.resolve("etc/hostname"))).isEqualTo("debian\n");
    }

    /** What the template has: a locked root, /etc/shadow root:shadow 0640, resolv.conf a link. */
    private Path guestRoot() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("etc/network"));
        Files.createDirectories(root.resolve("root"));
        Files.writeString(root.resolve("etc/hostname"), "debian\n");
        Files.writeString(root.resolve("etc/shadow"), SHADOW);
        Files.setPosixFilePermissions(root.resolve("etc/shadow"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setAttribute(root.resolve("etc/shadow"), "unix:gid", 42);
        Files.createSymbolicLink(root.resolve("etc/resolv.conf"), Path.of("/run/systemd/resolve/stub-resolv.conf"));
        return root;
    }

    private ProcessResult apply(String shell, Path root, FirstBootSettings settings) throws IOException {
        Path medium = Files.createDirectories(dir.resolve("settings"));
        Files.writeString(medium.resolve(SettingsFile.NAME), SettingsFile.write(settings));
        return run(shell, "--root", root.toString(), "--dir", medium.toString());
    }

    private ProcessResult run(String shell, String... args) {
        List<String> argv = new ArrayList<>(List.of(shell.split(" ")));
        argv.add(SCRIPT.toString());
        argv.addAll(List.of(args));
        return processes.run(HostCommand.of(argv));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
