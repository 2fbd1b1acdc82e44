package dev.slice.driver.emulator;

import dev.slice.driver.DriverException;
import dev.slice.driver.InvalidSpecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The riscv64 form of OS templates: a kernel, an optional initramfs, a disk image and a kernel command line.
 * <ul>
 *   <li>{@code <dataDir>/templates/<name>/emulator/} with {@code Image}, {@code disk.img} and optionally
 *       {@code initramfs.cpio} and {@code append}: where a real riscv64 build of a template goes;</li>
 *   <li>{@code <dataDir>/emulator/<name>/current} naming a recipe directory with {@code Image}, {@code disk.img},
 *       optionally {@code initrd.img} and {@code append}: the layout of deploy/emulator/debian/build.sh (debian-13,
 *       root file system on the disk, labelled slice-root);</li>
 *   <li>until then, {@code debian-12} is <strong>stood in for by the busybox guest</strong> of
 *       deploy/emulator/build.sh (Linux 6.1, a busybox initramfs with a root shell on the console, an ext2 data
 *       disk): the only riscv64 guest there is. A customer who orders debian-12 on the emulator gets that.</li>
 * </ul>
 * Overlays never read a base image that can change under them: a recipe directory's image never does; any other
 * is copied once into {@code <dataDir>/emulator/bases/}, named by the source's path, size and time.
 */
final class GuestTemplates {
    static final Set<String> BUSYBOX_STAND_INS = Set.of("debian-12");
    /** The UART is the console; hvc0 is the host's power button (deploy/emulator/init). */
    static final String BUSYBOX_APPEND = "console=ttyS0 slice.power=hvc0";

    /** A template whose root file system is its disk (deploy/emulator/debian/build.sh labels it slice-root). */
    static final String DISK_ROOT_APPEND = "console=ttyS0 root=LABEL=slice-root rw slice.power=hvc0";

    /**
     * @param diskNeverChanges a recipe directory's image is never rewritten; others are frozen first ({@link #base})
     * @param rootDisk         the disk is the guest's root file system (slice-root): its first-boot settings go
     *                         into it ({@link RootDiskSettings}); else the busybox guest, told its hostname on the
     *                         kernel command line
     */
    record Template(String name, Path kernel, Path initrd, Path disk, String append, String description,
                    boolean diskNeverChanges, boolean rootDisk) {}

    private final EmulatorSettings settings;

    GuestTemplates(EmulatorSettings settings) {
        this.settings = settings;
    }

    /** The template's riscv64 files; an unknown template is an invalid spec, a known one not built yet is not. */
    Template resolve(String name) {
        Path own = settings.host().templateDir(name).resolve("emulator");
        if (Files.isRegularFile(own.resolve("Image"))) {
            Path initrd = own.resolve("initramfs.cpio");
            return new Template(name, own.resolve("Image"), Files.isRegularFile(initrd) ? initrd : null,
                    require(own.resolve("disk.img")), readAppend(own).orElse("console=ttyS0 slice.power=hvc0"),
                    "riscv64 build of " + name, false, false);
        }
        Optional<Path> recipe = currentRecipe(settings.guestFiles().resolve(name));
        if (recipe.isPresent() && Files.isRegularFile(recipe.get().resolve("Image"))) {
            Path dir = recipe.get();
            Path initrd = dir.resolve("initrd.img");
            return new Template(name, dir.resolve("Image"), Files.isRegularFile(initrd) ? initrd : null,
                    require(dir.resolve("disk.img")), readAppend(dir).orElse(DISK_ROOT_APPEND), "riscv64 build of " + name
                    + " (" + dir.getFileName() + ")", true, true);
        }
        if (BUSYBOX_STAND_INS.contains(name)) return busybox(name);
        throw new InvalidSpecException("OS template '" + name + "' has no riscv64 form on this host (" + own
                + " is missing); the emulator offers " + String.join(", ", BUSYBOX_STAND_INS) + " (the busybox guest) and"
                + " the templates deploy/emulator/debian/build.sh builds (debian-13)");
    }

    Template busybox(String name) {
        Path dir = settings.guestFiles();
        return new Template(name, require(dir.resolve("kernel/Image")), require(dir.resolve("initramfs.cpio")),
                require(dir.resolve("disk.img")), BUSYBOX_APPEND, "busybox guest of deploy/emulator/build.sh", false, false);
    }

    private static Optional<Path> currentRecipe(Path templateDir) {
        try {
            Path current = templateDir.resolve("current");
            if (!Files.isRegularFile(current)) return Optional.empty();
            String recipe = Files.readString(current).strip();
            return recipe.isEmpty() || recipe.contains("/") ? Optional.empty() : Optional.of(templateDir.resolve(recipe));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path require(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DriverException(file + " is missing: run deploy/emulator/build.sh (it builds the riscv64 guest)");
        }
        return file;
    }

    private static Optional<String> readAppend(Path dir) {
        try {
            Path file = dir.resolve("append");
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image a guest's overlay reads through to: the template's own when it never changes, else a frozen copy. */
    Path base(Template template) {
        return template.diskNeverChanges() ? template.disk() : frozenBase(template.disk());
    }

    /** A frozen copy of {@code image}, made on first use and shared by every guest over it. */
    private Path frozenBase(Path image) {
        try {
            Path real = image.toRealPath();
            String key = real + " " + Files.size(real) + " " + Files.getLastModifiedTime(real).toMillis();
            Path bases = settings.guestFiles().resolve("bases");
            Path frozen = bases.resolve(sha256(key).substring(0, 24) + ".img");
            if (Files.isRegularFile(frozen)) return frozen;
            Files.createDirectories(bases);
            Path tmp = bases.resolve("." + frozen.getFileName() + "." + ProcessHandle.current().pid());
            Files.copy(real, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, frozen, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return frozen;
        } catch (IOException e) {
            throw new UncheckedIOException("could not make a base image from " + image, e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
