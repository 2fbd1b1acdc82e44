package dev.slice.driver.capability;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** One attachment to a console: what the guest prints, and where keystrokes go. Closing detaches, the guest runs on. */
public interface ConsoleStream extends Closeable {
    InputStream fromGuest();

    OutputStream toGuest();

    /**
     * How this console tells the guest the terminal's size, if it can. A console on a pseudo-terminal sets the pty's
     * window size, which the guest's shell sees at once (SIGWINCH): a container's console (OCI's console keeper), and
     * UML's con0, whose kernel passes dtach's pty size on. A serial line has no window size of its own: the emulator
     * sets its UART's size inside the guest ({@code stty} through the guest agent, {@link CoalescingWindowResize});
     * QEMU's serial console offers none, and its guest asks the terminal for its size at login instead
     * ({@code deploy/libvirt/guest/resize}). Calls may come in bursts (a window being dragged) and must not block
     * for long.
     */
    default Optional<WindowResize> windowResize() {
        return Optional.empty();
    }

    /**
     * True when every new attachment starts with what the guest printed recently (the OCI console keeper, the
     * emulator and the UML driver's recording of each boot keep a history of their own); false when it starts with
     * live output only, so a viewer must keep its own.
     */
    default boolean replaysRecentOutput() {
        return false;
    }

    /**
     * Once {@link #fromGuest()} has ended: true when it ended because the guest's console itself closed (the guest
     * stopped), so what it printed belongs to a boot that is over; false when this attachment was only detached or
     * replaced, or when the console cannot tell.
     */
    default boolean closedByTheGuest() {
        return false;
    }

    /** Sets the window size of the guest's console terminal. */
    @FunctionalInterface
    interface WindowResize {
        void resize(TerminalSize size) throws IOException;
    }
}
