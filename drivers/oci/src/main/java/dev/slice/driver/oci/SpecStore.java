package dev.slice.driver.oci;

import dev.slice.driver.GuestSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import tools.jackson.databind.json.JsonMapper;

/** Keeps each guest's spec beside its disk, so a restarted Slice can start the guest again as it was. */
final class SpecStore {
    private final JsonMapper json;

    SpecStore(JsonMapper json) {
        this.json = json;
    }

    void write(Path file, GuestSpec spec) {
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, json.writerWithDefaultPrettyPrinter().writeValueAsString(spec));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the spec of " + spec.id() + " in " + file, e);
        }
    }

    GuestSpec read(Path file) {
        try {
            return json.readValue(Files.readString(file), GuestSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the guest spec " + file, e);
        }
    }
}
