package dev.slice.driver.libvirt;

import dev.slice.driver.Driver;
import dev.slice.driver.DriverProvider;
import dev.slice.driver.HostContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens one {@link LibvirtDriver} per configured libvirt URI: {@code qemu.uri} (default
 * {@code qemu:///system}; a comma-separated list for several) and {@code xen.uri} (no default:
 * only hosts that are Xen dom0s set it).
 */
public final class LibvirtDriverProvider implements DriverProvider {
    static final String QEMU_URI = "qemu.uri";
    static final String XEN_URI = "xen.uri";

    @Override
    public List<Driver> open(HostContext context) {
        List<Driver> drivers = new ArrayList<>();
        for (String uri : uris(context.setting(QEMU_URI).orElse("qemu:///system"), Hypervisor.QEMU)) {
            drivers.add(new LibvirtDriver(uri, context.dataDir(), context.processes(), Clock.systemUTC()));
        }
        for (String uri : uris(context.setting(XEN_URI).orElse(""), Hypervisor.XEN)) {
            drivers.add(new LibvirtDriver(uri, context.dataDir(), context.processes(), Clock.systemUTC()));
        }
        return drivers;
    }

    /** The setting's URIs; each must be for the expected hypervisor, or configuration is wrong. */
    static List<String> uris(String setting, Hypervisor expected) {
        List<String> uris = new ArrayList<>();
        for (String part : setting.split(",")) {
            String uri = part.strip();
            if (uri.isEmpty()) continue;
            if (Hypervisor.ofUri(uri) != expected) {
                throw new IllegalArgumentException("'" + uri + "' is not a " + expected.kind().id()
                        + " URI; check the " + (expected == Hypervisor.QEMU ? QEMU_URI : XEN_URI) + " setting");
            }
            LibvirtDriver.isLocal(uri);
            uris.add(uri);
        }
        return uris;
    }
}
