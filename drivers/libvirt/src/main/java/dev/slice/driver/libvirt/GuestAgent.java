package dev.slice.driver.libvirt;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs programs in a QEMU guest through the QEMU guest agent (qemu-ga on the {@code org.qemu.guest_agent.0}
 * virtio port that {@link DomainXml} gives every QEMU guest), as libvirt's own {@code virsh qemu-agent-command}
 * users do: {@code guest-exec} with captured output, {@code guest-exec-status} polled until the program
 * exited or its deadline passed, the {@code guest-file-*} calls to write files. Every agent call has a
 * timeout, so a guest whose agent stopped answering costs at most that.
 *
 * <p>Programs run as the leaders of a session of their own ({@code setsid}, util-linux, which execs the program
 * in place: the pid the agent reports is the program's), so that a program past its deadline is killed together
 * with everything it started (fio's jobs, a shell's children), not only itself.
 */
final class GuestAgent {
    /** The guest side's transport: libvirt's {@code virDomainQemuAgentCommand} for a real guest. */
    @FunctionalInterface
    interface Channel {
        String command(String json, int timeoutSeconds) throws LibvirtException;
    }

    /** Raw bytes per guest-file-write call (base64 in the JSON: a third more). */
    static final int CHUNK_BYTES = 64 * 1024;
    private static final int CALL_SECONDS_MAX = 10;
    private static final Duration REAP = Duration.ofSeconds(5);
    private static final Duration REAP_POLL = Duration.ofMillis(50);
    private static final Duration FIRST_POLL = Duration.ofMillis(10);
    private static final Duration LONGEST_POLL = Duration.ofMillis(250);
    /** util-linux's setsid exits with these when it could not execute the program (as shells do). */
    private static final int NOT_FOUND = 127;
    private static final int NOT_EXECUTABLE = 126;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final GuestId id;
    private final Channel channel;
    private final Clock clock;

    GuestAgent(GuestId id, Channel channel, Clock clock) {
        this.id = id;
        this.channel = channel;
        this.clock = clock;
    }

    /** Whether the agent answers at all, within {@code timeoutSeconds}; the failure says why not. */
    void ping(int timeoutSeconds) {
        call("guest-ping", null, timeoutSeconds);
    }

    ExecResult exec(ExecCommand command) {
        Instant deadline = clock.instant().plus(command.timeout());
        List<String> argv = new ArrayList<>(List.of("setsid", "--"));
        argv.addAll(command.argv());
        long pid = start(argv, seconds(Duration.between(clock.instant(), deadline)));
        Duration pause = FIRST_POLL;
        while (true) {
            JsonNode status = call("guest-exec-status", arguments().put("pid", pid), callSeconds(deadline));
            if (status.path("exited").asBoolean(false)) return result(command, status);
            if (!clock.instant().isBefore(deadline)) {
                kill(pid);
                throw new DriverException("'" + command + "' in guest " + id + " did not end within its deadline of "
                        + command.timeout().toMillis() + " ms; it was killed in the guest with what it started");
            }
            sleep(min(pause, Duration.between(clock.instant(), deadline)));
            pause = min(pause.multipliedBy(2), LONGEST_POLL);
        }
    }

    /** Writes {@code content} to {@code guestPath} (a temporary file beside it, then renamed), parents created. */
    void copyIn(byte[] content, String guestPath, boolean executable, Duration timeout) {
        if (!guestPath.startsWith("/") || guestPath.endsWith("/") || guestPath.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a guest path must be an absolute file path: " + guestPath);
        }
        Instant deadline = clock.instant().plus(timeout);
        String parent = guestPath.substring(0, Math.max(1, guestPath.lastIndexOf('/')));
        String partial = guestPath + ".slice-partial";
        checked(List.of("mkdir", "-p", parent), deadline);
        long handle = call("guest-file-open", arguments().put("path", partial).put("mode", "w"), callSeconds(deadline)).asLong();
        boolean closed = false;
        try {
            for (int offset = 0; offset < content.length; offset += CHUNK_BYTES) {
                int length = Math.min(CHUNK_BYTES, content.length - offset);
                String chunk = Base64.getEncoder().encodeToString(Arrays.copyOfRange(content, offset, offset + length));
                // The whole rest of the deadline: under TCG the agent parses the JSON slowly (README, "GuestExec").
                JsonNode written = call("guest-file-write", arguments().put("handle", handle).put("buf-b64", chunk),
                        seconds(Duration.between(clock.instant(), deadline)));
                if (written.path("count").asInt(-1) != length) {
                    throw new DriverException("guest " + id + " wrote " + written.path("count").asInt(-1) + " of " + length
                            + " bytes to " + partial + " (disk full?)");
                }
                if (!clock.instant().isBefore(deadline)) {
                    throw new DriverException("copying " + content.length + " bytes to " + guestPath + " in guest " + id
                            + " did not finish within " + timeout.toSeconds() + " s");
                }
            }
            call("guest-file-close", arguments().put("handle", handle), callSeconds(deadline));
            closed = true;
        } finally {
            if (!closed) closeQuietly(handle);
        }
        checked(List.of("chmod", executable ? "0755" : "0644", partial), deadline);
        checked(List.of("mv", "-f", "--", partial, guestPath), deadline);
    }

    private void checked(List<String> argv, Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        ExecResult result = exec(new ExecCommand(argv, left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left));
        if (!result.succeeded()) {
            throw new DriverException("'" + String.join(" ", argv) + "' in guest " + id + " failed with exit code "
                    + result.exitCode() + ": " + result.stderr().strip());
        }
    }

    private long start(List<String> argv, int timeoutSeconds) {
        ObjectNode arguments = arguments().put("path", argv.get(0)).put("capture-output", true);
        var args = arguments.putArray("arg");
        argv.subList(1, argv.size()).forEach(args::add);
        return call("guest-exec", arguments, timeoutSeconds).path("pid").asLong();
    }

    private ExecResult result(ExecCommand command, JsonNode status) {
        String stdout = decode(status.path("out-data").asString(""));
        String stderr = decode(status.path("err-data").asString(""));
        int exitCode = status.has("exitcode") ? status.path("exitcode").asInt()
                : 128 + status.path("signal").asInt(0); // killed by a signal: as a shell reports it
        if ((exitCode == NOT_FOUND || exitCode == NOT_EXECUTABLE) && stderr.startsWith("setsid: failed to execute")) {
            throw new DriverException("'" + command + "' could not be started in guest " + id + ": "
                    + stderr.substring("setsid: ".length()).strip());
        }
        if (status.path("out-truncated").asBoolean(false) || status.path("err-truncated").asBoolean(false)) {
            throw new DriverException("'" + command + "' in guest " + id + " wrote more output than the guest agent keeps "
                    + "(16 MiB per stream in qemu-ga); write it to a file in the guest instead");
        }
        return new ExecResult(exitCode, stdout, stderr);
    }

    /** SIGKILL to the program's whole session, then status calls until the agent saw it end (and forgot it). */
    private void kill(long pid) {
        Instant reapBy = clock.instant().plus(REAP);
        try {
            awaitExit(start(List.of("kill", "-KILL", "--", "-" + pid), seconds(REAP)), reapBy);
            awaitExit(pid, reapBy);
        } catch (DriverException e) {
            // The deadline's exception says what matters; a program the kill missed dies with the guest.
        }
    }

    private void awaitExit(long pid, Instant by) {
        while (!call("guest-exec-status", arguments().put("pid", pid), callSeconds(by)).path("exited").asBoolean(false)) {
            if (!clock.instant().isBefore(by)) return;
            sleep(REAP_POLL);
        }
    }

    private void closeQuietly(long handle) {
        try {
            call("guest-file-close", arguments().put("handle", handle), seconds(REAP));
        } catch (DriverException e) {
            // The agent forgets open handles when it restarts; the partial file is overwritten by the next copy.
        }
    }

    /** One agent command; its {@code return} value, or a DriverException that names the guest and the cause. */
    private JsonNode call(String execute, ObjectNode arguments, int timeoutSeconds) {
        ObjectNode request = JSON.createObjectNode().put("execute", execute);
        if (arguments != null) request.set("arguments", arguments);
        String reply;
        try {
            reply = channel.command(request.toString(), timeoutSeconds);
        } catch (LibvirtException e) {
            throw failure(execute, timeoutSeconds, e);
        }
        try {
            JsonNode answer = JSON.readTree(reply);
            if (answer.has("error")) {
                throw new DriverException("the guest agent of " + id + " refused " + execute + ": "
                        + answer.path("error").path("desc").asString(answer.path("error").toString()));
            }
            return answer.path("return");
        } catch (JacksonException e) {
            throw new DriverException("the guest agent of " + id + " answered " + execute + " with something that is not JSON: "
                    + reply, e);
        }
    }

    private DriverException failure(String execute, int timeoutSeconds, LibvirtException e) {
        ErrorNumber code = e.getError() == null ? null : e.getError().getCode();
        String message = LibvirtCalls.message(e);
        if (message != null && message.contains("not available for now")) { // libvirt's words for its timeout
            return new DriverException("the guest agent of " + id + " did not answer " + execute + " within "
                    + timeoutSeconds + " s (" + message + ")", e);
        }
        if (code == ErrorNumber.VIR_ERR_AGENT_UNRESPONSIVE || code == ErrorNumber.VIR_ERR_AGENT_UNSYNCED
                || code == ErrorNumber.VIR_ERR_OPERATION_TIMEOUT || code == ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED) {
            return new DriverException("guest " + id + " has no QEMU guest agent answering (" + message + "); the guest must "
                    + "run qemu-guest-agent, as the debian-12-bench template does, and be booted far enough to start it", e);
        }
        return new DriverException("the guest agent of " + id + " failed " + execute + ": " + message, e);
    }

    private static ObjectNode arguments() { return JSON.createObjectNode(); }

    private static String decode(String base64) {
        return base64.isEmpty() ? "" : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    /** Per-call agent timeout: what is left of the deadline, at least 1 s, at most {@value #CALL_SECONDS_MAX} s. */
    private int callSeconds(Instant deadline) {
        return Math.min(CALL_SECONDS_MAX, seconds(Duration.between(clock.instant(), deadline)));
    }

    private static int seconds(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (duration.toMillis() + 999) / 1000));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration duration) {
        if (duration.isNegative() || duration.isZero()) return;
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted while waiting for a program in a guest");
        }
    }
}
