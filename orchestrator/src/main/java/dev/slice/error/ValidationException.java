package dev.slice.error;

import java.util.List;

/**
 * Bad input from a user: names the form field and says what is wrong in words a user understands.
 * The REST API answers 400 with the field and reason; the panel shows it beside the field.
 */
public class ValidationException extends RuntimeException {
    public record FieldError(String field, String message) {}

    private final List<FieldError> errors;

    public ValidationException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public ValidationException(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid input" : errors.getFirst().field() + ": " + errors.getFirst().message());
        this.errors = List.copyOf(errors);
    }

    private ValidationException(String message) {
        super(message);
        this.errors = List.of();
    }

    /** A refusal of the request as a whole, not of one of its fields (no field is named, so none is made up). */
    public static ValidationException ofRequest(String message) {
        return new ValidationException(message);
    }

    public List<FieldError> errors() { return errors; }

    /** The first field named, or null for a refusal of the whole request. */
    public String field() { return errors.isEmpty() ? null : errors.getFirst().field(); }
}
