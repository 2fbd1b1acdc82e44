package dev.slice.console;

import dev.slice.driver.capability.ConsoleStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * Pumps bytes between a browser terminal and the guest's serial console: keystrokes arrive as text
 * messages and go to the guest as UTF-8; what the guest prints goes back as binary messages (the terminal
 * decodes UTF-8 itself, so multi-byte characters split across reads stay intact). Open consoles are kept in
 * {@link OpenConsoles}, which ends them when their user's right to them ends.
 */
@Component
class ConsoleWebSocketHandler extends AbstractWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(ConsoleWebSocketHandler.class);
    private static final int SEND_TIME_LIMIT_MS = 10_000;
    private static final int BUFFER_LIMIT_BYTES = 1 << 20;

    private final ServerConsoles consoles;
    private final OpenConsoles open;

    ConsoleWebSocketHandler(ServerConsoles consoles, OpenConsoles open) {
        this.consoles = consoles;
        this.open = open;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession raw) throws IOException {
        // Sends come from the pump thread and from close(): the decorator serializes them.
        WebSocketSession session = new ConcurrentWebSocketSessionDecorator(raw, SEND_TIME_LIMIT_MS, BUFFER_LIMIT_BYTES);
        String serverId = (String) raw.getAttributes().get(ConsoleHandshakeInterceptor.SERVER_ID);
        ServerConsoles.Opened opened;
        try {
            opened = consoles.open((Authentication) raw.getPrincipal(), serverId);
        } catch (RuntimeException e) {
            log.warn("console for server {} could not be opened", serverId, e);
            session.sendMessage(new TextMessage("\r\n[console unavailable: " + e.getMessage() + "]\r\n"));
            session.close(CloseStatus.SERVER_ERROR.withReason("console unavailable"));
            return;
        }
        ConsoleStream stream = opened.stream();
        open.add(raw.getId(), new OpenConsoles.OpenConsole(session, stream, opened.grant()));
        Thread.ofVirtual().name("console-" + serverId).start(() -> pumpFromGuest(stream, session, serverId));
    }

    private void pumpFromGuest(ConsoleStream stream, WebSocketSession session, String serverId) {
        byte[] buffer = new byte[8192];
        try (InputStream in = stream.fromGuest()) {
            int n;
            while (session.isOpen() && (n = in.read(buffer)) >= 0) {
                if (n > 0) session.sendMessage(new BinaryMessage(ByteBuffer.wrap(buffer.clone(), 0, n)));
            }
            if (session.isOpen()) session.close(CloseStatus.NORMAL.withReason("console closed by the guest side"));
        } catch (IOException e) {
            if (session.isOpen()) {
                log.info("console of server {} ended: {}", serverId, e.getMessage());
                closeQuietly(session, CloseStatus.SERVER_ERROR);
            }
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
        write(session, message.getPayload().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws IOException {
        ByteBuffer payload = message.getPayload();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        write(session, bytes);
    }

    private void write(WebSocketSession session, byte[] bytes) throws IOException {
        ConsoleStream stream = open.get(session.getId()).map(OpenConsoles.OpenConsole::stream).orElse(null);
        if (stream == null) return;
        stream.toGuest().write(bytes);
        stream.toGuest().flush();
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        ConsoleStream stream = open.remove(session.getId()).map(OpenConsoles.OpenConsole::stream).orElse(null);
        if (stream == null) return;
        try {
            stream.close();
        } catch (IOException e) {
            log.debug("closing console stream failed", e);
        }
    }

    private static void closeQuietly(WebSocketSession session, CloseStatus status) {
        try {
            session.close(status);
        } catch (IOException ignored) {
            // the browser went away first
        }
    }
}
