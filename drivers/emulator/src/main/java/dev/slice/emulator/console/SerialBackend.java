package dev.slice.emulator.console;

/**
 * Where the guest's serial console goes: a byte stream in each direction. The UART polls for input
 * without blocking, so a backend may be fed by any thread (stdin, a TCP socket, a browser session, a test).
 */
public interface SerialBackend {
    /** The next byte typed to the guest, or -1 when none is waiting. Never blocks. */
    int poll();

    /** A byte the guest wrote. */
    void write(int b);

    /** Called when the guest stops writing for a while (end of a burst); backends may flush here. */
    default void flush() { }
}
