package dev.slice.driver.capability;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import java.time.Duration;
import java.util.Objects;

/**
 * A window resize that takes a while (a program run in the guest), made safe for a window being dragged, which
 * sends a resize per frame: the caller never waits, the last size wins, and at most one resize is under way at a
 * time, on a virtual thread. A failed resize is logged once (until one succeeds again) and not retried by itself:
 * the next resize, or the next attachment's, tries again.
 */
public final class CoalescingWindowResize implements ConsoleStream.WindowResize {
    private static final System.Logger LOG = System.getLogger(CoalescingWindowResize.class.getName());

    private final String what;
    private final ConsoleStream.WindowResize slow;
    private final Object lock = new Object();
    private TerminalSize pending;
    private boolean running;
    private volatile boolean failureLogged;

    /** {@code what} names the console in the log; {@code slow} applies one size and may block. */
    public CoalescingWindowResize(String what, ConsoleStream.WindowResize slow) {
        this.what = Objects.requireNonNull(what);
        this.slow = Objects.requireNonNull(slow);
    }

    /**
     * Sets a serial console's size with {@code stty -F tty rows R cols C} in the guest, through its agent; the
     * guest's kernel then signals SIGWINCH to the shell in the console's foreground, as a pty would.
     */
    public static CoalescingWindowResize sttyThroughExec(GuestExec exec, GuestId id, String tty, Duration deadline) {
        return new CoalescingWindowResize("the console " + tty + " of guest " + id, size -> {
            ExecResult result = exec.exec(id, ExecCommand.of(deadline, "stty", "-F", tty,
                    "rows", Integer.toString(size.rows()), "cols", Integer.toString(size.columns())));
            if (!result.succeeded()) {
                throw new DriverException("stty -F " + tty + " in guest " + id + " exited " + result.exitCode() + ": "
                        + result.stderr().strip());
            }
        });
    }

    @Override
    public void resize(TerminalSize size) {
        synchronized (lock) {
            pending = Objects.requireNonNull(size);
            if (running) return;
            running = true;
        }
        Thread.ofVirtual().name("window-resize").start(this::drain);
    }

    private void drain() {
        while (true) {
            TerminalSize size;
            synchronized (lock) {
                size = pending;
                pending = null;
                if (size == null) {
                    running = false;
                    return;
                }
            }
            apply(size);
        }
    }

    private void apply(TerminalSize size) {
        try {
            slow.resize(size);
            failureLogged = false;
        } catch (Exception e) {
            if (!failureLogged) {
                failureLogged = true;
                LOG.log(System.Logger.Level.INFO, "could not set the window size of {0} to {1} (tried again at the next"
                        + " resize): {2}", what, size, e.getMessage());
            }
        }
    }
}
