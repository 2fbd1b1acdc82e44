package dev.slice.api;

import dev.slice.error.ValidationException;
import java.util.List;

/** Every error body of the API: {@code fieldErrors} name the request field and the reason (400). */
public record ApiError(int status, String error, String message, List<ValidationException.FieldError> fieldErrors) {
    /** The OpenAPI description of a throttled call's 429 (the sign-in throttle's, answered by {@link ApiErrors}). */
    public static final String TOO_MANY_ATTEMPTS = "Too many wrong passwords or codes lately for this account or client address: "
            + "this one was not checked; try again after Retry-After seconds (error 'too_many_attempts')";
    public static final String RETRY_AFTER = "seconds until the next try is checked";
}
