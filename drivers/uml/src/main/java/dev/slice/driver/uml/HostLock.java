package dev.slice.driver.uml;

import dev.slice.driver.DriverException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock file held by one caller at a time, across Slice processes and across the threads of this one, with a
 * deadline. A file lock alone is not enough: the JVM holds it for the whole process, so a second thread asking for
 * it gets an {@code OverlappingFileLockException} instead of waiting (what failed all but one guest of a burst of
 * concurrent creates). Threads of this process queue on a lock of their own first, then take the file lock.
 */
final class HostLock {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final long POLL_MILLIS = 20;

    interface Body<T> {
        T run() throws IOException;
    }

    private HostLock() {}

    /** Runs {@code body} holding {@code lockFile}; gives up with a DriverException naming {@code what} after {@code timeout}. */
    static <T> T holding(Path lockFile, Duration timeout, String what, Body<T> body) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), any -> new ReentrantLock(true));
        try {
            if (!local.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) throw busy(lockFile, timeout, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted while waiting to " + what, e);
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock held;
            while ((held = channel.tryLock()) == null) {
                if (System.nanoTime() - end > 0) throw busy(lockFile, timeout, what);
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DriverException("interrupted while waiting to " + what, e);
                }
            }
            try (FileLock ignored = held) {
                return body.run();
            }
        } finally {
            local.unlock();
        }
    }

    private static DriverException busy(Path lockFile, Duration timeout, String what) {
        return new DriverException("could not " + what + ": " + lockFile + " stayed locked for " + timeout.toSeconds() + " s");
    }
}
