package dev.slice.db;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.function.BooleanSupplier;

/**
 * Signals a process that is not Slice's child without the pid-reuse race of {@code kill(pid)}: a pidfd pins the
 * process first, the caller's check runs next, and the signal goes through the pidfd. If the process the check saw
 * has exited meanwhile, the signal fails instead of reaching whatever reused its pid.
 */
final class ProcessSignals {
    enum Signal {
        /** PostgreSQL: fast shutdown (abort sessions, checkpoint, exit). */
        INT(2),
        /** PostgreSQL: immediate shutdown (no checkpoint; crash recovery at the next start). */
        QUIT(3),
        KILL(9);

        final int number;

        Signal(int number) { this.number = number; }
    }

    // The same numbers on every Linux architecture (system calls from 424 on are numbered in one table).
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;
    private static final int ESRCH = 3;

    private interface LibC extends Library {
        // Arguments as longs: syscall(2) reads each variadic argument as a long.
        long syscall(long number, Object... args) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    private ProcessSignals() {}

    /**
     * Sends {@code signal} to {@code pid} if {@code stillTheProcess} holds once the process is pinned.
     *
     * @return whether the signal was delivered (false: the process is gone or the check failed)
     */
    static boolean sendIf(long pid, Signal signal, BooleanSupplier stillTheProcess) {
        LibC libc = Holder.LIBC;
        int pidfd;
        try {
            pidfd = (int) libc.syscall(SYS_PIDFD_OPEN, pid, 0L);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ESRCH) return false;
            throw new IllegalStateException("pidfd_open(" + pid + ") failed: " + e.getMessage()
                    + " (Slice needs Linux 5.3 or newer)", e);
        }
        try {
            if (!stillTheProcess.getAsBoolean()) return false;
            libc.syscall(SYS_PIDFD_SEND_SIGNAL, (long) pidfd, (long) signal.number, null, 0L);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ESRCH) return false;
            throw new IllegalStateException("could not send SIG" + signal + " to process " + pid + ": " + e.getMessage(), e);
        } finally {
            libc.close(pidfd);
        }
    }
}
