package dev.slice.driver.capability;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/** One attachment to a console: what the guest prints, and where keystrokes go. Closing detaches, the guest runs on. */
public interface ConsoleStream extends Closeable {
    InputStream fromGuest();

    OutputStream toGuest();
}
