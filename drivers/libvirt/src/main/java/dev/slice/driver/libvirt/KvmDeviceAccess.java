package dev.slice.driver.libvirt;

import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.HostCommandException;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the user libvirt runs QEMU as can open {@code /dev/kvm}. libvirtd probes QEMU's capabilities with
 * {@code CAP_DAC_OVERRIDE}, so its probe finds KVM whenever the device exists; before each use of the probe
 * it checks the device as QEMU's user, and when the two disagree ("KVM was enabled when probing ..., but it
 * is not available now") it throws the probe away and runs QEMU again, for every call: about 30 s for one
 * guest definition on a 2-core host. The check here is libvirt's own: access(2) as that user and its groups.
 */
final class KvmDeviceAccess {
    static final Path DEVICE = Path.of("/dev/kvm");
    static final Path QEMU_CONF = Path.of("/etc/libvirt/qemu.conf");
    /** Debian's libvirt runs QEMU as this user and group unless qemu.conf says otherwise. */
    private static final String DEBIAN_DEFAULT = "libvirt-qemu";
    private static final Duration CHECK_DEADLINE = Duration.ofSeconds(10);

    /** The account from qemu.conf's {@code user} and {@code group} settings. */
    record QemuAccount(String user, String group) {
        static QemuAccount fromConfig(String qemuConf) {
            return new QemuAccount(setting(qemuConf, "user"), setting(qemuConf, "group"));
        }

        boolean isRoot() { return user.equals("root") || user.equals("0"); }

        private static String setting(String config, String name) {
            Matcher m = Pattern.compile("(?m)^\\s*" + name + "\\s*=\\s*\"([^\"]*)\"").matcher(config);
            String value = DEBIAN_DEFAULT;
            while (m.find()) value = m.group(1); // the last assignment wins, as in libvirt's parser
            return value.startsWith("+") ? value.substring(1) : value; // "+64055": a numeric id
        }
    }

    private final ProcessRunner processes;
    private final Path device;
    private final Path qemuConf;

    KvmDeviceAccess(ProcessRunner processes) {
        this(processes, DEVICE, QEMU_CONF);
    }

    KvmDeviceAccess(ProcessRunner processes, Path device, Path qemuConf) {
        this.processes = processes;
        this.device = device;
        this.qemuConf = qemuConf;
    }

    /**
     * What is wrong and how to fix it, for the probe's detail; empty when QEMU's user can open the device,
     * when there is none (then libvirt's probe and check agree: no KVM), or when this host does not let Slice check.
     */
    Optional<String> problem() {
        if (!Files.exists(device)) return Optional.empty();
        QemuAccount account = QemuAccount.fromConfig(readConfig());
        if (account.isRoot()) return Optional.empty();
        ProcessResult result;
        try {
            result = processes.run(HostCommand.of("setpriv", "--reuid=" + account.user(), "--regid=" + account.group(),
                    "--init-groups", "test", "-r", device.toString(), "-a", "-w", device.toString())
                    .withTimeout(CHECK_DEADLINE));
        } catch (HostCommandException e) {
            return Optional.empty();
        }
        // test(1) fails silently with 1; setpriv's own failures (not root, unknown user) say why on stderr.
        if (result.exitCode() != 1 || !result.stderr().isBlank()) return Optional.empty();
        return Optional.of(device + " exists but " + account.user() + ", the user QEMU runs as, cannot open it, so libvirtd"
                + " probes QEMU again on every call (about 30 s per guest definition); deploy/libvirt/setup.sh fixes it"
                + " (group kvm may use " + device + ", as udev sets it up)");
    }

    private String readConfig() {
        try {
            return Files.readString(qemuConf);
        } catch (IOException e) {
            return "";
        }
    }
}
