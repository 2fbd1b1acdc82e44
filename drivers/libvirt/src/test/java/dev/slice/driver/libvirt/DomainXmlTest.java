package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.Resources;
import java.nio.file.Path;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** Every kind of domain document the driver makes is valid by libvirt's schema and says what the spec says. */
class DomainXmlTest {
    private static final TemplateImage IMAGE =
            new TemplateImage("debian-12", Path.of("/var/lib/slice/templates/debian-12/x86_64/0123456789abcdef"));
    private static final GuestSpec SPEC = TestHost.debianSpec(GuestId.of("web-1"), 21, Credentials.none());

    private static DomainXml.Plan plan(GuestSpec spec, Hypervisor hypervisor, String type) {
        return new DomainXml.Plan(spec, hypervisor, type, IMAGE, Path.of("/var/lib/slice/libvirt/volumes/web-1.qcow2"),
                Path.of("/var/lib/slice/libvirt/volumes/web-1-seed.tar"), null);
    }

    @Test
    void tcgGuestIsValidAndBootsTheTemplateKernelFromItsOverlay() throws Exception {
        String xml = DomainXml.of(plan(SPEC, Hypervisor.QEMU, "qemu"));
        XmlSchemaValidator.assertValid(xml, "domain");
        Document doc = XmlDocuments.parse(xml);
        assertThat(text(doc, "/domain/@type")).isEqualTo("qemu");
        assertThat(text(doc, "/domain/name")).isEqualTo("web-1");
        assertThat(text(doc, "/domain/memory")).isEqualTo("256");
        assertThat(text(doc, "/domain/os/kernel")).isEqualTo(IMAGE.kernel().toString());
        assertThat(text(doc, "/domain/os/cmdline")).contains("root=/dev/vda", "console=ttyS0");
        assertThat(text(doc, "/domain/devices/disk[1]/source/@file")).endsWith("web-1.qcow2");
        assertThat(text(doc, "/domain/devices/disk[1]/driver/@type")).isEqualTo("qcow2");
        assertThat(text(doc, "count(/domain/devices/disk[2]/readonly)")).isEqualTo("1");
        assertThat(text(doc, "/domain/devices/interface[@type='bridge']/source/@bridge")).isEqualTo("slicebr0");
        assertThat(text(doc, "/domain/devices/interface/mac/@address")).isEqualTo(SPEC.network().mac());
        assertThat(text(doc, "count(/domain/cpu)")).isEqualTo("0");
        assertThat(text(doc, "/domain/features/tcg/tb-cache")).isEqualTo(Long.toString(DomainXml.TCG_CACHE_MIB));
        assertThat(text(doc, "/domain/devices/channel[@type='unix']/target[@type='virtio']/@name"))
                .isEqualTo("org.qemu.guest_agent.0");
    }

    @Test
    void kvmGuestIsValidAndPassesTheHostCpuThrough() throws Exception {
        String xml = DomainXml.of(plan(SPEC, Hypervisor.QEMU, "kvm"));
        XmlSchemaValidator.assertValid(xml, "domain");
        Document doc = XmlDocuments.parse(xml);
        assertThat(text(doc, "/domain/@type")).isEqualTo("kvm");
        assertThat(text(doc, "/domain/cpu/@mode")).isEqualTo("host-passthrough");
        assertThat(text(doc, "count(/domain/features/tcg)")).isEqualTo("0");
    }

    @Test
    void xenParavirtualGuestIsValidWithXenDisksAndConsole() throws Exception {
        String xml = DomainXml.of(plan(SPEC, Hypervisor.XEN, "xen"));
        XmlSchemaValidator.assertValid(xml, "domain");
        Document doc = XmlDocuments.parse(xml);
        assertThat(text(doc, "/domain/@type")).isEqualTo("xen");
        assertThat(text(doc, "/domain/os/type")).isEqualTo("linux");
        assertThat(text(doc, "/domain/os/kernel")).isEqualTo(IMAGE.kernel().toString());
        assertThat(text(doc, "/domain/os/cmdline")).contains("root=/dev/xvda", "console=hvc0");
        assertThat(text(doc, "/domain/devices/disk[1]/target/@bus")).isEqualTo("xen");
        assertThat(text(doc, "/domain/devices/disk[1]/target/@dev")).isEqualTo("xvda");
        assertThat(text(doc, "/domain/devices/console/target/@type")).isEqualTo("xen");
        assertThat(text(doc, "count(/domain/features/acpi)")).isEqualTo("0");
        assertThat(text(doc, "count(/domain/devices/channel)")).isEqualTo("0");
    }

    @Test
    void bandwidthLimitInMetadataAStableInterfaceNameAndTheExistingUuid() throws Exception {
        GuestSpec limited = SPEC.withResources(new Resources(2, 512, 2048, 0, 100));
        DomainXml.Plan plan = plan(limited, Hypervisor.QEMU, "qemu");
        String xml = DomainXml.of(new DomainXml.Plan(plan.spec(), plan.hypervisor(), plan.domainType(), plan.image(),
                plan.rootDisk(), plan.seedDisk(), "6f1c1c8e-2b1a-4f55-9a4e-2b8d3e1f0a77"));
        XmlSchemaValidator.assertValid(xml, "domain");
        Document doc = XmlDocuments.parse(xml);
        assertThat(text(doc, "/domain/uuid")).isEqualTo("6f1c1c8e-2b1a-4f55-9a4e-2b8d3e1f0a77");
        assertThat(text(doc, "/domain/vcpu")).isEqualTo("2");
        // Shaped by the driver on the interface it names, not by libvirt (act_police): see DomainXml.
        assertThat(text(doc, "count(/domain/devices/interface/bandwidth)")).isEqualTo("0");
        assertThat(text(doc, "/domain/devices/interface/target/@dev")).isEqualTo(DomainXml.interfaceName(SPEC.id()))
                .hasSizeLessThanOrEqualTo(15);
        assertThat(doc.getElementsByTagNameNS(DomainXml.METADATA_NAMESPACE, "bandwidth").item(0).getTextContent())
                .isEqualTo("100");
    }

    @Test
    void guestWithoutNetworkHasNoInterface() throws Exception {
        GuestSpec offline = new GuestSpec(SPEC.id(), SPEC.hostname(), SPEC.resources(), SPEC.template(), null,
                SPEC.credentials());
        String xml = DomainXml.of(plan(offline, Hypervisor.QEMU, "qemu"));
        XmlSchemaValidator.assertValid(xml, "domain");
        assertThat(text(XmlDocuments.parse(xml), "count(/domain/devices/interface)")).isEqualTo("0");
    }

    @Test
    void markupInPathsIsEscapedNotInterpreted() throws Exception {
        TemplateImage odd = new TemplateImage("debian-12", Path.of("/srv/a&b/<x>/'q\""));
        DomainXml.Plan plan = plan(SPEC, Hypervisor.QEMU, "qemu");
        String xml = DomainXml.of(new DomainXml.Plan(plan.spec(), plan.hypervisor(), plan.domainType(), odd,
                plan.rootDisk(), plan.seedDisk(), null));
        XmlSchemaValidator.assertValid(xml, "domain");
        assertThat(text(XmlDocuments.parse(xml), "/domain/os/kernel")).isEqualTo("/srv/a&b/<x>/'q\"/vmlinuz");
    }

    @Test
    void accelerationProbeDomainIsValid() throws Exception {
        for (String type : new String[] {"kvm", "qemu"}) {
            String xml = DomainXml.accelerationProbe(type, IMAGE);
            XmlSchemaValidator.assertValid(xml, "domain");
            Document doc = XmlDocuments.parse(xml);
            assertThat(text(doc, "/domain/os/cmdline")).contains("slice.probe=1");
            assertThat(text(doc, "/domain/on_reboot")).isEqualTo("restart");
        }
    }

    @Test
    void storagePoolAndVolumesAreValid() throws Exception {
        XmlSchemaValidator.assertValid(StorageXml.directoryPool("slice", Path.of("/var/lib/slice/libvirt/volumes")), "storagepool");
        String overlay = StorageXml.overlayVolume("web-1.qcow2", 1024L << 20, IMAGE.rootImage());
        XmlSchemaValidator.assertValid(overlay, "storagevol");
        Document doc = XmlDocuments.parse(overlay);
        assertThat(text(doc, "/volume/backingStore/path")).isEqualTo(IMAGE.rootImage().toString());
        assertThat(text(doc, "/volume/capacity")).isEqualTo(Long.toString(1024L << 20));
        XmlSchemaValidator.assertValid(StorageXml.rawVolume("web-1-seed.tar", 10240), "storagevol");
    }

    private static String text(Document doc, String xpath) throws Exception {
        return (String) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.STRING);
    }
}
