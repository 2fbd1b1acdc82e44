package dev.slice.driver.tck;

import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.TerminalSize;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a console in the background and waits for text to appear, like a person watching the screen.
 * Used by the contract tests and by any test that drives a guest's console. Like a terminal emulator (the
 * panel's xterm.js), it answers the cursor-position query (ESC[6n) with the bottom-right cell of its screen,
 * which is how a serial console's login learns the window size (deploy/libvirt/guest/resize); not on a console
 * that replays recent output, where an old query is not told from a new one.
 */
public final class ConsoleReader implements AutoCloseable {
    static final Duration CLOSE_DEADLINE = Duration.ofSeconds(30);
    private static final String CURSOR_QUERY = "\u001b[6n";

    private final ConsoleStream console;
    private final TerminalSize screen;
    private final StringBuilder seen = new StringBuilder();
    private int consumed;
    private int queriesScanned;
    private volatile boolean closed;

    public ConsoleReader(ConsoleStream console) {
        this(console, new TerminalSize(24, 80));
    }

    /** A reader whose screen is {@code screen} large, for what it answers to a cursor-position query. */
    public ConsoleReader(ConsoleStream console, TerminalSize screen) {
        this.console = console;
        this.screen = screen;
        Thread.ofVirtual().name("console-reader").start(this::pump);
    }

    private void pump() {
        byte[] buffer = new byte[4096];
        boolean replays = console.replaysRecentOutput();
        try (InputStream in = console.fromGuest()) {
            int n;
            while (!closed && (n = in.read(buffer)) >= 0) {
                int queries = 0;
                synchronized (seen) {
                    seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    // A console that replays earlier output would make old queries look new: those go unanswered.
                    for (int at; !replays && (at = seen.indexOf(CURSOR_QUERY, queriesScanned)) >= 0; queries++) {
                        queriesScanned = at + CURSOR_QUERY.length();
                    }
                    seen.notifyAll();
                }
                // The cursor was sent to 999;999 first: a terminal clamps it to its last row and column.
                for (int i = 0; i < queries; i++) send("\u001b[" + screen.rows() + ";" + screen.columns() + "R");
            }
        } catch (IOException e) {
            // Console closed: waiters time out and report what was seen.
        }
    }

    private synchronized void send(String text) throws IOException {
        console.toGuest().write(text.getBytes(StandardCharsets.UTF_8));
        console.toGuest().flush();
    }

    public void type(String text) {
        try {
            send(text);
        } catch (IOException e) {
            throw new AssertionError("could not type into the console: " + e.getMessage(), e);
        }
    }

    /**
     * Waits until the output after the previous match contains {@code pattern}; returns the match and
     * moves past it. Fails with everything seen so far when the deadline passes.
     */
    public String await(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            while (true) {
                Matcher matcher = pattern.matcher(seen);
                if (matcher.find(consumed)) {
                    consumed = matcher.end();
                    return matcher.group();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("console did not show /" + pattern + "/ within " + timeout
                            + "; it showed:\n" + tail(seen.substring(consumed)));
                }
                try {
                    seen.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    public String transcript() {
        synchronized (seen) {
            return seen.toString();
        }
    }

    private static String tail(String s) {
        return s.length() < 3000 ? s : "..." + s.substring(s.length() - 3000);
    }

    /** Detaches; a driver whose close does not return within {@link #CLOSE_DEADLINE} fails the test instead of hanging it. */
    @Override
    public void close() throws IOException {
        closed = true;
        FutureTask<Void> closing = new FutureTask<>(() -> {
            console.close();
            return null;
        });
        Thread.ofPlatform().daemon().name("console-close").start(closing);
        try {
            closing.get(CLOSE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the console's close() did not return within " + CLOSE_DEADLINE);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new AssertionError("the console's close() failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while closing the console", e);
        }
    }
}
