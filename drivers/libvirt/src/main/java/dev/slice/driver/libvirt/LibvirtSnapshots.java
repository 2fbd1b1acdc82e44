package dev.slice.driver.libvirt;

import static dev.slice.driver.libvirt.XmlDocuments.child;
import static dev.slice.driver.libvirt.XmlDocuments.childWith;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.capability.Snapshots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainSnapshot;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Snapshots of QEMU guests as internal qcow2 snapshots in the guest's overlay, through libvirt's snapshot API.
 * Internal, not external: libvirt before 9.7 (Debian 12 has 9.0) cannot revert to an external snapshot, and an
 * internal one needs no second file per snapshot to keep track of. Of a running guest libvirt takes a full
 * checkpoint (disk and memory, the guest paused while it is written), so a revert resumes the guest where it was;
 * of a stopped guest it takes the disk only. The read-only seed disk is left out (it is raw, and never changes).
 */
final class LibvirtSnapshots implements Snapshots {
    private final Supplier<Connect> connection;
    private final Hypervisor hypervisor;
    private final String uri;

    LibvirtSnapshots(Supplier<Connect> connection, Hypervisor hypervisor, String uri) {
        this.connection = connection;
        this.hypervisor = hypervisor;
        this.uri = uri;
    }

    @Override
    public void snapshot(GuestId id, String name) {
        requireValid(name);
        try {
            Domain domain = domain(id);
            if (find(domain, name).isPresent()) return;
            domain.snapshotCreateXML(snapshotXml(name), 0).free();
        } catch (LibvirtException e) {
            throw failure("take snapshot " + name + " of", id, e);
        }
    }

    @Override
    public List<String> snapshots(GuestId id) {
        try {
            Domain domain = domain(id);
            record Taken(String name, long createdAt) {}
            List<Taken> taken = new ArrayList<>();
            for (String name : domain.snapshotListNames()) {
                Optional<DomainSnapshot> snapshot = find(domain, name);
                if (snapshot.isEmpty()) continue; // deleted meanwhile
                taken.add(new Taken(name, creationTime(snapshot.get())));
                snapshot.get().free();
            }
            return taken.stream().sorted(Comparator.comparingLong(Taken::createdAt).thenComparing(Taken::name))
                    .map(Taken::name).toList();
        } catch (LibvirtException e) {
            throw failure("list the snapshots of", id, e);
        }
    }

    @Override
    public void revert(GuestId id, String name) {
        requireValid(name);
        try {
            Domain domain = domain(id);
            DomainSnapshot snapshot = find(domain, name)
                    .orElseThrow(() -> new DriverException("guest " + id + " has no snapshot " + name));
            domain.revertToSnapshot(snapshot);
            snapshot.free();
        } catch (LibvirtException e) {
            throw failure("revert to snapshot " + name + " of", id, e);
        }
    }

    @Override
    public void deleteSnapshot(GuestId id, String name) {
        requireValid(name);
        try {
            Domain domain = domain(id);
            Optional<DomainSnapshot> snapshot = find(domain, name);
            if (snapshot.isEmpty()) return;
            snapshot.get().delete(0);
            snapshot.get().free();
        } catch (LibvirtException e) {
            if (isAbsentSnapshot(e)) return; // deleted meanwhile
            throw failure("delete snapshot " + name + " of", id, e);
        }
    }

    /** Only the root disk, as an internal snapshot; the seed disk ({@code <disk snapshot='no'>}) is left out. */
    String snapshotXml(String name) {
        Document document = XmlDocuments.newDocument("domainsnapshot");
        Element root = document.getDocumentElement();
        child(root, "name", name);
        child(root, "description", "taken by Slice");
        Element disks = child(root, "disks");
        childWith(disks, "disk", "name", hypervisor.diskTarget(0), "snapshot", "internal");
        childWith(disks, "disk", "name", hypervisor.diskTarget(1), "snapshot", "no");
        return XmlDocuments.serialize(document);
    }

    private Domain domain(GuestId id) throws LibvirtException {
        Connect c = connection.get();
        return LibvirtCalls.lookup(() -> c.domainLookupByName(id.value())).orElseThrow(() -> new GuestNotFoundException(id));
    }

    private static Optional<DomainSnapshot> find(Domain domain, String name) throws LibvirtException {
        try {
            return Optional.of(domain.snapshotLookupByName(name));
        } catch (LibvirtException e) {
            if (isAbsentSnapshot(e)) return Optional.empty();
            throw e;
        }
    }

    private static long creationTime(DomainSnapshot snapshot) throws LibvirtException {
        NodeList times = XmlDocuments.parse(snapshot.getXMLDesc()).getElementsByTagName("creationTime");
        return times.getLength() == 0 ? 0 : Long.parseLong(times.item(0).getTextContent().strip());
    }

    private static boolean isAbsentSnapshot(LibvirtException e) {
        return e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT;
    }

    private static void requireValid(String name) {
        if (!Snapshots.validName(name)) throw new IllegalArgumentException("not a valid snapshot name: " + name);
    }

    private DriverException failure(String action, GuestId id, LibvirtException e) {
        return new DriverException("could not " + action + " guest " + id + " at " + uri + ": " + LibvirtCalls.message(e), e);
    }
}
