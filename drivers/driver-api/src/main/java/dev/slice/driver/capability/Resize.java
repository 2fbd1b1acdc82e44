package dev.slice.driver.capability;

import dev.slice.driver.GuestId;
import dev.slice.driver.Resources;

/** Changes a guest's limits; backends may require the guest to be stopped and say so in the exception. */
public interface Resize extends Capability {
    void resize(GuestId id, Resources resources);
}
