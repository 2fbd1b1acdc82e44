package dev.slice.driver.capability;

import dev.slice.driver.GuestId;

/** Usage counters of a running guest. */
public interface Stats extends Capability {
    GuestStats read(GuestId id);
}
