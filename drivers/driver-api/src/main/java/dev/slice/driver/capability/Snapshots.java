package dev.slice.driver.capability;

import dev.slice.driver.GuestId;
import java.util.List;

public interface Snapshots extends Capability {
    void snapshot(GuestId id, String name);

    List<String> snapshots(GuestId id);

    void revert(GuestId id, String name);

    void deleteSnapshot(GuestId id, String name);
}
