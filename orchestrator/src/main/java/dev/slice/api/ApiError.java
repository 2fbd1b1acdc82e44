package dev.slice.api;

import dev.slice.error.ValidationException;
import java.util.List;

/** Every error body of the API: {@code fieldErrors} name the request field and the reason (400). */
public record ApiError(int status, String error, String message, List<ValidationException.FieldError> fieldErrors) {}
