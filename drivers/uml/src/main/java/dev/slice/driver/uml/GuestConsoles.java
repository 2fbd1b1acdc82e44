package dev.slice.driver.uml;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.ConsoleStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link SharedConsole} of each running guest, one per boot: made by {@link #record} as the guest starts, so
 * the boot is recorded from its first line, or on the first {@link #open} when this driver found the guest already
 * running (a restarted Slice); forgotten when it ends.
 */
final class GuestConsoles {
    private final Map<GuestId, SharedConsole> byGuest = new ConcurrentHashMap<>();

    /** A new boot's console at {@code socket}; the previous boot's, if still known, is let go. */
    void record(GuestId id, Path socket) throws IOException {
        SharedConsole fresh = attach(id, socket);
        SharedConsole previous = byGuest.put(id, fresh);
        if (previous != null) previous.close();
    }

    /** A new viewer of the guest's console, attaching to dtach first if this boot's console is not recorded yet. */
    ConsoleStream open(GuestId id, Path socket) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            SharedConsole console = byGuest.get(id);
            if (console == null || console.ended()) {
                SharedConsole fresh = attach(id, socket);
                boolean kept = console == null ? byGuest.putIfAbsent(id, fresh) == null : byGuest.replace(id, console, fresh);
                if (!kept) { // another viewer attached at the same moment: use its console
                    fresh.close();
                    continue;
                }
                console = fresh;
            }
            Optional<ConsoleStream> viewer = console.newViewer();
            if (viewer.isPresent()) return viewer.get();
        }
        throw new DriverException("the console of UML guest " + id + " ended while attaching (is it stopping?)");
    }

    private SharedConsole attach(GuestId id, Path socket) throws IOException {
        SharedConsole[] made = new SharedConsole[1];
        made[0] = SharedConsole.attach(socket, id.value(), () -> byGuest.remove(id, made[0]));
        return made[0];
    }
}
