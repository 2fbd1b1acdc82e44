package dev.slice.driver.guestagent;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection to a guest's agent line: bytes to the guest and bytes from it. Closing it must unblock a
 * thread that reads or writes it at that moment (interruptible channels do): that is how a deadline ends a call.
 */
public interface AgentLink extends Closeable {
    InputStream in();

    OutputStream out();

    @Override
    void close();

    /** Opens a fresh link; each call of the client opens its own and closes it after. */
    @FunctionalInterface
    interface Opener {
        AgentLink open() throws java.io.IOException;
    }
}
