package dev.slice.error;

/**
 * The thing does not exist, or the caller may not know it exists: another tenant's server is "not found",
 * never "forbidden", so ids of other tenants leak nothing (REST: 404).
 */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String what, Object id) {
        super(what + " " + id + " not found");
    }
}
