package dev.slice.driver.libvirt;

import dev.slice.driver.InvalidSpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The x86-64 form of an OS template that deploy/libvirt/build.sh makes: a kernel and initrd for
 * direct kernel boot and a raw ext4 base image that guests get copy-on-write overlays of.
 *
 * @param directory the build's own directory ({@code .../x86_64/<recipe>}), never the moving
 *                  {@code current} link, so guests keep the exact files they were made from
 */
record TemplateImage(String template, Path directory) {

    static final String FORM = "x86_64";

    Path kernel() { return directory.resolve("vmlinuz"); }

    Path initrd() { return directory.resolve("initrd.img"); }

    Path rootImage() { return directory.resolve("rootfs.img"); }

    /** Size of the base image: the smallest disk a guest of this template can have. */
    long rootImageBytes() {
        try {
            return Files.size(rootImage());
        } catch (IOException e) {
            throw new InvalidSpecException("template '" + template + "' has no readable base image at " + rootImage());
        }
    }

    /**
     * Finds the current build of {@code template} under {@code templatesDir}.
     *
     * @throws InvalidSpecException when the template has no x86-64 build on this host
     */
    static TemplateImage resolve(Path templatesDir, String template) {
        Path current = templatesDir.resolve(template).resolve(FORM).resolve("current").normalize();
        if (!current.startsWith(templatesDir.normalize())) {
            throw new InvalidSpecException("OS template name '" + template + "' is not valid");
        }
        Path directory;
        try {
            directory = current.toRealPath();
        } catch (IOException e) {
            throw new InvalidSpecException("OS template '" + template + "' has no x86-64 image on this host ("
                    + current + " is missing; deploy/libvirt/build.sh builds debian-12)");
        }
        TemplateImage image = new TemplateImage(template, directory);
        for (Path file : new Path[] {image.kernel(), image.initrd(), image.rootImage()}) {
            if (!Files.isRegularFile(file)) {
                throw new InvalidSpecException("OS template '" + template + "' is incomplete: " + file
                        + " is missing; rebuild it with deploy/libvirt/build.sh");
            }
        }
        return image;
    }
}
