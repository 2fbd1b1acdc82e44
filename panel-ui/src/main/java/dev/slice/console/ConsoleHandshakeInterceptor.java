package dev.slice.console;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.WebUtils;

/**
 * Refuses the upgrade unless it comes from the panel's own pages (same origin; {@code Origin: null}, a sandboxed or
 * file page, is not) and the signed-in user may use this server's console (same rule as every other server action,
 * decided by the service layer), so a stranger never gets an open socket at all. A refusal is the caller's problem,
 * not Slice's: it is logged quietly, without a stack trace.
 */
@Component
class ConsoleHandshakeInterceptor implements HandshakeInterceptor {

    static final String SERVER_ID = "slice.serverId";
    private static final Logger log = LoggerFactory.getLogger(ConsoleHandshakeInterceptor.class);

    private final ServerConsoles consoles;

    ConsoleHandshakeInterceptor(ServerConsoles consoles) {
        this.consoles = consoles;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler wsHandler, Map<String, Object> attributes) {
        String path = request.getURI().getPath();
        String serverId = path.substring(path.lastIndexOf('/') + 1);
        if (!sameOrigin(request)) {
            log.info("console handshake for server {} refused: Origin '{}' is not the panel's", printable(serverId),
                    printable(request.getHeaders().getOrigin()));
            response.setStatusCode(HttpStatus.FORBIDDEN);
            return false;
        }
        if (!(request.getPrincipal() instanceof Authentication user) || !user.isAuthenticated()) {
            response.setStatusCode(HttpStatus.UNAUTHORIZED);
            return false;
        }
        try {
            consoles.authorize(user, serverId);
        } catch (AccessDeniedException | ServerConsoles.NoSuchServerException e) {
            // Another tenant's server is refused exactly like a missing one.
            log.info("console refused for {} on server {}: {}", user.getName(), printable(serverId), e.getMessage());
            response.setStatusCode(HttpStatus.FORBIDDEN);
            return false;
        } catch (ServerConsoles.ConsoleUnavailableException e) {
            response.setStatusCode(HttpStatus.CONFLICT);
            return false;
        }
        attributes.put(SERVER_ID, serverId);
        return true;
    }

    /** No Origin (not a browser) passes, as in Spring's own check; one that cannot be read does not. */
    private static boolean sameOrigin(ServerHttpRequest request) {
        try {
            return WebUtils.isSameOrigin(request);
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    private static String printable(String text) {
        if (text == null) return "";
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                               WebSocketHandler wsHandler, Exception exception) {
    }
}
