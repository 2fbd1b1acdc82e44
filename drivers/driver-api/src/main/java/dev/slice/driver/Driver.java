package dev.slice.driver;

import dev.slice.driver.capability.Capability;
import java.util.List;
import java.util.Optional;

/**
 * One backend on one host. The required core is small; anything more is an optional
 * {@link Capability} the driver may offer ({@link #capability}). All operations are safe to
 * retry: a job that died half-way repeats its step and must converge on the same result.
 */
public interface Driver {

    BackendKind kind();

    /** A name that tells this instance apart on a host, e.g. {@code oci:runc} or {@code qemu:///system}. */
    String name();

    /** Whether this host can run guests of this kind now; never throws. */
    ProbeResult probe();

    /**
     * Creates the guest (disk, definition, network attachment) without starting it.
     * Idempotent on {@link GuestSpec#id()}: creating an existing guest with the same spec succeeds.
     *
     * @throws InvalidSpecException when the spec cannot be satisfied; nothing is left behind
     */
    void create(GuestSpec spec);

    void start(GuestId id);

    void stop(GuestId id, StopMode mode);

    /** Asks the guest to restart (ACPI, SIGTERM to init, ctrl-alt-del) and starts it again when it has stopped. */
    void reboot(GuestId id);

    /**
     * The reset button: the guest restarts at once, without being asked, as after a power cut; unsaved data in it
     * is lost. A stopped guest is started, so a reset retried after its power-off half converges. By default the
     * guest is stopped by force and started again; a backend with a real reset (QEMU's system reset) uses that.
     */
    default void reset(GuestId id) {
        stop(id, StopMode.force());
        start(id);
    }

    /** Stops the guest if needed and removes everything of it. Destroying an absent guest succeeds. */
    void destroy(GuestId id);

    GuestState state(GuestId id);

    /** What really exists on the host, for the reconciler; includes guests Slice did not create. */
    List<GuestInfo> list();

    /** An optional capability, e.g. {@code capability(Console.class)}; empty means unsupported. */
    default <C extends Capability> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }
}
