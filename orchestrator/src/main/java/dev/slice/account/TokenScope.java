package dev.slice.account;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.slice.error.ValidationException;
import java.util.Arrays;

/** What an API token may do: read only (GET and HEAD), or all its account may. {@link #id()} is stored and sent. */
public enum TokenScope {
    READ_ONLY("read-only"), FULL("full");

    private final String id;

    TokenScope(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() { return id; }

    /** Whether a request with this HTTP method may be made with a token of this scope. */
    public boolean permits(String httpMethod) {
        return this == FULL || "GET".equals(httpMethod) || "HEAD".equals(httpMethod);
    }

    /** The scope a user asked for; none given means full, as tokens were before scopes. */
    public static TokenScope parse(String id) {
        if (id == null || id.isBlank()) return FULL;
        return Arrays.stream(values()).filter(s -> s.id.equals(id.strip())).findFirst()
                .orElseThrow(() -> new ValidationException("scope", "the scope is 'read-only' or 'full'"));
    }

    static TokenScope fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst().orElseThrow();
    }
}
