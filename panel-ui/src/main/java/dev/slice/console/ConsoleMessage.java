package dev.slice.console;

import dev.slice.driver.capability.TerminalSize;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the terminal sends on a socket that speaks {@link #PROTOCOL}: a text frame is one JSON object, either
 * {@code {"type":"input","data":"ls\r"}} (keystrokes) or {@code {"type":"resize","rows":40,"cols":127}} (the
 * terminal's size in cells). Binary frames stay raw keystrokes. A socket without the sub-protocol (older scripts, the
 * benchmarks) keeps the first form of the console: every text frame is keystrokes.
 */
sealed interface ConsoleMessage {

    String PROTOCOL = "slice-console.v1";

    record Input(String data) implements ConsoleMessage {}

    record Resize(TerminalSize size) implements ConsoleMessage {}

    /** A text frame that is not one of the messages above; the message names the field at fault. */
    final class BadMessage extends RuntimeException {
        BadMessage(String message) { super(message); }
    }

    JsonMapper JSON = JsonMapper.builder().build();

    static ConsoleMessage parse(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new BadMessage("a console message must be a JSON object");
        }
        if (message == null || !message.isObject()) throw new BadMessage("a console message must be a JSON object");
        JsonNode type = message.get("type");
        if (type == null || !type.isString()) throw new BadMessage("field 'type' must be \"input\" or \"resize\"");
        return switch (type.asString()) {
            case "input" -> {
                JsonNode data = message.get("data");
                if (data == null || !data.isString()) throw new BadMessage("field 'data' must be a string");
                yield new Input(data.asString());
            }
            case "resize" -> {
                int rows = cells(message, "rows");
                int cols = cells(message, "cols");
                yield new Resize(new TerminalSize(rows, cols));
            }
            default -> throw new BadMessage("field 'type' must be \"input\" or \"resize\"");
        };
    }

    private static int cells(JsonNode message, String field) {
        JsonNode value = message.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()
                || value.asInt() < 1 || value.asInt() > TerminalSize.MAX) {
            throw new BadMessage("field '" + field + "' must be a whole number 1.." + TerminalSize.MAX);
        }
        return value.asInt();
    }
}
