package dev.slice.driver.libvirt;

import dev.slice.driver.DriverException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * Decides whether QEMU guests on a host get domain type {@code kvm} or {@code qemu} (TCG). KVM
 * is used only when libvirt offers it and a tiny guest really boots with it before a deadline:
 * under nested virtualization /dev/kvm can exist while guests hang right after the BIOS. The
 * answer holds until the host reboots (or /dev/kvm changes), so it is kept in a file keyed by the kernel's boot id
 * (local URIs) or in memory for this driver's lifetime (remote URIs, whose boot id Slice cannot read).
 */
final class AccelerationProbe {
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(20);
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    /** @param domainType {@code kvm} or {@code qemu}; @param reason why, for the operator's node view */
    record Decision(String domainType, String reason) {}

    private final String uri;
    private final boolean local;
    private final Path cacheFile;
    private final Path templatesDir;
    private final Clock clock;
    private final Duration deadline;
    private Decision decided;

    AccelerationProbe(String uri, boolean local, Path stateDir, Path templatesDir, Clock clock, Duration deadline) {
        this.uri = uri;
        this.local = local;
        this.cacheFile = stateDir.resolve("acceleration-" + uri.replaceAll("[^A-Za-z0-9]+", "_") + ".properties");
        this.templatesDir = templatesDir;
        this.clock = clock;
        this.deadline = deadline;
    }

    synchronized Decision decide(Connect connect) {
        if (decided != null) return decided;
        Optional<String> bootId = local ? hostState() : Optional.empty();
        Optional<Decision> cached = bootId.flatMap(this::readCache);
        if (cached.isPresent()) {
            decided = cached.get();
            return decided;
        }
        decided = probe(connect);
        bootId.ifPresent(id -> writeCache(id, decided));
        return decided;
    }

    private Decision probe(Connect connect) {
        try {
            if (!offersKvm(connect.getCapabilities())) {
                return new Decision("qemu", "QEMU emulation (TCG): libvirt offers no KVM here (no /dev/kvm)");
            }
        } catch (LibvirtException e) {
            return new Decision("qemu", "QEMU emulation (TCG): could not read host capabilities: " + LibvirtCalls.message(e));
        }
        TemplateImage image;
        try {
            image = TemplateImage.resolve(templatesDir, "debian-12");
        } catch (DriverException e) {
            return new Decision("qemu", "QEMU emulation (TCG): KVM not tried, no kernel to test it with ("
                    + e.getMessage() + ")");
        }
        Instant started = clock.instant();
        Domain guest = null;
        try {
            removeLeftover(connect);
            guest = connect.domainCreateXML(DomainXml.accelerationProbe("kvm", image), 0);
            while (Duration.between(started, clock.instant()).compareTo(deadline) < 0) {
                if (LibvirtCalls.lookup(() -> connect.domainLookupByName(DomainXml.PROBE_DOMAIN)).isEmpty()) {
                    long ms = Duration.between(started, clock.instant()).toMillis();
                    return new Decision("kvm", "KVM: a test guest booted with it in " + ms + " ms");
                }
                Thread.sleep(100);
            }
            return new Decision("qemu", "QEMU emulation (TCG): /dev/kvm is present but a test guest did not boot with KVM within "
                    + deadline.toSeconds() + " s (nested virtualization that hangs after the BIOS?)");
        } catch (LibvirtException e) {
            return new Decision("qemu", "QEMU emulation (TCG): a KVM test guest failed to start: " + LibvirtCalls.message(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Decision("qemu", "QEMU emulation (TCG): the KVM test was interrupted");
        } finally {
            if (guest != null) removeLeftover(connect);
        }
    }

    private static void removeLeftover(Connect connect) {
        try {
            LibvirtCalls.lookup(() -> connect.domainLookupByName(DomainXml.PROBE_DOMAIN)).ifPresent(domain -> {
                try {
                    domain.destroy();
                } catch (LibvirtException e) {
                    // Already gone between look-up and destroy.
                }
            });
        } catch (LibvirtException e) {
            // Nothing to clean up.
        }
    }

    /** Whether the capabilities XML lists a {@code kvm} domain type for an x86-64 guest. */
    static boolean offersKvm(String capabilitiesXml) {
        var guests = XmlDocuments.parse(capabilitiesXml).getElementsByTagName("guest");
        for (int i = 0; i < guests.getLength(); i++) {
            var guest = (org.w3c.dom.Element) guests.item(i);
            var arches = guest.getElementsByTagName("arch");
            if (arches.getLength() == 0 || !"x86_64".equals(((org.w3c.dom.Element) arches.item(0)).getAttribute("name"))) continue;
            var domains = guest.getElementsByTagName("domain");
            for (int j = 0; j < domains.getLength(); j++) {
                if ("kvm".equals(((org.w3c.dom.Element) domains.item(j)).getAttribute("type"))) return true;
            }
        }
        return false;
    }

    /**
     * What the answer depends on: this host boot, and /dev/kvm as it is (its change time, as libvirt checks it):
     * when deploy/libvirt/setup.sh lets QEMU open a device it could not, KVM is tested again.
     */
    private static Optional<String> hostState() {
        try {
            return Optional.of(Files.readString(BOOT_ID).strip() + " " + kvmDevice());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String kvmDevice() {
        try {
            return "kvm-ctime=" + Files.getAttribute(KvmDeviceAccess.DEVICE, "unix:ctime");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "no-kvm";
        }
    }

    private Optional<Decision> readCache(String bootId) {
        if (!Files.isRegularFile(cacheFile)) return Optional.empty();
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(cacheFile)) {
            properties.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!bootId.equals(properties.getProperty("host-state")) || !uri.equals(properties.getProperty("uri"))) {
            return Optional.empty();
        }
        String type = properties.getProperty("domain-type");
        String reason = properties.getProperty("reason");
        if (type == null || reason == null) return Optional.empty();
        return Optional.of(new Decision(type, reason + " (tested at " + properties.getProperty("tested-at") + ")"));
    }

    private void writeCache(String bootId, Decision decision) {
        Properties properties = new Properties();
        properties.setProperty("uri", uri);
        properties.setProperty("host-state", bootId);
        properties.setProperty("domain-type", decision.domainType());
        properties.setProperty("reason", decision.reason());
        properties.setProperty("tested-at", clock.instant().toString());
        try {
            Files.createDirectories(cacheFile.getParent());
            Path temporary = cacheFile.resolveSibling(cacheFile.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                properties.store(out, "Slice libvirt driver: KVM or TCG, valid until the host reboots");
            }
            Files.move(temporary, cacheFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Without the cache the next driver start probes again; slower, still correct.
        }
    }
}
