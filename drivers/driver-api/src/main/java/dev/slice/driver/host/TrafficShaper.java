package dev.slice.driver.host;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A plan's bandwidth on a guest's host-side interface (a TAP), both ways, with the kernel's token
 * bucket filter: what the host sends to the guest is shaped on the interface's own egress; what the
 * guest sends arrives as the interface's ingress, which can only be policed or redirected, so it is
 * redirected (mirred) to an IFB device of its own and shaped on that device's egress. Shaping queues
 * and delays instead of dropping at once, which TCP takes much better than policing (and it needs no
 * act_police, which some host kernels lack).
 */
public final class TrafficShaper {
    private final ProcessRunner processes;

    public TrafficShaper(ProcessRunner processes) {
        this.processes = processes;
    }

    /** Limits {@code device} to {@code mbit} megabits per second each way; 0 removes any limit. Idempotent. */
    public void apply(String device, int mbit) {
        if (mbit <= 0) {
            remove(device);
            return;
        }
        String ifb = ifbFor(device);
        if (!Files.isDirectory(Path.of("/sys/class/net", ifb))) {
            ProcessResult added = processes.run(HostCommand.of("ip", "link", "add", "name", ifb, "type", "ifb"));
            if (!added.succeeded() && !Files.isDirectory(Path.of("/sys/class/net", ifb))) {
                processes.runChecked(HostCommand.of("ip", "link", "add", "name", ifb, "type", "ifb"));
            }
        }
        processes.runChecked(HostCommand.of("ip", "link", "set", "dev", ifb, "up"));
        String rate = mbit + "mbit";
        String burst = burstBytes(mbit) + "b";
        processes.runChecked(HostCommand.of("tc", "qdisc", "replace", "dev", device, "root",
                "tbf", "rate", rate, "burst", burst, "latency", "50ms"));
        processes.runChecked(HostCommand.of("tc", "qdisc", "replace", "dev", device, "handle", "ffff:", "ingress"));
        processes.runChecked(HostCommand.of("tc", "filter", "replace", "dev", device, "parent", "ffff:", "protocol", "all",
                "prio", "1", "u32", "match", "u32", "0", "0", "action", "mirred", "egress", "redirect", "dev", ifb));
        processes.runChecked(HostCommand.of("tc", "qdisc", "replace", "dev", ifb, "root",
                "tbf", "rate", rate, "burst", burst, "latency", "50ms"));
    }

    /** Removes the limit and the IFB device; absent ones are fine. */
    public void remove(String device) {
        if (Files.isDirectory(Path.of("/sys/class/net", device))) {
            processes.run(HostCommand.of("tc", "qdisc", "del", "dev", device, "root"));
            processes.run(HostCommand.of("tc", "qdisc", "del", "dev", device, "handle", "ffff:", "ingress"));
        }
        String ifb = ifbFor(device);
        if (Files.isDirectory(Path.of("/sys/class/net", ifb))) {
            processes.run(HostCommand.of("ip", "link", "del", "dev", ifb));
        }
    }

    /** The IFB device that carries {@code device}'s incoming traffic: a name within Linux's 15 characters. */
    public static String ifbFor(String device) {
        return InterfaceNames.hashed("ifb", device);
    }

    /** Enough tokens for 20 ms at the rate, and never less than 32 KiB (tbf needs at least rate/HZ). */
    static long burstBytes(int mbit) {
        return Math.max(32 * 1024, (long) mbit * 1_000_000 / 8 / 50);
    }
}
