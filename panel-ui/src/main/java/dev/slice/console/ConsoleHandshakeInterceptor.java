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

/**
 * Refuses the upgrade unless the signed-in user may use this server's console (same rule as every other
 * server action, decided by the service layer), so a stranger never gets an open socket at all.
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
        if (!(request.getPrincipal() instanceof Authentication user) || !user.isAuthenticated()) {
            response.setStatusCode(HttpStatus.UNAUTHORIZED);
            return false;
        }
        try {
            consoles.authorize(user, serverId);
        } catch (AccessDeniedException | ServerConsoles.NoSuchServerException e) {
            // Another tenant's server is refused exactly like a missing one.
            log.info("console refused for {} on server {}: {}", user.getName(), serverId, e.getMessage());
            response.setStatusCode(HttpStatus.FORBIDDEN);
            return false;
        } catch (ServerConsoles.ConsoleUnavailableException e) {
            response.setStatusCode(HttpStatus.CONFLICT);
            return false;
        }
        attributes.put(SERVER_ID, serverId);
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                               WebSocketHandler wsHandler, Exception exception) {
    }
}
