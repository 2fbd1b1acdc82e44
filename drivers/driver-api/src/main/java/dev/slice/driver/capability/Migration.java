package dev.slice.driver.capability;

import dev.slice.driver.GuestId;

/** Moves a guest to another host of the same backend. */
public interface Migration extends Capability {
    void migrate(GuestId id, String destinationUri);
}
