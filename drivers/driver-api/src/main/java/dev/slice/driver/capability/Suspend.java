package dev.slice.driver.capability;

import dev.slice.driver.GuestId;
import java.time.Duration;
import java.util.Optional;

/**
 * Saves a running guest's whole machine (processors, devices, memory, pending interrupts) to the host's disk and
 * stops it; a resume goes on where it stopped, as if no time had passed for the guest's programs. The saved state
 * outlives the backend's processes and a host reboot. A suspended guest is {@link dev.slice.driver.GuestState#STOPPED}
 * with {@link #isSuspended} true; starting it resumes it.
 *
 * <p>The emulator writes its own {@code machine.state}; libvirt (QEMU) uses managed save ({@code virDomainManagedSave},
 * restored by the next {@code virDomainCreate}), not {@code virDomainSuspend}, whose paused guest would stay in memory
 * and be lost with its QEMU process.
 */
public interface Suspend extends Capability {
    /**
     * Saves the running guest and stops it, within {@code timeout}.
     *
     * @throws dev.slice.driver.DriverException when the guest is not running, cannot be suspended (the backend says
     *                                          why), or its state was not written in time (the guest keeps running
     *                                          when it could not be saved)
     */
    void suspend(GuestId id, Duration timeout);

    /** Starts a suspended guest from its saved state; the state is used up (a later start boots afresh). */
    void resume(GuestId id);

    /** Whether the guest has a saved state that a start would resume. */
    boolean isSuspended(GuestId id);

    /**
     * Why this guest could not be suspended even when running (e.g. a machine shape the backend cannot save), so a
     * caller can refuse before it asks; empty when nothing stands in the way.
     */
    default Optional<String> refusal(GuestId id) {
        return Optional.empty();
    }
}
