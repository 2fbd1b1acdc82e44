package dev.slice.emulator;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.fail;

/** The guest software built by deploy/emulator/build.sh; tests fail (never skip) when it is missing. */
final class GuestFiles {
    private GuestFiles() { }

    static Path dir() {
        String data = System.getenv().getOrDefault("SLICE_DATA", "/var/lib/slice");
        return Path.of(data, "emulator");
    }

    static Path require(String relative) {
        Path p = dir().resolve(relative);
        if (!Files.isRegularFile(p)) {
            fail(p + " is missing: run deploy/emulator/build.sh first (it builds the riscv64 kernel, initramfs, disk image and test programs)");
        }
        return p;
    }
}
