package dev.slice.ipam;

/** A server's address with what the guest needs to use it. */
public record Allocation(String address, IpPool pool) {
    public String cidr() { return address + "/" + pool.prefixLength(); }
}
