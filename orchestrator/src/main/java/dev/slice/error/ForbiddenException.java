package dev.slice.error;

/** The caller may see the thing but not do this with it, e.g. a customer creating a plan (REST: 403). */
public class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) { super(message); }
}
