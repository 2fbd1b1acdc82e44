package dev.slice.driver.libvirt;

import static dev.slice.driver.libvirt.XmlDocuments.child;
import static dev.slice.driver.libvirt.XmlDocuments.childWith;

import java.nio.file.Path;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Storage pool and volume XML for libvirt's storage API, built with the DOM like domains are. */
final class StorageXml {
    private StorageXml() {}

    /** A directory pool: each volume is a file in {@code directory}. */
    static String directoryPool(String name, Path directory) {
        Document document = XmlDocuments.newDocument("pool");
        Element pool = document.getDocumentElement();
        pool.setAttribute("type", "dir");
        child(pool, "name", name);
        Element target = child(pool, "target");
        child(target, "path", directory.toString());
        Element permissions = child(target, "permissions");
        child(permissions, "mode", "0711");
        return XmlDocuments.serialize(document);
    }

    /** A qcow2 volume of {@code capacityBytes} whose unwritten blocks come from the raw {@code backingFile}. */
    static String overlayVolume(String name, long capacityBytes, Path backingFile) {
        Document document = XmlDocuments.newDocument("volume");
        Element volume = document.getDocumentElement();
        child(volume, "name", name);
        childWith(volume, "capacity", "unit", "bytes").setTextContent(Long.toString(capacityBytes));
        Element target = child(volume, "target");
        childWith(target, "format", "type", "qcow2");
        child(child(target, "permissions"), "mode", "0600");
        Element backing = child(volume, "backingStore");
        child(backing, "path", backingFile.toString());
        childWith(backing, "format", "type", "raw");
        return XmlDocuments.serialize(document);
    }

    /** A raw volume of exactly {@code capacityBytes}, filled by an upload afterwards. */
    static String rawVolume(String name, long capacityBytes) {
        Document document = XmlDocuments.newDocument("volume");
        Element volume = document.getDocumentElement();
        child(volume, "name", name);
        childWith(volume, "capacity", "unit", "bytes").setTextContent(Long.toString(capacityBytes));
        childWith(volume, "allocation", "unit", "bytes").setTextContent(Long.toString(capacityBytes));
        Element target = child(volume, "target");
        childWith(target, "format", "type", "raw");
        child(child(target, "permissions"), "mode", "0600");
        return XmlDocuments.serialize(document);
    }
}
