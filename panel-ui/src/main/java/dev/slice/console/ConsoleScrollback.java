package dev.slice.console;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What each guest's console printed last, for consoles that do not replay it themselves (libvirt's
 * serial stream): a new attachment (a page reload, a reconnect after a reboot) starts with it instead of a blank
 * screen. Bounded twice: {@link #BYTES_PER_SERVER} per server, and the {@link #SERVERS} most recently used servers.
 * One attachment per server records at a time (the first that prints; the next takes over when it leaves), so two
 * open tabs do not record everything twice. Output while no page is attached is not seen here.
 */
@Component
class ConsoleScrollback {

    static final int BYTES_PER_SERVER = 64 * 1024;
    static final int SERVERS = 256;
    private static final byte[] CURSOR_QUERY = {0x1b, '[', '6', 'n'};

    private static final class Ring {
        final byte[] bytes = new byte[BYTES_PER_SERVER];
        long end; // bytes recorded so far; byte n is at bytes[n % size] while n >= end - size
        Object recorder;
    }

    private final Map<Long, Ring> rings = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Ring> eldest) {
            return size() > SERVERS;
        }
    };

    /** Records what the guest printed, if {@code attachment} is the one recording this server's console. */
    synchronized void record(long serverId, Object attachment, byte[] data, int length) {
        Ring ring = rings.computeIfAbsent(serverId, id -> new Ring());
        if (ring.recorder == null) ring.recorder = attachment;
        if (ring.recorder != attachment) return;
        int from = Math.max(0, length - BYTES_PER_SERVER);
        for (int i = from; i < length; i++) ring.bytes[(int) ((ring.end + i - from) % BYTES_PER_SERVER)] = data[i];
        ring.end += length - from;
    }

    /**
     * The guest's console closed under the recording attachment (the guest stopped): what it printed belongs to a boot
     * that is over, and a later attachment must not start with it. Its last line may be a login prompt no getty waits
     * at any more: a name typed at it reaches the next boot before its getty's prompt, and agetty discards whatever
     * comes before its prompt (it waits a second and flushes the line's input first).
     */
    synchronized void guestClosed(long serverId, Object attachment) {
        Ring ring = rings.get(serverId);
        if (ring != null && ring.recorder == attachment) rings.remove(serverId);
    }

    /** The attachment left: another one may record from now on. */
    synchronized void release(long serverId, Object attachment) {
        Ring ring = rings.get(serverId);
        if (ring != null && ring.recorder == attachment) ring.recorder = null;
    }

    /**
     * What this server's console printed last, oldest first (empty if nothing was recorded), without cursor-position
     * queries (ESC[6n, how a serial guest's login asks the terminal for its size): the browser's terminal answers
     * each query it is shown, and an answer to an old one would be typed into the guest's shell.
     */
    synchronized byte[] recent(long serverId) {
        Ring ring = rings.get(serverId);
        if (ring == null) return new byte[0];
        int length = (int) Math.min(ring.end, BYTES_PER_SERVER);
        byte[] out = new byte[length];
        long start = ring.end - length;
        int kept = 0;
        for (int i = 0; i < length; i++) {
            out[kept++] = ring.bytes[(int) ((start + i) % BYTES_PER_SERVER)];
            if (kept >= CURSOR_QUERY.length && Arrays.equals(out, kept - CURSOR_QUERY.length, kept, CURSOR_QUERY, 0,
                    CURSOR_QUERY.length)) {
                kept -= CURSOR_QUERY.length;
            }
        }
        return kept == length ? out : Arrays.copyOf(out, kept);
    }

    synchronized void forget(long serverId) {
        rings.remove(serverId);
    }
}
