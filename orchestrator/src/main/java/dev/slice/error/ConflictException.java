package dev.slice.error;

/** The request is valid but the current state does not allow it now, e.g. a job already running (REST: 409). */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) { super(message); }
}
