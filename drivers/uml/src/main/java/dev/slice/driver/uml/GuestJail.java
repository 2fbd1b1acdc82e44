package dev.slice.driver.uml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a guest's kernel is confined on the host. Whoever is root in the guest controls its UML kernel
 * (modules load without signatures, and UML's built-in hostfs mounts any host directory the kernel's
 * process can open), so the kernel runs like untrusted code: as the guest's own host user
 * ({@link GuestUsers}) with no capabilities and no way to gain any ({@code setpriv}), inside a
 * bubblewrap mount namespace that holds only the kernel, the guest's base image, its settings disk
 * and its own directory (in rescue also the rescue template's image and the rescue settings disk), a private {@code /dev} with the TUN device and a private {@code /dev/shm}
 * for guest RAM. The network namespace stays the host's, because the TAP device lives there; the
 * TAP admits only the guest's user, and {@link GuestFirewall} rejects the guest users' own IP packets.
 */
final class GuestJail {
    private GuestJail() {}

    /** The command that runs {@code kernelArgv} jailed; {@code kernelDir} holds the kernel and its C library. */
    static List<String> wrap(Path kernelDir, GuestDirectory guest, GuestRecord record, Optional<RescueRecord> rescue,
                             List<String> kernelArgv) {
        String uid = Long.toString(record.uid());
        String own = guest.ownDir().toString();
        List<String> argv = new ArrayList<>(List.of(
                "setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
                "bwrap", "--unshare-user", "--unshare-ipc", "--unshare-uts",
                "--ro-bind", kernelDir.toString(), kernelDir.toString(),
                "--ro-bind", record.baseImage().toString(), record.baseImage().toString(),
                "--ro-bind", guest.settingsDisk().toString(), guest.settingsDisk().toString(),
                "--bind", own, own));
        // In rescue the kernel also reads the rescue template's image and the rescue settings disk.
        rescue.ifPresent(system -> argv.addAll(List.of(
                "--ro-bind", system.baseImage().toString(), system.baseImage().toString(),
                "--ro-bind", guest.rescueSettingsDisk().toString(), guest.rescueSettingsDisk().toString())));
        argv.addAll(List.of(
                "--dev", "/dev",
                "--dev-bind", "/dev/net/tun", "/dev/net/tun",
                "--tmpfs", "/dev/shm",
                // UML reads /proc/self at start; the jail's /proc is its own mount of the host's pid namespace.
                "--proc", "/proc",
                "--chdir", own,
                "--"));
        argv.addAll(kernelArgv);
        return List.copyOf(argv);
    }
}
