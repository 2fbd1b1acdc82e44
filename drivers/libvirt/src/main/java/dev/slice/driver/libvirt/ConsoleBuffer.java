package dev.slice.driver.libvirt;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a guest printed that no reader has taken yet. libvirt's event loop fills it and must never wait,
 * so {@link #add} always takes the chunk and only says when the buffer is past its limit; the console then
 * stops asking libvirt for data until a reader has drained it to half, and {@code onDrained} says so.
 * Readers (often virtual threads) wait here, never inside native code.
 */
final class ConsoleBuffer extends InputStream {
    static final int LIMIT = 256 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final Runnable onDrained;
    private int offset; // already read from the first chunk
    private int size;
    private boolean full;
    private boolean ended;

    ConsoleBuffer(Runnable onDrained) {
        this.onDrained = onDrained;
    }

    /** Appends a chunk (dropped once the console ended); false when the buffer is now past its limit. */
    boolean add(byte[] chunk) {
        lock.lock();
        try {
            if (ended) return true;
            if (chunk.length > 0) {
                chunks.addLast(chunk);
                size += chunk.length;
                changed.signalAll();
            }
            if (size >= LIMIT) full = true;
            return !full;
        } finally {
            lock.unlock();
        }
    }

    /** No more data will come: readers get what is left, then the end of the stream. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean hasRoom() {
        lock.lock();
        try {
            return size < LIMIT / 2;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws InterruptedIOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int at, int length) throws InterruptedIOException {
        Objects.checkFromIndexSize(at, length, into.length);
        if (length == 0) return 0;
        int n = 0;
        boolean drained = false;
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            throw interrupted();
        }
        try {
            while (size == 0 && !ended) changed.await();
            while (n < length && !chunks.isEmpty()) {
                byte[] first = chunks.peekFirst();
                int take = Math.min(length - n, first.length - offset);
                System.arraycopy(first, offset, into, at + n, take);
                n += take;
                offset += take;
                size -= take;
                if (offset == first.length) {
                    chunks.removeFirst();
                    offset = 0;
                }
            }
            if (full && size < LIMIT / 2) {
                full = false;
                drained = true;
            }
        } catch (InterruptedException e) {
            throw interrupted();
        } finally {
            lock.unlock();
        }
        if (drained) onDrained.run();
        return n == 0 ? -1 : n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** The reader is done: what is buffered is dropped, and so is what still comes (the console keeps draining libvirt). */
    @Override
    public void close() {
        boolean wasFull;
        lock.lock();
        try {
            ended = true;
            chunks.clear();
            size = 0;
            offset = 0;
            wasFull = full;
            full = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (wasFull) onDrained.run();
    }

    private static InterruptedIOException interrupted() {
        Thread.currentThread().interrupt();
        return new InterruptedIOException("interrupted while waiting for console output");
    }
}
