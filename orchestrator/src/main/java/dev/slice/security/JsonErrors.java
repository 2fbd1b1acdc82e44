package dev.slice.security;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Error bodies written before Spring MVC is reached (authentication), in the API's error format. */
final class JsonErrors {
    private JsonErrors() {}

    static void write(HttpServletResponse response, int status, String error, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write("{\"status\":" + status + ",\"error\":\"" + error + "\",\"message\":\"" + escape(message)
                + "\",\"fieldErrors\":[]}");
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.toString();
    }
}
