package dev.slice.driver.capability;

import dev.slice.driver.GuestId;

/**
 * The guest's interface on the host's side of its link to the node bridge (the host end of a veth, a TAP): where the
 * host enforces what reaches the guest (its firewall, {@code dev.slice.driver.firewall.NftFirewall}). Its name is
 * stable for the guest, so rules keyed by it hold again when the guest is re-created.
 */
public interface HostInterface extends Capability {
    String hostInterface(GuestId id);
}
