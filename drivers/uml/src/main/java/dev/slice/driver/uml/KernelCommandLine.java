package dev.slice.driver.uml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code linux.uml} arguments that boot one guest from its record. */
final class KernelCommandLine {
    private KernelCommandLine() {}

    /** {@code kernel} is the kernel's real path: a guest that reboots itself executes it again from inside its jail. */
    static List<String> of(Path kernel, UmlSettings settings, GuestDirectory guest, GuestRecord record,
                           Optional<RescueRecord> rescue) {
        List<String> argv = new ArrayList<>();
        argv.add(kernel.toString());
        argv.add("umid=" + GuestDirectory.UMID);
        argv.add("uml_dir=" + guest.ownDir());
        argv.add("mem=" + record.memoryMiB() + "M");
        argv.add("seccomp=" + settings.processMode().kernelArgument());
        // The COW file first, then the shared base it reads through to; UML creates the COW on first boot.
        if (rescue.isPresent()) {
            // The rescue root and its settings where the template looks for them (ubda, ubdb), the guest's own
            // disk after them as ubdc, which nothing in the rescue system mounts (UmlRescue).
            argv.add("ubd0=" + guest.rescueCow() + "," + rescue.get().baseImage());
            argv.add("ubd1r=" + guest.rescueSettingsDisk());
            argv.add("ubd2=" + guest.cowDisk() + "," + record.baseImage());
        } else {
            argv.add("ubd0=" + guest.cowDisk() + "," + record.baseImage());
            argv.add("ubd1r=" + guest.settingsDisk());
        }
        // Mounted read-write by the kernel: the template's fstab has no root line, so boot waits for no device.
        argv.add("root=/dev/ubda");
        argv.add("rw");
        // con0 is dtach's pty (UML's stdin and stdout); every other console and serial line is off but ssl1.
        argv.add("con=null");
        argv.add("con0=fd:0,fd:1");
        argv.add("ssl=null");
        // The guest agent's line (/dev/ttyS1 inside): fds 3 and 4, the driver's named pipes opened by AgentLine.
        argv.add(AgentLine.KERNEL_ARGUMENT);
        // The vector driver's TAP transport (UML 7.x has no other); the guest renames vec0 to eth0. gro=1: the
        // host hands the TAP large (GSO) TCP segments, which the driver otherwise drops, complaining on the console.
        if (record.tap() != null) argv.add("vec0:transport=tap,ifname=" + record.tap() + ",mac=" + record.mac() + ",gro=1");
        argv.add("quiet");
        // Debian's UML kernel has btrfs built in, which times the RAID-6 algorithms at every boot: most of
        // the kernel's start. A guest with one ext4 disk never computes RAID-6 parity, so skip the choice
        // (raid6_init in Linux 7.2, raid6_select_algo in 6.1).
        argv.add("initcall_blacklist=raid6_init,raid6_select_algo");
        return argv;
    }
}
