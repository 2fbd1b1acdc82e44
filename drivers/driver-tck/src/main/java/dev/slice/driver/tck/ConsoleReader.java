package dev.slice.driver.tck;

import dev.slice.driver.capability.ConsoleStream;
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
 * Used by the contract tests and by any test that drives a guest's console.
 */
public final class ConsoleReader implements AutoCloseable {
    static final Duration CLOSE_DEADLINE = Duration.ofSeconds(30);

    private final ConsoleStream console;
    private final StringBuilder seen = new StringBuilder();
    private int consumed;
    private volatile boolean closed;

    public ConsoleReader(ConsoleStream console) {
        this.console = console;
        Thread.ofVirtual().name("console-reader").start(this::pump);
    }

    private void pump() {
        byte[] buffer = new byte[4096];
        try (InputStream in = console.fromGuest()) {
            int n;
            while (!closed && (n = in.read(buffer)) >= 0) {
                synchronized (seen) {
                    seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    seen.notifyAll();
                }
            }
        } catch (IOException e) {
            // Console closed: waiters time out and report what was seen.
        }
    }

    public void type(String text) {
        try {
            console.toGuest().write(text.getBytes(StandardCharsets.UTF_8));
            console.toGuest().flush();
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
