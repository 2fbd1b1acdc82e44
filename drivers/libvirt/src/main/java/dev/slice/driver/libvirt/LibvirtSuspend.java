package dev.slice.driver.libvirt;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.capability.Suspend;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * Suspend of QEMU guests as libvirt's managed save ({@code virDomainManagedSave}): QEMU writes the whole machine to
 * libvirt's save directory and the domain stops; the next {@code virDomainCreate} restores it and deletes the image.
 * Not {@code virDomainSuspend}: a paused guest stays in QEMU's memory, is still "running" to libvirt, and is lost with
 * its process or a host reboot, which the capability's contract does not allow.
 */
final class LibvirtSuspend implements Suspend {
    /** After an abort, how long the save may take to give up. */
    private static final Duration ABORT_GRACE = Duration.ofSeconds(30);

    private final Supplier<Connect> connection;
    private final Consumer<GuestId> start;
    private final String uri;

    /** @param start the driver's own start (bridges, shaping), which restores a saved machine */
    LibvirtSuspend(Supplier<Connect> connection, Consumer<GuestId> start, String uri) {
        this.connection = connection;
        this.start = start;
        this.uri = uri;
    }

    /** The native call has no deadline of its own: it runs aside, and is aborted (the guest keeps running) at ours. */
    @Override
    public void suspend(GuestId id, Duration timeout) {
        Domain domain;
        try {
            domain = domain(id);
            if (domain.isActive() != 1) throw new DriverException("guest " + id + " is not running; only a running guest can be suspended");
        } catch (LibvirtException e) {
            throw failure("suspend", id, e);
        }
        CompletableFuture<Void> save = CompletableFuture.runAsync(() -> {
            try {
                domain.managedSave();
            } catch (LibvirtException e) {
                throw new DriverException("could not save guest " + id + " at " + uri + ": " + LibvirtCalls.message(e), e);
            }
        }, command -> Thread.ofVirtual().name("managed-save-" + id).start(command));
        try {
            save.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abort(domain, save);
            throw new DriverException("guest " + id + " did not finish saving its machine within " + timeout + " (it keeps running)");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof DriverException d ? d : new DriverException("could not save guest " + id, e.getCause());
        } catch (InterruptedException e) {
            abort(domain, save);
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted while saving guest " + id + " (it keeps running)");
        }
    }

    @Override
    public void resume(GuestId id) {
        try {
            Domain domain = domain(id);
            if (domain.isActive() == 1) throw new DriverException("guest " + id + " is already running");
            if (domain.hasManagedSaveImage() != 1) throw new DriverException("guest " + id + " is not suspended (no saved machine)");
        } catch (LibvirtException e) {
            throw failure("resume", id, e);
        }
        start.accept(id);
    }

    @Override
    public boolean isSuspended(GuestId id) {
        try {
            Domain domain = domain(id);
            return domain.isActive() != 1 && domain.hasManagedSaveImage() == 1;
        } catch (LibvirtException e) {
            throw failure("read the saved state of", id, e);
        }
    }

    private static void abort(Domain domain, CompletableFuture<Void> save) {
        try {
            domain.abortJob();
            save.get(ABORT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (LibvirtException | ExecutionException | TimeoutException e) {
            // Aborted, finished with an error, or still going: the caller reports the timeout either way.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Domain domain(GuestId id) throws LibvirtException {
        Connect c = connection.get();
        return LibvirtCalls.lookup(() -> c.domainLookupByName(id.value())).orElseThrow(() -> new GuestNotFoundException(id));
    }

    private DriverException failure(String action, GuestId id, LibvirtException e) {
        return new DriverException("could not " + action + " guest " + id + " at " + uri + ": " + LibvirtCalls.message(e), e);
    }
}
