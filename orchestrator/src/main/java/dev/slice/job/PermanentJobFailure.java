package dev.slice.job;

/** A step failed in a way retrying cannot fix (e.g. the backend lacks a feature): the job fails at once. */
public class PermanentJobFailure extends RuntimeException {
    public PermanentJobFailure(String message) { super(message); }

    public PermanentJobFailure(String message, Throwable cause) { super(message, cause); }
}
