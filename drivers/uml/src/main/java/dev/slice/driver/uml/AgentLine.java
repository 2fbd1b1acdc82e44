package dev.slice.driver.uml;

import dev.slice.driver.DriverException;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import dev.slice.driver.guestagent.FifoLink;
import dev.slice.driver.guestagent.GuestAgentClient;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A UML guest's second serial line, on which Slice's guest agent ({@code deploy/guest-agent}) serves in
 * benchmark templates. The kernel gets it as {@code ssl1=fd:3,fd:4}: two named pipes in the guest's directory
 * (root's, outside the jail), opened read-write by a shell between dtach and setpriv, so the kernel holds
 * them from boot to halt without ever seeing their paths, and neither side sees end-of-file when the other
 * goes away. The driver opens them afresh for each call ({@link FifoLink}); one call per guest at a time,
 * also across processes (a lock file beside the pipes).
 */
final class AgentLine {
    static final String KERNEL_ARGUMENT = "ssl1=fd:3,fd:4";
    private static final Duration HELLO = Duration.ofSeconds(10);
    /**
     * A low estimate of the line's speed, for transfer deadlines: one 3 KiB frame per round trip (see
     * {@link GuestAgentClient#TTY_FRAME_MAX}) made about 35 KB/s on the loaded build host (load average 19 on 2 CPUs).
     */
    private static final long BYTES_PER_SECOND = 8_000;
    /** How long a caller waits for another's exec or copy on the same line: longer than any one workload runs. */
    private static final Duration LOCK_WAIT = Duration.ofMinutes(15);

    private AgentLine() {}

    /** Makes the pipes (again, if anything else stands there); before each start. */
    static void ensurePipes(ProcessRunner processes, GuestDirectory guest) {
        for (Path pipe : List.of(guest.agentToGuest(), guest.agentFromGuest())) {
            try {
                if (Files.exists(pipe, LinkOption.NOFOLLOW_LINKS)) {
                    PosixFileAttributes attributes = Files.readAttributes(pipe, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isOther() && !attributes.isDirectory() && attributes.owner().getName().equals("root")) continue;
                    Files.delete(pipe);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not check the agent pipe " + pipe, e);
            }
            processes.runChecked(HostCommand.of("mkfifo", "-m", "0600", pipe.toString()));
        }
    }

    /** Wraps the jailed kernel's command so that it starts holding the pipes as fds 3 and 4. */
    static List<String> holdingPipes(GuestDirectory guest, List<String> command) {
        List<String> argv = new java.util.ArrayList<>(List.of("sh", "-c", "exec 3<>\"$1\" 4<>\"$2\"; shift 2; exec \"$@\"",
                "slice-agent-line", guest.agentToGuest().toString(), guest.agentFromGuest().toString()));
        argv.addAll(command);
        return List.copyOf(argv);
    }

    static ExecResult exec(GuestDirectory guest, GuestProcess kernel, ExecCommand command) {
        return locked(guest, kernel, () -> client(guest).exec(command));
    }

    static void copyIn(GuestDirectory guest, GuestProcess kernel, Path hostFile, String guestPath, boolean executable) {
        locked(guest, kernel, () -> {
            client(guest).copyIn(hostFile, guestPath, executable);
            return null;
        });
    }

    private static GuestAgentClient client(GuestDirectory guest) {
        return new GuestAgentClient("UML guest " + guest.id(),
                () -> FifoLink.open(guest.agentToGuest(), guest.agentFromGuest()), HELLO, BYTES_PER_SECOND,
                GuestAgentClient.TTY_FRAME_MAX);
    }

    private static <T> T locked(GuestDirectory guest, GuestProcess kernel, Supplier<T> call) {
        if (!GuestProcess.commandLine(kernel.pid()).contains(KERNEL_ARGUMENT)) {
            throw new DriverException("UML guest " + guest.id() + " was started without an agent line (by an earlier"
                    + " Slice); stop and start it to run programs in it");
        }
        Path lockFile = guest.dir().resolve("agent.lock");
        try {
            return HostLock.holding(lockFile, LOCK_WAIT, "use the agent line of UML guest " + guest.id(), call::get);
        } catch (IOException e) {
            throw new DriverException("could not lock the agent line of UML guest " + guest.id() + ": " + e.getMessage(), e);
        }
    }
}
