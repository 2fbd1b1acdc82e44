package dev.slice.driver.uml;

import java.util.ArrayList;
import java.util.List;

/** The {@code linux.uml} arguments that boot one guest from its record. */
final class KernelCommandLine {
    private KernelCommandLine() {}

    static List<String> of(UmlSettings settings, GuestDirectory guest, GuestRecord record) {
        List<String> argv = new ArrayList<>();
        argv.add(settings.kernel().toString());
        argv.add("umid=" + GuestDirectory.UMID);
        argv.add("uml_dir=" + guest.dir());
        argv.add("mem=" + record.memoryMiB() + "M");
        // The COW file first, then the shared base it reads through to; UML creates the COW on first boot.
        argv.add("ubd0=" + guest.cowDisk() + "," + record.baseImage());
        argv.add("ubd1r=" + guest.settingsDisk());
        // Mounted read-write by the kernel: the template's fstab has no root line, so boot waits for no device.
        argv.add("root=/dev/ubda");
        argv.add("rw");
        // con0 is dtach's pty (UML's stdin and stdout); every other console and serial line is off.
        argv.add("con=null");
        argv.add("con0=fd:0,fd:1");
        argv.add("ssl=null");
        if (record.tap() != null) argv.add("eth0=tuntap," + record.tap() + "," + record.mac());
        argv.add("quiet");
        // Debian's UML kernel has btrfs built in, which times four RAID-6 algorithms at every boot: 0.7 s of
        // a 1.4 s kernel start. A guest with one ext4 disk never computes RAID-6 parity, so skip the choice.
        argv.add("initcall_blacklist=raid6_select_algo");
        return argv;
    }
}
