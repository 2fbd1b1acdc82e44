package dev.slice.driver;

/** What a host reports about one guest. */
public enum GuestState {
    RUNNING,
    /** Exists (disk, definition) but is not running. */
    STOPPED,
    /** Nothing of the guest exists on this host. */
    ABSENT
}
