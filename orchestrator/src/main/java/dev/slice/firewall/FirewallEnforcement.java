package dev.slice.firewall;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.HostInterface;
import dev.slice.driver.firewall.NftFirewall;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.server.ServerRow;
import org.springframework.stereotype.Component;

/**
 * Puts a server's firewall on its guest's host-side interface, on this host. Called with the server's driver by whoever
 * has it: the guest steps (after a create, at a destroy), the reconciler (every pass, so a restart or a flushed ruleset
 * heals) and the reconciler's listener for {@link FirewallChanged}. A backend without {@link HostInterface} has nothing
 * to enforce on. A server without a firewall row is left alone (no nft process for it).
 */
@Component
public class FirewallEnforcement {
    private final FirewallRepository firewalls;
    private final NftFirewall nft;

    public FirewallEnforcement(FirewallRepository firewalls) {
        this.firewalls = firewalls;
        this.nft = new NftFirewall(new ProcessRunner());
    }

    /** @return what was done, for a job's output */
    public String apply(Driver driver, ServerRow server) {
        var device = driver.capability(HostInterface.class).map(h -> h.hostInterface(GuestId.of(server.guestId())));
        if (device.isEmpty()) return "the " + server.backend() + " backend has no host-side interface to filter";
        var policy = firewalls.find(server.id());
        if (policy.isEmpty()) return "no firewall";
        nft.apply(device.get(), policy.get());
        return "firewall of " + policy.get().rules().size() + " rules on " + device.get();
    }

    public void remove(Driver driver, ServerRow server) {
        var device = driver.capability(HostInterface.class).map(h -> h.hostInterface(GuestId.of(server.guestId())));
        if (device.isEmpty() || firewalls.find(server.id()).isEmpty()) return;
        nft.remove(device.get());
    }
}
