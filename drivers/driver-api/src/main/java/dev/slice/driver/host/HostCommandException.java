package dev.slice.driver.host;

import dev.slice.driver.DriverException;

/** A host command failed, timed out or could not be started. */
public class HostCommandException extends DriverException {
    private final transient ProcessResult result;

    public HostCommandException(String message, ProcessResult result) {
        super(message);
        this.result = result;
    }

    public HostCommandException(String message, Throwable cause) {
        super(message, cause);
        this.result = null;
    }

    /** The finished command, or null when it did not start or timed out. */
    public ProcessResult result() { return result; }
}
