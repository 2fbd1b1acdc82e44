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
     * How this console tells the guest the terminal's size, if it can: a console on a pseudo-terminal (a container's
     * console) sets the pty's window size, which the guest's shell sees at once (SIGWINCH). A serial line (a UART,
     * QEMU's serial console) has no window size to set, and UML does not pass its pty's size on to the guest: empty.
     */
    default Optional<WindowResize> windowResize() {
        return Optional.empty();
    }

    /**
     * True when every new attachment starts with what the guest printed recently (the console keeper or the emulator
     * keeps a history of its own); false when it starts with live output only, so a viewer must keep its own.
     */
    default boolean replaysRecentOutput() {
        return false;
    }

    /** Sets the window size of the guest's console terminal. */
    @FunctionalInterface
    interface WindowResize {
        void resize(TerminalSize size) throws IOException;
    }
}
