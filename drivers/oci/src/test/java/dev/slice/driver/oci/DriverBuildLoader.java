package dev.slice.driver.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads another build of this driver (its compiled classes directory) beside the one on the class
 * path, so that the benchmark can run both in one JVM, in turns, under the same host load. The
 * driver's own package comes from that directory; everything else (driver-api, Jackson) is shared.
 */
final class DriverBuildLoader extends URLClassLoader {
    private static final String DRIVER_PACKAGE = "dev.slice.driver.oci.";

    DriverBuildLoader(Path classes, ClassLoader parent) {
        super(new URL[] {url(classes)}, parent);
    }

    private static URL url(Path classes) {
        if (!Files.isDirectory(classes.resolve("META-INF/services"))) {
            throw new UncheckedIOException(new IOException(classes + " is not a compiled driver build"));
        }
        try {
            return classes.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(DRIVER_PACKAGE)) return super.loadClass(name, resolve);
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) loaded = findClass(name);
            if (resolve) resolveClass(loaded);
            return loaded;
        }
    }
}
