package dev.slice.ipam;

import java.util.List;

/** A node's guest network: addresses from {@code network}, gateway on {@code bridge}. */
public record IpPool(long id, long nodeId, String name, String network, String gateway, String bridge, List<String> dns) {
    public int prefixLength() {
        return Integer.parseInt(network.substring(network.indexOf('/') + 1));
    }

    /** The gateway with the pool's prefix, as it goes on the bridge, e.g. 10.77.0.1/24. */
    public String gatewayCidr() {
        return gateway + "/" + prefixLength();
    }
}
