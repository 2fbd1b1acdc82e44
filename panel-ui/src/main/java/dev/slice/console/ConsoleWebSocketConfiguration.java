package dev.slice.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** Registers the browser console endpoint {@code /console/ws/{serverId}}. */
// Not in a node agent (profile node-agent: no web server); the panel is the control plane's.
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
@Configuration
@EnableWebSocket
class ConsoleWebSocketConfiguration implements WebSocketConfigurer {

    static final String PATH_PREFIX = "/console/ws/";

    private final ConsoleWebSocketHandler handler;
    private final ConsoleHandshakeInterceptor interceptor;

    ConsoleWebSocketConfiguration(ConsoleWebSocketHandler handler, ConsoleHandshakeInterceptor interceptor) {
        this.handler = handler;
        this.interceptor = interceptor;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Same origin only: the page that opens the socket is the panel itself.
        registry.addHandler(handler, PATH_PREFIX + "*").addInterceptors(interceptor);
    }
}
