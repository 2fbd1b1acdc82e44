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

    public List<FieldError> errors() { return errors; }

    public String field() { return errors.getFirst().field(); }
}
