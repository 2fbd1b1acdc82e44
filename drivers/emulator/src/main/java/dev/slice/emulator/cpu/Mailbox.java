package dev.slice.emulator.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * What other threads (other harts, through the SBI) may ask of a hart: a supervisor software interrupt (IPI), a
 * remote fence, a start (SBI HSM). Requests are posted here and carried out by the hart itself on its own thread at
 * the start of its next batch ({@link #deliver}): no other thread touches the hart's registers, CSRs or TLB.
 */
public final class Mailbox {
    /** SBI HSM states. */
    public static final int STARTED = 0, STOPPED = 1, START_PENDING = 2;
    private static final VarHandle PENDING_IP;

    static {
        try {
            PENDING_IP = MethodHandles.lookup().findVarHandle(Mailbox.class, "pendingIp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Hart hart;
    @SuppressWarnings("unused") // through PENDING_IP
    private volatile long pendingIp;
    private volatile boolean flushRequested;
    /** True while the hart's thread runs a batch (from taking its mailbox to its last instruction; see {@link #mustWaitForFlush}). */
    private volatile boolean inBatch;
    private volatile int state = STARTED;
    private long startAddress, startOpaque;
    private volatile Thread runner;
    /** Remote fences this hart has carried out for other harts, and its own waits for theirs that ran out (own thread only). */
    private long fencesServed, fenceTimeouts, fencesCrossed;

    Mailbox(Hart hart) { this.hart = hart; }

    /** The thread that runs the hart: woken when something is posted while it sleeps in WFI or stopped. */
    public void bindThread(Thread t) { runner = t; }

    /** An inter-processor interrupt: SSIP on the target hart. */
    public void postSoftwareInterrupt() {
        PENDING_IP.getAndBitwiseOr(this, 1L << Csr.SSI);
        wake();
    }

    /**
     * A remote fence: the hart drops its translations and re-reads its fetch page before it goes on. A running batch
     * is ended so that the next one starts with the flush; a hart asleep (WFI, stopped) is not woken for it: it
     * flushes before its next instruction anyway.
     */
    public void requestFlush() {
        flushRequested = true;
        hart.kick();
    }

    /** True once a requested flush has been done (or none was asked). */
    public boolean flushDone() { return !flushRequested; }

    /**
     * Whether the hart that asked for a fence with {@link #requestFlush} still has to wait for it: only while this hart
     * is inside a batch and has not flushed yet. Outside a batch (asleep in WFI, stopped, between batches) it runs no
     * instruction before {@link #deliver} has flushed: the request was written before {@code inBatch} is read here, and
     * the hart writes {@code inBatch} before it reads the request (both volatile), so either this sees the batch or the
     * batch sees the request. A fenced hart that sleeps thus costs its caller no wait and no wake-up.
     */
    public boolean mustWaitForFlush() { return flushRequested && inBatch; }

    /** On the hart's own thread: a batch starts (before {@link #deliver}) or has ended. */
    void batch(boolean running) { inBatch = running; }

    /** SBI HSM hart_start: a stopped hart starts in S-mode at {@code address} with a0 = its id, a1 = {@code opaque}. */
    public synchronized boolean requestStart(long address, long opaque) {
        if (state != STOPPED) return false;
        startAddress = address;
        startOpaque = opaque;
        state = START_PENDING;
        wake();
        return true;
    }

    /** Stops the hart (SBI HSM hart_stop, or a secondary hart that waits for hart_start at power-on). */
    public void stop() {
        state = STOPPED;
        hart.kick();
    }

    public int state() { return state; }

    /** Remote fences carried out for other harts so far. */
    public long fencesServed() { return fencesServed; }

    /** The SBI, on this hart's thread: a remote fence this hart asked for was not done by its targets in time. */
    public void fenceWaitTimedOut() { fenceTimeouts++; }

    public long fenceTimeouts() { return fenceTimeouts; }

    /**
     * The SBI, on this hart's thread, while it waits for its own remote fence: serves one asked of it meanwhile.
     * Counted: each is a wait that, not served, would have held both harts until the SBI's deadline.
     */
    public void serveFlushWhileWaiting() {
        if (!flushRequested) return;
        serveFlush();
        fencesCrossed++;
    }

    public long fencesCrossed() { return fencesCrossed; }

    private void wake() {
        hart.kick();
        unparkRunner();
    }

    /** Wakes the hart's thread if it sleeps (WFI, stopped); it looks at its interrupts and mailbox again. */
    void unparkRunner() {
        Thread t = runner;
        if (t != null) LockSupport.unpark(t);
    }

    /**
     * On the hart's own thread: does a remote fence another hart asked for, if any. Also called while this hart itself
     * waits in the SBI for other harts' fences, so that two harts fencing each other at once do not wait for each other.
     * The request is taken before the flush: one posted during the flush is seen by the next call.
     */
    public void serveFlush() {
        if (!flushRequested) return;
        flushRequested = false;
        hart.flushTlb();
        fencesServed++;
    }

    /** On the hart's own thread before each batch: carries out what was posted; false while the hart is stopped. */
    boolean deliver() {
        serveFlush();
        if (state != STARTED) {
            synchronized (this) {
                if (state != START_PENDING) return false;
                hart.bootSupervisor(startAddress, hart.hartId, startOpaque);
                state = STARTED;
            }
        }
        if (pendingIp != 0) hart.mip |= (long) PENDING_IP.getAndSet(this, 0L);
        return true;
    }
}
