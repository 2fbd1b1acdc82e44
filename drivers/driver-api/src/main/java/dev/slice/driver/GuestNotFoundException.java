package dev.slice.driver;

/** The operation needs a guest that does not exist on this host. */
public class GuestNotFoundException extends DriverException {
    public GuestNotFoundException(GuestId id) { super("guest " + id + " does not exist on this host"); }
}
