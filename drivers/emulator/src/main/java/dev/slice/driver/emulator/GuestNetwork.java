package dev.slice.driver.emulator;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.host.TapDevice;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A guest's network card as the driver keeps it ({@code network.properties} in the guest's directory): the TAP on
 * the node bridge that the emulator opens by name, the MAC address the card reports, the address the guest's kernel
 * configures on eth0 from its command line, and the plan's bandwidth applied to the TAP.
 *
 * @param tap           the host's TAP device, {@code emu-} and a hash of the guest id
 * @param address       IPv4 address with prefix length, from the node's IP pool
 * @param bandwidthMbit each way, 0 for no limit ({@code TrafficShaper})
 */
record GuestNetwork(String tap, String mac, String bridge, String address, String gateway, List<String> dns,
                    int bandwidthMbit) {
    static final String TAP_PREFIX = "emu-";

    GuestNetwork {
        dns = List.copyOf(dns);
    }

    static Optional<GuestNetwork> of(GuestSpec spec) {
        NetworkConfig n = spec.network();
        if (n == null) return Optional.empty();
        return Optional.of(new GuestNetwork(tapFor(spec.id()), n.mac(), n.bridge(), n.address(), n.gateway(), n.dns(),
                spec.resources().bandwidthMbit()));
    }

    static String tapFor(GuestId id) { return TapDevice.nameFor(TAP_PREFIX, id); }

    /** The emulator's options: a virtio-net card on the TAP with the guest's MAC. */
    List<String> emulatorArguments() { return List.of("--net", "tap:" + tap, "--mac", mac); }

    /**
     * The kernel's own static configuration of eth0 ({@code ip=client::gateway:netmask::eth0:off[:dns0[:dns1]]},
     * Documentation/admin-guide/nfs/nfsroot.rst), which the busybox guest's kernel applies before /init runs.
     */
    String kernelArgument() {
        NetworkConfig n = new NetworkConfig(address, gateway, mac, bridge, dns);
        StringBuilder ip = new StringBuilder("ip=").append(n.ip()).append("::").append(gateway).append(':')
                .append(netmask(n.prefixLength())).append("::eth0:off");
        for (int i = 0; i < Math.min(2, dns.size()); i++) ip.append(':').append(dns.get(i));
        return ip.toString();
    }

    static String netmask(int prefix) {
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        return (mask >>> 24) + "." + ((mask >>> 16) & 0xff) + "." + ((mask >>> 8) & 0xff) + "." + (mask & 0xff);
    }

    void write(Path file) {
        Properties p = new Properties();
        p.setProperty("tap", tap);
        p.setProperty("mac", mac);
        p.setProperty("bridge", bridge);
        p.setProperty("address", address);
        p.setProperty("gateway", gateway);
        p.setProperty("dns", String.join(",", dns));
        p.setProperty("bandwidthMbit", Integer.toString(bandwidthMbit));
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "Slice emulator guest network");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<GuestNetwork> read(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
            String dns = p.getProperty("dns", "");
            return Optional.of(new GuestNetwork(p.getProperty("tap"), p.getProperty("mac"), p.getProperty("bridge"),
                    p.getProperty("address"), p.getProperty("gateway"),
                    dns.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(dns.split(","))),
                    Integer.parseInt(p.getProperty("bandwidthMbit", "0"))));
        } catch (IOException | RuntimeException e) {
            throw new DriverException("emulator guest network record " + file + " is unreadable (" + e.getMessage()
                    + "); remove the guest's directory or restore the file", e);
        }
    }
}
