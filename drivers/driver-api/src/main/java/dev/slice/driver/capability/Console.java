package dev.slice.driver.capability;

import dev.slice.driver.GuestId;

/** The guest's serial console as a byte stream. */
public interface Console extends Capability {
    /** Attaches to the running guest's console; several attachments may exist at once or the driver may refuse. */
    ConsoleStream open(GuestId id);
}
