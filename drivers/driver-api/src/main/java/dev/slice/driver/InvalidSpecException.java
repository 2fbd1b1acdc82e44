package dev.slice.driver;

/** The request itself is wrong (bad name, impossible size, unknown template): retrying cannot help. */
public class InvalidSpecException extends DriverException {
    public InvalidSpecException(String message) { super(message); }
}
