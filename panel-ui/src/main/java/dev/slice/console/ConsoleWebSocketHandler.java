package dev.slice.console;

import dev.slice.driver.DriverException;
import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.TerminalSize;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * Pumps bytes between a browser terminal and the guest's serial console: keystrokes arrive as binary messages (or
 * text, see {@link ConsoleMessage}) and go to the guest as UTF-8; the terminal's size arrives as a typed resize
 * message and goes to the driver's console, where it has a window size; what the guest prints goes back as binary
 * messages (the terminal decodes UTF-8 itself, so multi-byte characters split across reads stay intact). An
 * attachment starts with the guest's recent output: the console's own history where it keeps one, else
 * {@link ConsoleScrollback}'s. Open consoles are kept in {@link OpenConsoles}, which ends them when their user's right
 * to them ends.
 */
@Component
class ConsoleWebSocketHandler extends AbstractWebSocketHandler implements SubProtocolCapable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleWebSocketHandler.class);
    private static final int SEND_TIME_LIMIT_MS = 10_000;
    private static final int BUFFER_LIMIT_BYTES = 1 << 20;

    private final ServerConsoles consoles;
    private final OpenConsoles open;
    private final ConsoleScrollback scrollback;

    ConsoleWebSocketHandler(ServerConsoles consoles, OpenConsoles open, ConsoleScrollback scrollback) {
        this.consoles = consoles;
        this.open = open;
        this.scrollback = scrollback;
    }

    @Override
    public List<String> getSubProtocols() {
        return List.of(ConsoleMessage.PROTOCOL);
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
            // A driver's refusal (the guest is stopped, mid-reboot) is expected and the terminal retries: no stack trace.
            if (e instanceof DriverException) log.info("console for server {} could not be opened: {}", serverId, e.getMessage());
            else log.warn("console for server {} could not be opened", serverId, e);
            session.sendMessage(new TextMessage("\r\n[console unavailable: " + e.getMessage() + "]\r\n"));
            session.close(CloseStatus.SERVER_ERROR.withReason("console unavailable"));
            return;
        }
        ConsoleStream stream = opened.stream();
        long id = opened.grant().serverId();
        boolean recordHere = !stream.replaysRecentOutput();
        if (recordHere) {
            byte[] recent = scrollback.recent(id);
            if (recent.length > 0) session.sendMessage(new BinaryMessage(recent));
        }
        open.add(raw.getId(), new OpenConsoles.OpenConsole(session, stream, opened.grant()));
        Thread.ofVirtual().name("console-" + serverId)
                .start(() -> pumpFromGuest(stream, session, serverId, recordHere ? id : null));
    }

    /** {@code recordFor}: the server whose scrollback this attachment keeps, or null when the console keeps its own. */
    private void pumpFromGuest(ConsoleStream stream, WebSocketSession session, String serverId, Long recordFor) {
        byte[] buffer = new byte[8192];
        try (InputStream in = stream.fromGuest()) {
            int n;
            while (session.isOpen() && (n = in.read(buffer)) >= 0) {
                if (n == 0) continue;
                if (recordFor != null) scrollback.record(recordFor, stream, buffer, n);
                session.sendMessage(new BinaryMessage(ByteBuffer.wrap(buffer.clone(), 0, n)));
            }
            if (recordFor != null && stream.closedByTheGuest()) scrollback.guestClosed(recordFor, stream);
            if (session.isOpen()) session.close(CloseStatus.NORMAL.withReason("console closed by the guest side"));
        } catch (IOException e) {
            if (session.isOpen()) {
                log.info("console of server {} ended: {}", serverId, e.getMessage());
                closeQuietly(session, CloseStatus.SERVER_ERROR);
            }
        } finally {
            if (recordFor != null) scrollback.release(recordFor, stream);
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
        if (!ConsoleMessage.PROTOCOL.equals(session.getAcceptedProtocol())) {
            write(session, message.getPayload().getBytes(StandardCharsets.UTF_8));
            return;
        }
        ConsoleMessage parsed;
        try {
            parsed = ConsoleMessage.parse(message.getPayload());
        } catch (ConsoleMessage.BadMessage | IllegalArgumentException e) {
            // The client's fault, not Slice's: it is told which field, and the socket ends (1007, bad data).
            closeQuietly(session, CloseStatus.BAD_DATA.withReason(e.getMessage()));
            return;
        }
        switch (parsed) {
            case ConsoleMessage.Input input -> write(session, input.data().getBytes(StandardCharsets.UTF_8));
            case ConsoleMessage.Resize resize -> resize(session, resize.size());
        }
    }

    /** A console without a window size (a serial line) ignores it; a failed resize is logged, the console goes on. */
    private void resize(WebSocketSession session, TerminalSize size) {
        open.get(session.getId()).ifPresent(console -> console.stream().windowResize().ifPresent(resize -> {
            try {
                resize.resize(size);
            } catch (IOException | RuntimeException e) {
                log.info("console of server {}: could not resize to {}: {}", console.grant().serverId(), size, e.getMessage());
            }
        }));
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
