package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.ProbeResult;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The probe finds a /dev/kvm that QEMU's user cannot open (libvirtd then probes QEMU again on every call),
 * checked with the real setpriv on stand-in device files, and this host's own /dev/kvm set up by
 * deploy/libvirt/setup.sh passes.
 */
class KvmDeviceAccessTest {
    private Path dir;
    private Path device;
    private Path qemuConf;

    @BeforeEach
    void standInDevice() throws Exception {
        dir = Files.createTempDirectory("slice-kvm-access");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // QEMU's user must reach the file
        device = dir.resolve("kvm");
        Files.writeString(device, "");
        qemuConf = dir.resolve("qemu.conf");
        Files.writeString(qemuConf, "#user = \"root\"\n");
    }

    @AfterEach
    void removeIt() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void aDeviceOnlyRootMayOpenIsReportedWithTheScriptThatFixesIt() throws Exception {
        Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("rw-------"));
        assertThat(access().problem()).hasValueSatisfying(problem -> assertThat(problem)
                .contains(device.toString(), "libvirt-qemu", "every call", "deploy/libvirt/setup.sh"));
    }

    @Test
    void aDeviceGroupKvmMayOpenIsFineAsIsNoDevice() throws Exception {
        Files.getFileAttributeView(device, PosixFileAttributeView.class).setGroup(
                FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName("kvm"));
        Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("rw-rw----"));
        assertThat(access().problem()).isEmpty();
        Files.delete(device);
        assertThat(access().problem()).isEmpty();
    }

    @Test
    void qemuRunAsRootNeedsNoCheck() throws Exception {
        Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(qemuConf, "user = \"root\"\ngroup = \"root\"\n");
        assertThat(access().problem()).isEmpty();
    }

    @Test
    void qemuConfNamesTheAccountWithDebiansDefaults() {
        assertThat(KvmDeviceAccess.QemuAccount.fromConfig("# user = \"root\"\n"))
                .isEqualTo(new KvmDeviceAccess.QemuAccount("libvirt-qemu", "libvirt-qemu"));
        assertThat(KvmDeviceAccess.QemuAccount.fromConfig("user = \"qemu\"\n  group = \"+113\"\nuser = \"+64055\"\n"))
                .isEqualTo(new KvmDeviceAccess.QemuAccount("64055", "113"));
        assertThat(KvmDeviceAccess.QemuAccount.fromConfig("user = \"root\"").isRoot()).isTrue();
    }

    @Test
    void theDriversProbeSaysWhatIsWrongAndStaysAvailable() throws Exception {
        Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("rw-------"));
        try (LibvirtDriver driver = driverWith(access())) {
            ProbeResult probe = driver.probe();
            assertThat(probe.available()).isTrue();
            assertThat(probe.detail()).contains("host set-up problem", device.toString(), "deploy/libvirt/setup.sh");
        }
    }

    @Test
    void thisHostsDevKvmIsUsableByQemusUserSoTheProbeReportsNoProblem() {
        assertThat(new KvmDeviceAccess(TestHost.PROCESSES).problem()).isEmpty();
        try (LibvirtDriver driver = TestHost.qemuDriver()) {
            assertThat(driver.probe().detail()).doesNotContain("host set-up problem");
        }
    }

    private KvmDeviceAccess access() {
        return new KvmDeviceAccess(TestHost.PROCESSES, device, qemuConf);
    }

    private static LibvirtDriver driverWith(KvmDeviceAccess access) {
        return new LibvirtDriver(TestHost.QEMU_URI, TestHost.dataDir(), TestHost.PROCESSES, Clock.systemUTC(),
                AccelerationProbe.DEFAULT_DEADLINE, access);
    }
}
