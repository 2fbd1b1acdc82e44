package dev.slice.api;

import dev.slice.error.ValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Says what is wrong with a body Jackson could not read, naming the field by its JSON path ({@code hostname},
 * {@code sshKeys[1]}) and what was expected there, in words rather than Java types.
 */
final class UnreadableJson {
    /** Too large or too deep: refused before it is read ({@link ApiJson}'s limits). */
    record Refusal(boolean tooLarge, String message, List<ValidationException.FieldError> fields) {}

    private UnreadableJson() {}

    static Refusal describe(Throwable cause) {
        if (cause instanceof ValueInstantiationException e && e.getCause() instanceof ValidationException v) {
            return new Refusal(false, v.getMessage(), v.errors());
        }
        if (!(cause instanceof JacksonException e)) {
            return new Refusal(false, "this request needs a JSON body", List.of());
        }
        if (e instanceof StreamConstraintsException) {
            return new Refusal(true, "the request body is larger than " + ApiJson.MAX_BODY_BYTES / 1024
                    + " KiB or nested too deeply", List.of());
        }
        String field = path(e);
        String problem = switch (e) {
            case PropertyBindingException unknown -> "unknown field; the fields here are " + known(unknown.getKnownPropertyIds());
            case InvalidFormatException format when format.getTargetType() != null && format.getTargetType().isEnum() ->
                    "expected " + expected(format.getTargetType());
            case MismatchedInputException mismatch when mismatch.getTargetType() != null ->
                    "expected " + expected(mismatch.getTargetType()) + given(mismatch);
            case InputCoercionException range when range.getTargetType() != null ->
                    "the number is out of range for " + expected(range.getTargetType());
            case StreamReadException syntax -> "not valid JSON" + at(syntax.getLocation()) + ": " + firstLine(syntax.getOriginalMessage());
            default -> firstLine(e.getOriginalMessage());
        };
        if (field.isEmpty()) return new Refusal(false, "the request body: " + problem, List.of());
        return new Refusal(false, field + ": " + problem, List.of(new ValidationException.FieldError(field, problem)));
    }

    /** {@code a.b[2]}: the JSON names, as the client wrote them. */
    static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) path.append('.');
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The JSON type a Java type is read from. */
    static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class || type == short.class
                || type == Short.class || type == byte.class || type == Byte.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class || type == BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) return "a string";
        if (type.isEnum()) return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> "\"" + ((Enum<?>) c).name() + "\"").toList();
        if (type.isArray() || Collection.class.isAssignableFrom(type)) return "an array";
        if (Map.class.isAssignableFrom(type)) return "an object";
        return "a JSON object";
    }

    private static String given(MismatchedInputException e) {
        if (e.getCurrentToken() == null) return "";
        return switch (e.getCurrentToken()) {
            case VALUE_NULL -> ", not null";
            case VALUE_STRING -> ", not a string";
            case VALUE_NUMBER_INT -> ", not a whole number";
            case VALUE_NUMBER_FLOAT -> ", not a number with a fraction";
            case VALUE_TRUE, VALUE_FALSE -> ", not true or false";
            case START_ARRAY -> ", not an array";
            case START_OBJECT -> ", not an object";
            default -> "";
        };
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "[]" : new TreeSet<>(ids.stream().map(String::valueOf).toList()).toString();
    }

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 0) return "";
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        String line = message.lines().findFirst().orElse("unreadable");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
