package dev.slice.driver.uml;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * Host user ids for guests. A guest's root can load modules into its UML kernel, which makes the
 * kernel's host process the real boundary: each guest runs as a user of its own, so one guest can
 * neither signal, trace nor read the files of another. Ids come from a range that no passwd entry
 * uses ({@code uml.first-uid} onwards), start at a hash of the guest id and are kept in the guest's
 * record; a lock file ({@link HostLock}) keeps two creates, in this process or another, from taking the same id.
 */
final class GuestUsers {
    static final long RANGE = 1L << 24;
    /** Creates queue here one at a time; each takes a few seconds (its settings disk), a burst of 16 well within this. */
    private static final Duration ALLOCATION_TIMEOUT = Duration.ofMinutes(5);

    private final UmlSettings settings;

    GuestUsers(UmlSettings settings) {
        this.settings = settings;
    }

    /** Runs {@code create} with a user id that no other guest on this host has, under the allocation lock. */
    <T> T withNewUid(GuestId id, LongFunction<T> create) {
        try {
            Files.createDirectories(settings.guests());
            // Held while the guest's directory is built, so the id is on disk in its record before the next create looks.
            return HostLock.holding(settings.guests().resolve(".uids.lock"), ALLOCATION_TIMEOUT,
                    "allocate a host user for UML guest " + id, () -> create.apply(free(id, taken())));
        } catch (IOException e) {
            throw new UncheckedIOException("could not allocate a host user for UML guest " + id, e);
        }
    }

    long free(GuestId id, Set<Long> taken) {
        long offset = Math.floorMod(hash(id), RANGE);
        for (long i = 0; i < RANGE; i++) {
            long uid = settings.firstUid() + (offset + i) % RANGE;
            if (!taken.contains(uid)) return uid;
        }
        throw new DriverException("all " + RANGE + " UML guest user ids from " + settings.firstUid() + " are taken");
    }

    private Set<Long> taken() throws IOException {
        Set<Long> uids = new HashSet<>();
        if (!Files.isDirectory(settings.guests())) return uids;
        try (Stream<Path> dirs = Files.list(settings.guests())) {
            for (Path dir : dirs.toList()) {
                try {
                    GuestRecord.read(dir.resolve("guest.properties")).ifPresent(record -> uids.add(record.uid()));
                } catch (DriverException unreadable) {
                    // A damaged record cannot be started either; its id stays free to take.
                }
            }
        }
        return uids;
    }

    private static long hash(GuestId id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.value().getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
