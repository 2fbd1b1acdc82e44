package dev.slice.driver.firewall;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Where packets come from: an IPv4 or IPv6 network in CIDR form, written back in its canonical form (host bits cleared),
 * so what reaches nft is always a parsed address, never the caller's text. A bare address is a /32 or /128.
 */
public record SourceCidr(InetAddress network, int prefix) {
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    public SourceCidr {
        int bits = network instanceof Inet4Address ? 32 : 128;
        if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("the prefix length is 0-" + bits);
        network = masked(network, prefix);
    }

    /** Parses without any name look-up: only address literals are accepted. */
    public static SourceCidr parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        boolean v4 = V4.matcher(address).matches();
        if (!v4 && !(address.contains(":") && V6.matcher(address).matches())) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: '" + address + "'");
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.ofLiteral(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: '" + address + "'");
        }
        int bits = parsed instanceof Inet4Address ? 32 : 128;
        if (v4 != (parsed instanceof Inet4Address)) bits = v4 ? 32 : 128; // an IPv4-mapped IPv6 literal stays IPv6 text
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the prefix length after '/' is a number 0-" + bits);
        }
        return new SourceCidr(parsed, prefix);
    }

    public boolean isIpv4() { return network instanceof Inet4Address; }

    private static InetAddress masked(InetAddress address, int prefix) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] = (byte) (bytes[i] & (0xff << (8 - keep)));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        String host = network.getHostAddress();
        return host + "/" + prefix;
    }
}
