package dev.slice.driver;

/** A driver operation failed; the message says what, on which guest, and what to do. */
public class DriverException extends RuntimeException {
    public DriverException(String message) { super(message); }

    public DriverException(String message, Throwable cause) { super(message, cause); }
}
