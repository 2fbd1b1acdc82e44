package dev.slice.driver.uml;

import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import java.util.List;

/**
 * Keeps guests' kernels off the host's own network stack. A guest reaches its network through its TAP
 * device, whose frames never pass the host's OUTPUT chain; an IP socket opened by a guest user's
 * process (a kernel the guest's root took over) would reach the host's services on loopback, such as
 * a database trusting local connections. One rule per address family rejects every packet that a
 * process of the guest users' id range sends; it is put back before each start, so a host reboot or
 * a flushed rule set does not leave it out.
 */
final class GuestFirewall {
    private static final List<String> TOOLS = List.of("iptables", "ip6tables");

    private final ProcessRunner processes;
    private final String uidRange;

    GuestFirewall(ProcessRunner processes, UmlSettings settings) {
        this.processes = processes;
        this.uidRange = settings.firstUid() + "-" + (settings.firstUid() + GuestUsers.RANGE - 1);
    }

    /** Starts at once would each find the rule missing and each insert it; one checks at a time. */
    void ensure() {
        synchronized (GuestFirewall.class) {
            ensureRules();
        }
    }

    private void ensureRules() {
        for (String tool : TOOLS) {
            List<String> rule = List.of("OUTPUT", "-m", "owner", "--uid-owner", uidRange, "-j", "REJECT");
            boolean present = processes.run(HostCommand.of(tool, "-w", "-C").withArgs(rule.toArray(String[]::new))).succeeded();
            if (!present) processes.runChecked(HostCommand.of(tool, "-w", "-I").withArgs(rule.toArray(String[]::new)));
        }
    }

    String uidRange() { return uidRange; }
}
