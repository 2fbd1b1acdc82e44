package dev.slice.driver.capability;

import dev.slice.driver.GuestId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs a program inside a running guest, the way the backend's own users would (runc exec for
 * containers, the guest agent for virtual machines), never by typing into its console. Operator
 * tooling only (benchmark runs): customers' guests are never entered through it, but for the driver's own
 * upkeep of a guest that has an agent anyway (the emulator's console size, {@link CoalescingWindowResize}).
 */
public interface GuestExec extends Capability {

    /**
     * Runs {@code command} in the guest and waits for it, at most its deadline.
     *
     * @throws dev.slice.driver.DriverException when the guest is not running, the program could not be started, or the
     *                                          deadline passed (the program is then killed)
     */
    ExecResult exec(GuestId id, ExecCommand command);

    /**
     * Copies a host file into the guest at {@code guestPath} (made executable when {@code executable}), for tools
     * that a run brings along and takes away again. Parent directories are created.
     */
    void copyIn(GuestId id, Path hostFile, String guestPath, boolean executable);

    /** A program and its arguments, never a shell string, with a deadline. */
    record ExecCommand(List<String> argv, Duration timeout) {
        public ExecCommand {
            argv = List.copyOf(argv);
            if (argv.isEmpty()) throw new IllegalArgumentException("a guest command needs at least the program");
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("a guest command needs a positive deadline");
            }
        }

        public static ExecCommand of(Duration timeout, String... argv) {
            return new ExecCommand(List.of(argv), timeout);
        }

        @Override
        public String toString() { return String.join(" ", argv); }
    }

    /** How the program ended: its exit code and everything it wrote. */
    record ExecResult(int exitCode, String stdout, String stderr) {
        public boolean succeeded() { return exitCode == 0; }
    }
}
