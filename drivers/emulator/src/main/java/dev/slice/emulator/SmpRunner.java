package dev.slice.emulator;

import dev.slice.emulator.cpu.Hart;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a machine with several harts: one host thread per hart (the caller's thread runs hart 0), each ticking its
 * own timers and sleeping in WFI or while stopped until its next deadline or a post to its mailbox. Hart 0's thread
 * also polls the console. The devices serialise their own accesses; RAM is shared as the JVM's memory model allows
 * (the harts' fences and atomics are the JVM's).
 * <p>
 * A suspend ({@link Machine#requestSuspend}) stops every hart's loop between two batches; {@link #run} returns once
 * all their threads have ended, and {@link MachineSnapshot#save} then reads every hart from the caller's thread: what
 * other harts had posted to a hart's mailbox and it had not yet taken (an IPI, a start, a remote fence) is carried out
 * into its state first ({@link dev.slice.emulator.cpu.HartState#save}).
 */
final class SmpRunner {
    private static final long BATCH = 200_000;

    private SmpRunner() { }

    static int run(Machine m, long maxInstructions) throws InterruptedException {
        AtomicLong retired = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        boolean[] limitReached = {false};
        var harts = m.harts();
        Thread[] threads = new Thread[harts.size()];
        for (int i = 1; i < threads.length; i++) {
            Hart h = harts.get(i);
            threads[i] = Thread.ofPlatform().daemon().name("hart-" + i).unstarted(() -> {
                try {
                    loop(m, h, retired, maxInstructions, limitReached);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    m.stop(1);
                }
            });
            h.mailbox().bindThread(threads[i]);
        }
        harts.get(0).mailbox().bindThread(Thread.currentThread());
        for (int i = 1; i < threads.length; i++) threads[i].start();
        try {
            loop(m, harts.get(0), retired, maxInstructions, limitReached);
        } finally {
            m.stop(m.exitCode);
            for (int i = 1; i < threads.length; i++) threads[i].join(10_000);
            synchronized (m.uart) { m.uart.flush(); }
        }
        // A suspend saves the harts from this thread: only once every other hart's thread has ended (each at an
        // instruction boundary, its batch ended by the kick) is their state still and its own to read.
        for (int i = 1; i < threads.length; i++) {
            if (threads[i].isAlive() && m.suspendRequested()) {
                throw new IllegalStateException("hart " + i + " did not stop within 10 s; the machine is not saved");
            }
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        return limitReached[0] ? -1 : m.exitCode;
    }

    private static void loop(Machine m, Hart h, AtomicLong retired, long max, boolean[] limitReached) throws InterruptedException {
        int id = h.hartId();
        while (!m.isStopped()) {
            m.clint.tick(id);
            if (m.sbi != null) m.sbi.tick(h);
            if (id == 0) synchronized (m.uart) { m.uart.poll(); }
            if (id == 0 && m.agentUart != null) m.agentUart.poll();
            if (id == 0 && m.net != null) m.net.poll();
            long n = h.run(BATCH);
            if (retired.addAndGet(n) >= max) {
                synchronized (limitReached) { limitReached[0] = true; }
                m.stop(m.exitCode);
            }
            if ((h.isWaiting() || h.isStopped()) && !m.isStopped()) {
                if (id == 0) synchronized (m.uart) { m.uart.flush(); }
                if (id == 0 && m.agentUart != null) m.agentUart.flush();
                idle(m, h);
            }
        }
    }

    /** WFI or stopped: sleeps until the hart's next timer deadline, a post to its mailbox, or 2 ms (console input). */
    private static void idle(Machine m, Hart h) throws InterruptedException {
        int id = h.hartId();
        long now = m.mtime();
        long next = m.clint.mtimecmp(id);
        if (m.sbi != null && Long.compareUnsigned(m.sbi.timerCompare(id), next) < 0) next = m.sbi.timerCompare(id);
        long waitTicks = Long.compareUnsigned(next, now) > 0 ? next - now : 0;
        long waitNanos = Math.min(waitTicks * 100, 2_000_000);
        if (h.isStopped()) waitNanos = 2_000_000;
        if (waitNanos > 50_000) LockSupport.parkNanos(waitNanos);
        if (Thread.interrupted()) throw new InterruptedException();
    }
}
