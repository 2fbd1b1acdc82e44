package dev.slice.driver.libvirt;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.libvirt.Stream;

/**
 * A guest's disks, through libvirt's storage API so that remote hosts work the same as the local
 * one: a qcow2 overlay over the template's base image (the guest's own writes only) and a small
 * raw seed volume with its first-boot settings. Both live in one directory pool.
 */
final class GuestVolumes {
    static final String POOL = "slice";

    private final Path poolDirectory;

    GuestVolumes(Path poolDirectory) {
        this.poolDirectory = poolDirectory;
    }

    static String rootVolumeName(GuestId id) { return id.value() + ".qcow2"; }

    static String seedVolumeName(GuestId id) { return id.value() + "-seed.tar"; }

    /** The pool, defined, built and started if it is not yet; safe to repeat. */
    StoragePool pool(Connect connect) throws LibvirtException {
        Optional<StoragePool> existing = LibvirtCalls.lookup(() -> connect.storagePoolLookupByName(POOL));
        StoragePool pool;
        if (existing.isPresent()) {
            pool = existing.get();
        } else {
            pool = connect.storagePoolDefineXML(StorageXml.directoryPool(POOL, poolDirectory), 0);
            pool.build(0);
            pool.setAutostart(1);
        }
        if (pool.isActive() != 1) pool.create(0);
        return pool;
    }

    /**
     * A guest's overlay and the base image under it, which for an existing overlay may be an older
     * build than the template's current one.
     */
    record RootDisk(Path path, Path baseImage) {}

    /** Creates the overlay unless it exists. */
    RootDisk ensureRoot(Connect connect, GuestId id, TemplateImage image, long capacityBytes) throws LibvirtException {
        StoragePool pool = pool(connect);
        Optional<StorageVol> existing = LibvirtCalls.lookup(() -> pool.storageVolLookupByName(rootVolumeName(id)));
        StorageVol volume = existing.isPresent() ? existing.get()
                : pool.storageVolCreateXML(StorageXml.overlayVolume(rootVolumeName(id), capacityBytes, image.rootImage()), 0);
        var paths = XmlDocuments.parse(volume.getXMLDesc(0)).getElementsByTagName("backingStore");
        Path base = image.rootImage();
        if (paths.getLength() > 0) {
            var path = ((org.w3c.dom.Element) paths.item(0)).getElementsByTagName("path");
            if (path.getLength() > 0) base = Path.of(path.item(0).getTextContent().strip());
        }
        return new RootDisk(Path.of(volume.getPath()), base);
    }

    /** Replaces the seed volume with {@code archive}; returns its path. */
    Path writeSeed(Connect connect, GuestId id, byte[] archive) throws LibvirtException {
        StoragePool pool = pool(connect);
        deleteIfPresent(pool, seedVolumeName(id));
        StorageVol volume = pool.storageVolCreateXML(StorageXml.rawVolume(seedVolumeName(id), archive.length), 0);
        Stream stream = connect.streamNew(0);
        try {
            volume.upload(stream, 0, archive.length, 0);
            int sent = 0;
            while (sent < archive.length) {
                byte[] chunk = Arrays.copyOfRange(archive, sent, archive.length);
                int n = stream.send(chunk);
                if (n <= 0) throw new DriverException("upload of the seed volume of " + id + " stalled");
                sent += n;
            }
            stream.finish();
        } catch (LibvirtException | RuntimeException e) {
            stream.abort();
            deleteIfPresent(pool, seedVolumeName(id));
            throw e;
        } finally {
            stream.free();
        }
        return Path.of(volume.getPath());
    }

    /** Removes both volumes; absent ones are fine. */
    void delete(Connect connect, GuestId id) throws LibvirtException {
        Optional<StoragePool> pool = LibvirtCalls.lookup(() -> connect.storagePoolLookupByName(POOL));
        if (pool.isEmpty()) return;
        if (pool.get().isActive() != 1) pool.get().create(0);
        pool.get().refresh(0);
        deleteIfPresent(pool.get(), rootVolumeName(id));
        deleteIfPresent(pool.get(), seedVolumeName(id));
    }

    private static void deleteIfPresent(StoragePool pool, String name) throws LibvirtException {
        Optional<StorageVol> volume = LibvirtCalls.lookup(() -> pool.storageVolLookupByName(name));
        if (volume.isPresent()) volume.get().delete(0);
    }

    /** Capacity of the pool's file system, for the probe; empty when the pool cannot be read. */
    Optional<Long> capacityBytes(Connect connect) {
        try {
            return Optional.of(pool(connect).getInfo().capacity);
        } catch (LibvirtException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
