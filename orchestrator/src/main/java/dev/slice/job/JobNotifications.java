package dev.slice.job;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes this process's workers when any process enqueues a job: {@link JobQueue#enqueue} sends a {@code NOTIFY} on
 * {@link #CHANNEL} with the job's node, which PostgreSQL delivers when the enqueuing transaction commits, and this class
 * LISTENs on a connection of its own. Polling stays the fallback: a notification lost while the connection was down
 * only delays a job to the next poll. Every wait is bounded: the listener blocks at most {@code waitPerRead} in
 * the driver, and reconnects after a failure with a pause that doubles up to 30 s.
 */
public class JobNotifications {
    /** The channel; the payload is the job's node id, or empty for a job of no node. */
    public static final String CHANNEL = "slice_job";

    private static final Logger log = LoggerFactory.getLogger(JobNotifications.class);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final Duration waitPerRead;
    private final List<Consumer<Long>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean active;
    private volatile boolean listening;
    private final java.util.concurrent.atomic.AtomicLong listens = new java.util.concurrent.atomic.AtomicLong();
    private Thread thread;

    public JobNotifications(DataSource dataSource, Duration waitPerRead) {
        this.dataSource = dataSource;
        this.waitPerRead = waitPerRead;
    }

    /** Called with the node id of each job enqueued anywhere (null: a job of no node), on the listener's thread. */
    public void onJobEnqueued(Consumer<Long> listener) {
        listeners.add(listener);
    }

    /** Whether the LISTEN is in place now (false while connecting or after a lost connection). */
    public boolean listening() {
        return listening;
    }

    /** How many times a LISTEN has been put in place (1 after the start, one more after each reconnect). */
    public long listens() {
        return listens.get();
    }

    public synchronized void start() {
        if (active) return;
        active = true;
        thread = Thread.ofPlatform().name("job-notifications").daemon().start(this::run);
    }

    public synchronized void stop() {
        if (!active) return;
        active = false;
        thread.interrupt();
        try {
            thread.join(waitPerRead.multipliedBy(2).plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Duration pause = Duration.ofSeconds(1);
        while (active) {
            long listensBefore = listens.get();
            try (Connection connection = dataSource.getConnection()) {
                listen(connection);
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (!active) return;
                // A connection that listened and then broke starts the back-off afresh; only failed connects double it.
                if (listens.get() > listensBefore) pause = Duration.ofSeconds(1);
                log.warn("Job notifications: listening failed ({}); polling alone until it reconnects in {} s", e.toString(),
                        pause.toSeconds());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private volatile int backendPid;

    private void listen(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("listen " + CHANNEL);
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        backendPid = pg.getBackendPID();
        // In this order: whoever sees listening() true sees this connection's pid and count too.
        listens.incrementAndGet();
        listening = true;
        int millis = (int) Math.max(1, waitPerRead.toMillis());
        try {
            while (active) {
                PGNotification[] received = pg.getNotifications(millis);
                if (Thread.interrupted()) return;
                if (received == null) continue;
                for (PGNotification notification : received) deliver(notification.getParameter());
            }
        } finally {
            listening = false;
            // The connection goes back to the pool: left listening, it would never read what the server queues for it
            // (PostgreSQL's notification queue fills up behind it) and would look like a listener to anyone who asks.
            if (!connection.isClosed()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("unlisten *");
                } catch (SQLException broken) {
                    // A connection the server ended: the pool drops it.
                }
            }
        }
    }

    /** The server process of the listening connection (0 before the first): what pg_terminate_backend names. */
    public int backendPid() {
        return backendPid;
    }

    private void deliver(String payload) {
        Long nodeId;
        try {
            nodeId = payload == null || payload.isEmpty() ? null : Long.valueOf(payload);
        } catch (NumberFormatException e) {
            log.warn("Job notifications: ignored a payload that is no node id: {}", payload);
            return;
        }
        for (Consumer<Long> listener : listeners) {
            try {
                listener.accept(nodeId);
            } catch (RuntimeException e) {
                log.warn("Job notifications: a listener failed: {}", e.toString());
            }
        }
    }
}
