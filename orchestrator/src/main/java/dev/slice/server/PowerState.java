package dev.slice.server;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestState;
import dev.slice.driver.capability.Suspend;
import java.util.Locale;

/**
 * The guest's power as last observed on its node (by a job or the reconciler). {@link #SUSPENDED}: the guest's machine
 * was saved by its backend's {@code Suspend} capability and a resume goes on where it stopped; unlike the server status
 * {@link ServerStatus#SUSPENDED}, which is the provider's suspension (unpaid bill, abuse).
 */
public enum PowerState {
    RUNNING, STOPPED, SUSPENDED, UNKNOWN;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static PowerState fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }

    /**
     * What a driver's report means as power: a stopped guest with a saved machine is suspended (drivers list it as
     * stopped); an absent one is unknown.
     */
    public static PowerState observed(Driver driver, GuestId guest, GuestState state) {
        return switch (state) {
            case RUNNING -> RUNNING;
            case ABSENT -> UNKNOWN;
            case STOPPED -> driver.capability(Suspend.class).map(s -> suspended(s, guest)).orElse(false) ? SUSPENDED : STOPPED;
        };
    }

    private static boolean suspended(Suspend suspend, GuestId guest) {
        try {
            return suspend.isSuspended(guest);
        } catch (RuntimeException e) {
            return false; // gone meanwhile: the next observation says so
        }
    }
}
