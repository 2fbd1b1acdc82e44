package dev.slice.driver;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The guest's first network interface.
 *
 * @param address IPv4 address with prefix length, e.g. {@code 10.77.0.12/24}
 * @param gateway IPv4 gateway address, e.g. {@code 10.77.0.1}
 * @param mac     locally administered MAC address, e.g. {@code 52:54:00:12:34:56}
 * @param bridge  the host bridge the guest is attached to, e.g. {@code slicebr0}
 */
public record NetworkConfig(String address, String gateway, String mac, String bridge, List<String> dns) {
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern CIDR = Pattern.compile(IPV4.pattern() + "/(3[0-2]|[12]?\\d)");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern IFNAME = Pattern.compile("[a-zA-Z0-9_.-]{1,15}");

    public NetworkConfig {
        if (address == null || !CIDR.matcher(address).matches()) throw new InvalidSpecException("address '" + address + "' is not IPv4/prefix");
        if (gateway == null || !IPV4.matcher(gateway).matches()) throw new InvalidSpecException("gateway '" + gateway + "' is not IPv4");
        if (mac == null || !MAC.matcher(mac).matches()) throw new InvalidSpecException("MAC '" + mac + "' is not lower-case aa:bb:cc:dd:ee:ff");
        if (bridge == null || !IFNAME.matcher(bridge).matches()) throw new InvalidSpecException("bridge '" + bridge + "' is not an interface name");
        dns = dns == null ? List.of() : List.copyOf(dns);
        for (String server : dns) {
            if (!IPV4.matcher(server).matches()) throw new InvalidSpecException("DNS server '" + server + "' is not IPv4");
        }
    }

    /** The address without its prefix length. */
    public String ip() { return address.substring(0, address.indexOf('/')); }

    public int prefixLength() { return Integer.parseInt(address.substring(address.indexOf('/') + 1)); }
}
