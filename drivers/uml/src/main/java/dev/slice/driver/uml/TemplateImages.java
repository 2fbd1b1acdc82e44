package dev.slice.driver.uml;

import dev.slice.driver.HostContext;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The UML form of OS templates, built by deploy/uml/build.sh under
 * {@code <dataDir>/templates/<name>/uml/}: {@code current} names the recipe, and
 * {@code <recipe>/rootfs} is the staged tree that ext4 images are packed from.
 * <p>
 * A guest's disk is a copy-on-write file over a base image, and UML gives the guest a disk exactly as
 * large as the base, so there is one base per disk size ({@code <recipe>/base-<MiB>M.img}), packed on
 * first use and shared by every guest of that size. Base images are never rewritten: a guest's COW
 * file remembers its base by path and modification time.
 */
final class TemplateImages {
    private static final Duration PACK_TIMEOUT = Duration.ofMinutes(10);

    private final HostContext host;

    TemplateImages(HostContext host) {
        this.host = host;
    }

    /** The base image of this template and size, packed now if this is the first guest of that size. */
    Path baseImage(String template, long diskMiB) {
        Path recipeDir = recipeDir(template);
        Path image = recipeDir.resolve("base-" + diskMiB + "M.img");
        if (Files.isRegularFile(image)) return image;
        try {
            // Concurrent creates of a new size: one packs, the others wait for it and find the image.
            return HostLock.holding(recipeDir.resolve(".pack.lock"), PACK_TIMEOUT.plusMinutes(1), "pack " + image, () -> {
                if (!Files.isRegularFile(image)) pack(template, recipeDir, image, diskMiB);
                return image;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not pack " + image, e);
        }
    }

    boolean exists(String template) {
        return Files.isRegularFile(host.templateDir(template).resolve("uml").resolve("current"));
    }

    private Path recipeDir(String template) {
        Path current = host.templateDir(template).resolve("uml").resolve("current");
        if (!Files.isRegularFile(current)) {
            throw new InvalidSpecException("OS template '" + template + "' has no UML image on this host ("
                    + current + " is missing; deploy/uml/build.sh builds debian-12)");
        }
        try {
            Path dir = current.resolveSibling(Files.readString(current).strip());
            if (!Files.isDirectory(dir.resolve("rootfs"))) {
                throw new InvalidSpecException("OS template '" + template + "': " + dir
                        + "/rootfs is missing; run deploy/uml/build.sh again");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pack(String template, Path recipeDir, Path image, long diskMiB) throws IOException {
        Path tmp = recipeDir.resolve("." + image.getFileName() + "." + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        ProcessResult result = host.processes().run(HostCommand.of("mkfs.ext4", "-q", "-F", "-L", "slice-root",
                        "-d", recipeDir.resolve("rootfs").toString(),
                        "-E", "lazy_itable_init=0,lazy_journal_init=0", tmp.toString(), diskMiB + "M")
                .withTimeout(PACK_TIMEOUT));
        if (!result.succeeded()) {
            Files.deleteIfExists(tmp);
            String why = (result.stderr() + result.stdout()).strip();
            if (why.contains("Could not allocate") || why.contains("No space left") || why.contains("too small")) {
                throw new InvalidSpecException("a disk of " + diskMiB + " MiB is too small for OS template '"
                        + template + "'");
            }
            throw new dev.slice.driver.DriverException("packing " + image + " with mkfs.ext4 failed: " + why);
        }
        Files.move(tmp, image, StandardCopyOption.ATOMIC_MOVE);
    }
}
