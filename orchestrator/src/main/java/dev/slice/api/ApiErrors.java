package dev.slice.api;

import dev.slice.driver.DriverException;
import dev.slice.error.ConflictException;
import dev.slice.error.DatabaseOutage;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.signin.TooManyAttemptsException;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one mapping from an exception to the API's JSON error (status, error code, message, fields named as the
 * request names them). Used for Slice's controllers and, through {@link ApiRoutes}, for requests under /api that
 * reach no controller. Messages never name other tenants' things; only our own faults are 5xx.
 */
@RestControllerAdvice(annotations = SliceApi.class)
public class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> handle(Exception e) {
        return toResponse(e);
    }

    static ResponseEntity<ApiError> toResponse(Exception e) {
        return switch (e) {
            case ValidationException v -> body(HttpStatus.BAD_REQUEST, "validation", v.getMessage(), v.errors());
            case HttpMessageNotReadableException unreadable -> {
                UnreadableJson.Refusal refusal = UnreadableJson.describe(unreadable.getCause());
                yield refusal.tooLarge() ? body(HttpStatus.CONTENT_TOO_LARGE, "too_large", refusal.message(), List.of())
                        : body(HttpStatus.BAD_REQUEST, refusal.fields().isEmpty() ? "bad_request" : "validation", refusal.message(),
                        refusal.fields());
            }
            case HttpMediaTypeNotSupportedException media -> ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                    .header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE).contentType(MediaType.APPLICATION_JSON)
                    .body(error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send the body as JSON with "
                            + "'Content-Type: application/json'" + (media.getContentType() == null ? ""
                            : " (this request said '" + media.getContentType() + "')"), List.of()));
            case HttpMediaTypeNotAcceptableException accept -> body(HttpStatus.NOT_ACCEPTABLE, "not_acceptable",
                    "the API answers in JSON only: accept application/json", List.of());
            case HttpRequestMethodNotSupportedException method -> ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                    .headers(method.getHeaders()).contentType(MediaType.APPLICATION_JSON)
                    .body(error(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", method.getMethod() + " is not allowed here; use "
                            + (method.getSupportedHttpMethods() == null ? "another method"
                            : method.getSupportedHttpMethods().stream().map(Object::toString).sorted().collect(Collectors.joining(", "))),
                            List.of()));
            case NoHandlerFoundException ignored -> notFound();
            case NoResourceFoundException ignored -> notFound();
            case MethodArgumentTypeMismatchException type -> field(type.getName(), "expected "
                    + (type.getRequiredType() == null ? "another value" : UnreadableJson.expected(type.getRequiredType())));
            case MissingServletRequestParameterException missing -> field(missing.getParameterName(), "is required");
            case MethodArgumentNotValidException invalid -> {
                List<ValidationException.FieldError> fields = invalid.getBindingResult().getFieldErrors().stream()
                        .map(f -> new ValidationException.FieldError(f.getField(), f.getDefaultMessage())).toList();
                yield body(HttpStatus.BAD_REQUEST, "validation", fields.isEmpty() ? "invalid request"
                        : fields.getFirst().field() + ": " + fields.getFirst().message(), fields);
            }
            case NotFoundException notFound -> body(HttpStatus.NOT_FOUND, "not_found", notFound.getMessage(), List.of());
            case ForbiddenException forbidden -> body(HttpStatus.FORBIDDEN, "forbidden", forbidden.getMessage(), List.of());
            case TooManyAttemptsException throttled -> ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds())).contentType(MediaType.APPLICATION_JSON)
                    .body(error(HttpStatus.TOO_MANY_REQUESTS, "too_many_attempts", throttled.getMessage(), List.of()));
            case ConflictException conflict -> body(HttpStatus.CONFLICT, "conflict", conflict.getMessage(), List.of());
            case DriverException driver -> {
                log.warn("Driver error answering an API call: {}", driver.getMessage());
                yield body(HttpStatus.BAD_GATEWAY, "backend", driver.getMessage(), List.of());
            }
            case org.springframework.security.core.AuthenticationException unauthenticated -> body(HttpStatus.UNAUTHORIZED,
                    "unauthenticated", "log in or send 'Authorization: Bearer <token>'", List.of());
            case org.springframework.security.access.AccessDeniedException denied ->
                    body(HttpStatus.FORBIDDEN, "forbidden", "forbidden", List.of());
            case IllegalArgumentException illegal -> body(HttpStatus.BAD_REQUEST, "bad_request", illegal.getMessage(), List.of());
            // Any other refusal of Spring MVC's (missing headers, timeouts...) keeps its own status, in our shape.
            case ErrorResponse spring when spring.getStatusCode().is4xxClientError() -> ResponseEntity.status(spring.getStatusCode())
                    .headers(spring.getHeaders()).contentType(MediaType.APPLICATION_JSON)
                    .body(error(spring.getStatusCode(), "bad_request", spring.getBody().getDetail() == null
                            ? "the request cannot be served" : spring.getBody().getDetail(), List.of()));
            case Exception outage when DatabaseOutage.is(outage) -> {
                log.warn("The database cannot be reached answering an API call: {}", outage.getMessage());
                yield ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                        .header(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS))
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(error(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", DatabaseOutage.MESSAGE, List.of()));
            }
            default -> {
                log.error("Unexpected error answering an API call", e);
                yield body(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "something went wrong on our side; it has been logged", List.of());
            }
        };
    }

    static ResponseEntity<ApiError> notFound() {
        return body(HttpStatus.NOT_FOUND, "not_found", "no such API endpoint; the API is described at /api/openapi", List.of());
    }

    private static ResponseEntity<ApiError> field(String field, String problem) {
        return body(HttpStatus.BAD_REQUEST, "validation", field + ": " + problem, List.of(new ValidationException.FieldError(field, problem)));
    }

    private static ResponseEntity<ApiError> body(HttpStatus status, String error, String message,
                                                 List<ValidationException.FieldError> fields) {
        // The type is set, so the error is JSON whatever the request's Accept header asked for.
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(error(status, error, message, fields));
    }

    private static ApiError error(HttpStatusCode status, String error, String message, List<ValidationException.FieldError> fields) {
        return new ApiError(status.value(), error, message, fields);
    }
}
