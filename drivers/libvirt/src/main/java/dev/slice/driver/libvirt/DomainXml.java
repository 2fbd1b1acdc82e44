package dev.slice.driver.libvirt;

import static dev.slice.driver.libvirt.XmlDocuments.child;
import static dev.slice.driver.libvirt.XmlDocuments.childWith;

import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.host.InterfaceNames;
import java.nio.file.Path;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Builds a guest's libvirt domain XML from its spec. Every value goes through the DOM API; the
 * spec's records have already validated names, addresses and sizes, and paths come from the
 * template build and the storage pool, never from a user.
 */
final class DomainXml {
    /** Slice's own element in {@code <metadata>}: which template and spec made this domain. */
    static final String METADATA_NAMESPACE = "https://slice.dev/xmlns/libvirt-guest/1";

    /** The virtio port qemu-ga listens on (Debian's qemu-guest-agent starts when it appears). */
    static final String GUEST_AGENT_PORT = "org.qemu.guest_agent.0";

    /** Translation cache of a TCG guest; see {@link #of}. */
    static final long TCG_CACHE_MIB = 64;

    private DomainXml() {}

    /**
     * What one domain is made of.
     *
     * @param domainType {@code kvm}, {@code qemu} (TCG) or {@code xen}
     * @param rootDisk   the guest's qcow2 overlay
     * @param seedDisk   the raw first-boot seed (see {@link SeedArchive})
     * @param uuid       the existing domain's UUID when redefining it, else null (libvirt picks one)
     */
    record Plan(GuestSpec spec, Hypervisor hypervisor, String domainType, TemplateImage image,
                Path rootDisk, Path seedDisk, String uuid) {}

    static String of(Plan plan) {
        Document document = XmlDocuments.newDocument("domain");
        Element domain = document.getDocumentElement();
        GuestSpec spec = plan.spec();
        domain.setAttribute("type", plan.domainType());
        child(domain, "name", spec.id().value());
        if (plan.uuid() != null) child(domain, "uuid", plan.uuid());
        metadata(domain, plan);
        childWith(domain, "memory", "unit", "MiB").setTextContent(Long.toString(spec.resources().memoryMiB()));
        child(domain, "vcpu", Integer.toString(spec.resources().vcpus()));
        os(domain, plan);
        if (plan.hypervisor() == Hypervisor.QEMU) {
            Element features = child(domain, "features");
            child(features, "acpi");
            if ("qemu".equals(plan.domainType())) {
                // QEMU's translated-code cache defaults to 1 GiB and fills up during boot; a small
                // guest runs well with far less, and every MiB here is host memory per guest.
                childWith(child(features, "tcg"), "tb-cache", "unit", "MiB").setTextContent(Long.toString(TCG_CACHE_MIB));
            }
            if ("kvm".equals(plan.domainType())) childWith(domain, "cpu", "mode", "host-passthrough");
        }
        childWith(domain, "clock", "offset", "utc");
        child(domain, "on_poweroff", "destroy");
        child(domain, "on_reboot", "restart");
        child(domain, "on_crash", "destroy");
        devices(domain, plan);
        return XmlDocuments.serialize(document);
    }

    private static void metadata(Element domain, Plan plan) {
        Element metadata = child(domain, "metadata");
        Element guest = domain.getOwnerDocument().createElementNS(METADATA_NAMESPACE, "slice:guest");
        metadata.appendChild(guest);
        Element template = domain.getOwnerDocument().createElementNS(METADATA_NAMESPACE, "slice:template");
        template.setTextContent(plan.spec().template());
        guest.appendChild(template);
        Element image = domain.getOwnerDocument().createElementNS(METADATA_NAMESPACE, "slice:image");
        image.setTextContent(plan.image().directory().toString());
        guest.appendChild(image);
        Element hostname = domain.getOwnerDocument().createElementNS(METADATA_NAMESPACE, "slice:hostname");
        hostname.setTextContent(plan.spec().hostname());
        guest.appendChild(hostname);
        if (plan.spec().resources().bandwidthMbit() > 0) {
            // Megabits per second each way; the driver shapes the interface at every start.
            Element bandwidth = domain.getOwnerDocument().createElementNS(METADATA_NAMESPACE, "slice:bandwidth");
            bandwidth.setTextContent(Integer.toString(plan.spec().resources().bandwidthMbit()));
            guest.appendChild(bandwidth);
        }
    }

    private static void os(Element domain, Plan plan) {
        Element os = child(domain, "os");
        Element type = child(os, "type", plan.hypervisor().osType());
        type.setAttribute("arch", "x86_64");
        type.setAttribute("machine", plan.hypervisor() == Hypervisor.QEMU ? "pc" : "xenpv");
        child(os, "kernel", plan.image().kernel().toString());
        child(os, "initrd", plan.image().initrd().toString());
        child(os, "cmdline", kernelCommandLine(plan.hypervisor()));
    }

    /**
     * Root on the first disk, the console where libvirt's console stream reads it, classic
     * interface names (the initrd configures eth0 from the seed), and a quiet boot: under emulation
     * every console line costs time. no_timer_check: on a loaded host an emulated guest can miss the
     * kernel's IO-APIC timer check by a few ticks, which panics the boot ("IO-APIC + timer doesn't work").
     */
    static String kernelCommandLine(Hypervisor hypervisor) {
        return "root=/dev/" + hypervisor.diskTarget(0) + " rw console=" + hypervisor.kernelConsole()
                + " net.ifnames=0 no_timer_check quiet systemd.show_status=0";
    }

    private static void devices(Element domain, Plan plan) {
        Element devices = child(domain, "devices");
        Hypervisor hypervisor = plan.hypervisor();
        disk(devices, hypervisor, plan.rootDisk(), "qcow2", 0, false);
        disk(devices, hypervisor, plan.seedDisk(), "raw", 1, true);
        NetworkConfig network = plan.spec().network();
        if (network != null) networkInterface(devices, hypervisor, network, interfaceName(plan.spec().id()));
        if (hypervisor == Hypervisor.QEMU) {
            childWith(childWith(devices, "serial", "type", "pty"), "target", "port", "0");
            Element console = childWith(devices, "console", "type", "pty");
            childWith(console, "target", "type", "serial", "port", "0");
            childWith(devices, "controller", "type", "usb", "model", "none");
            childWith(devices, "memballoon", "model", "none");
            // Entropy from the host: without it a fresh guest waits seconds for its random pool.
            Element rng = childWith(devices, "rng", "model", "virtio");
            childWith(rng, "backend", "model", "random").setTextContent("/dev/urandom");
            // The QEMU guest agent's port (GuestExec): harmless in a guest without an agent. libvirt picks the
            // host side's socket and watches the agent connect.
            Element agent = childWith(devices, "channel", "type", "unix");
            childWith(agent, "target", "type", "virtio", "name", GUEST_AGENT_PORT);
        } else {
            Element console = childWith(devices, "console", "type", "pty");
            childWith(console, "target", "type", "xen", "port", "0");
        }
    }

    private static void disk(Element devices, Hypervisor hypervisor, Path file, String format, int index, boolean readOnly) {
        Element disk = childWith(devices, "disk", "type", "file", "device", "disk");
        childWith(disk, "driver", "name", "qemu", "type", format);
        childWith(disk, "source", "file", file.toString());
        childWith(disk, "target", "dev", hypervisor.diskTarget(index), "bus", hypervisor.diskBus());
        if (readOnly) child(disk, "readonly");
    }

    /**
     * The interface's host side has a name of Slice's choosing, stable for the guest, so the plan's
     * bandwidth can be shaped on it ({@code TrafficShaper}) and its IFB found again at destroy. libvirt's
     * own {@code <bandwidth>} is not used: it polices the guest's outgoing traffic with act_police, which
     * some host kernels lack (this build host's among them), and then the guest cannot start at all.
     */
    private static void networkInterface(Element devices, Hypervisor hypervisor, NetworkConfig network, String device) {
        Element nic = childWith(devices, "interface", "type", "bridge");
        childWith(nic, "source", "bridge", network.bridge());
        childWith(nic, "mac", "address", network.mac());
        childWith(nic, "target", "dev", device);
        if (hypervisor == Hypervisor.QEMU) childWith(nic, "model", "type", "virtio");
    }

    /** {@code sv-} and 12 hex digits of the guest id's SHA-256: within the 15 characters Linux allows. */
    static String interfaceName(GuestId id) {
        return InterfaceNames.hashed("sv-", id.value());
    }

    /** Name of the throw-away domain {@link AccelerationProbe} boots; {@code list()} never reports it. */
    static final String PROBE_DOMAIN = "slice-acceleration-probe";

    /**
     * A domain of {@code type} that boots the template's kernel into its initrd, which prints a
     * marker and powers off at once ({@code slice.probe=1}, see deploy/libvirt/guest/init). It
     * ends by itself only if the kernel really ran; a reboot or crash keeps it alive so that
     * neither looks like success.
     */
    static String accelerationProbe(String type, TemplateImage image) {
        Document document = XmlDocuments.newDocument("domain");
        Element domain = document.getDocumentElement();
        domain.setAttribute("type", type);
        child(domain, "name", PROBE_DOMAIN);
        childWith(domain, "memory", "unit", "MiB").setTextContent("128");
        child(domain, "vcpu", "1");
        Element os = child(domain, "os");
        childWith(os, "type", "arch", "x86_64", "machine", "pc").setTextContent("hvm");
        child(os, "kernel", image.kernel().toString());
        child(os, "initrd", image.initrd().toString());
        child(os, "cmdline", "console=ttyS0 slice.probe=1 quiet");
        child(child(domain, "features"), "acpi");
        child(domain, "on_poweroff", "destroy");
        child(domain, "on_reboot", "restart");
        child(domain, "on_crash", "preserve");
        Element devices = child(domain, "devices");
        childWith(childWith(devices, "serial", "type", "pty"), "target", "port", "0");
        childWith(devices, "controller", "type", "usb", "model", "none");
        childWith(devices, "memballoon", "model", "none");
        return XmlDocuments.serialize(document);
    }
}
