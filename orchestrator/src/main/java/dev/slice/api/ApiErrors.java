package dev.slice.api;

import dev.slice.driver.DriverException;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Maps service exceptions to JSON errors with the right status; messages never name other tenants' things. */
@RestControllerAdvice(annotations = SliceApi.class)
public class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(ValidationException.class)
    ResponseEntity<ApiError> validation(ValidationException e) {
        return body(HttpStatus.BAD_REQUEST, "validation", e.getMessage(), e.errors());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ApiError> beanValidation(MethodArgumentNotValidException e) {
        List<ValidationException.FieldError> fields = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new ValidationException.FieldError(f.getField(), f.getDefaultMessage())).toList();
        return body(HttpStatus.BAD_REQUEST, "validation", fields.isEmpty() ? "invalid request" : fields.getFirst().field() + ": "
                + fields.getFirst().message(), fields);
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, MethodArgumentTypeMismatchException.class,
            MissingServletRequestParameterException.class, IllegalArgumentException.class})
    ResponseEntity<ApiError> unreadable(Exception e) {
        String message = e instanceof HttpMessageNotReadableException ? "the request body is not valid JSON of the expected shape"
                : e.getMessage();
        return body(HttpStatus.BAD_REQUEST, "bad_request", message, List.of());
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ApiError> notFound(NotFoundException e) {
        return body(HttpStatus.NOT_FOUND, "not_found", e.getMessage(), List.of());
    }

    @ExceptionHandler(ForbiddenException.class)
    ResponseEntity<ApiError> forbidden(ForbiddenException e) {
        return body(HttpStatus.FORBIDDEN, "forbidden", e.getMessage(), List.of());
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ApiError> conflict(ConflictException e) {
        return body(HttpStatus.CONFLICT, "conflict", e.getMessage(), List.of());
    }

    @ExceptionHandler(DriverException.class)
    ResponseEntity<ApiError> driver(DriverException e) {
        log.warn("Driver error answering an API call: {}", e.getMessage());
        return body(HttpStatus.BAD_GATEWAY, "backend", e.getMessage(), List.of());
    }

    @ExceptionHandler(org.springframework.security.core.AuthenticationException.class)
    ResponseEntity<ApiError> unauthenticated(Exception e) {
        return body(HttpStatus.UNAUTHORIZED, "unauthenticated", "log in or send 'Authorization: Bearer <token>'", List.of());
    }

    @ExceptionHandler(org.springframework.security.access.AccessDeniedException.class)
    ResponseEntity<ApiError> denied(Exception e) {
        return body(HttpStatus.FORBIDDEN, "forbidden", "forbidden", List.of());
    }

    @ExceptionHandler(org.springframework.web.HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(Exception e) {
        return body(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", e.getMessage(), List.of());
    }

    /** Anything else is our fault: a JSON 500 without internals (they go to the log). */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("Unexpected error answering an API call", e);
        return body(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "something went wrong on our side; it has been logged", List.of());
    }

    private static ResponseEntity<ApiError> body(HttpStatus status, String error, String message,
                                                 List<ValidationException.FieldError> fields) {
        return ResponseEntity.status(status).body(new ApiError(status.value(), error, message, fields));
    }
}
