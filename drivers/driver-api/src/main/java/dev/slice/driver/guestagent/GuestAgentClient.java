package dev.slice.driver.guestagent;

import dev.slice.driver.DriverException;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The host side of Slice's guest agent ({@code deploy/guest-agent}), for backends whose guests have no agent
 * of their own: UML and the emulator reach it over a serial line. Every call opens a fresh link, greets the
 * agent (so a guest without one is told apart from a slow program), sends one request with an id of its own
 * and skips everything else on the line (garbage, replies to an earlier, abandoned client), all within a
 * deadline; at the deadline the link is closed, which ends the call.
 */
public final class GuestAgentClient {
    /** What the agent keeps of a program's output at most; the rest is cut and the cut noted on stderr. */
    public static final int STDOUT_MAX = 1 << 20;
    public static final int STDERR_MAX = 256 << 10;
    /**
     * What a frame to the guest may hold at most when the guest's tty is the line: Linux's terminal line
     * discipline buffers 4 KiB, and a UML serial line that fills it (the agent not reading at that moment)
     * stops delivering input for good. One request is on the line at a time, so frames below that never fill it.
     */
    public static final int TTY_FRAME_MAX = 3072;
    private static final Duration SLACK = Duration.ofSeconds(20);

    /** What the agent says about itself. */
    public record Hello(long protocol, String version, String machine) {}

    private final String guest;
    private final AgentLink.Opener opener;
    private final Duration helloTimeout;
    private final long lineBytesPerSecond;
    private final int frameMax;

    /**
     * @param guest              names the guest in messages ("UML guest srv-1")
     * @param helloTimeout       how long a running agent may take to answer a greeting
     * @param lineBytesPerSecond a low estimate of the line's speed, for the deadline of transfers
     * @param frameMax           the largest frame sent to the guest ({@link #TTY_FRAME_MAX} on a serial line)
     */
    public GuestAgentClient(String guest, AgentLink.Opener opener, Duration helloTimeout, long lineBytesPerSecond,
                            int frameMax) {
        if (frameMax < 512 || frameMax > AgentFrame.MAX_PAYLOAD) throw new IllegalArgumentException("frameMax " + frameMax);
        this.guest = guest;
        this.opener = opener;
        this.helloTimeout = helloTimeout;
        this.lineBytesPerSecond = lineBytesPerSecond;
        this.frameMax = frameMax;
    }

    public Hello hello() {
        return call("greeting the agent", Duration.ZERO, session -> session.hello);
    }

    public ExecResult exec(ExecCommand command) {
        Payload.Writer request = new Payload.Writer().u32(Math.min(command.timeout().toMillis(), 0xffffffffL))
                .u32(STDOUT_MAX).u32(STDERR_MAX).u32(command.argv().size());
        command.argv().forEach(arg -> {
            if (arg.indexOf('\0') >= 0) throw new IllegalArgumentException("a guest command's arguments cannot hold NUL");
            request.string(arg);
        });
        byte[] payload = request.toBytes();
        if (payload.length + 24 > frameMax) {
            throw new IllegalArgumentException("a guest command's arguments take " + payload.length
                    + " bytes; the agent line of " + guest + " takes at most " + (frameMax - 24));
        }
        Duration transfer = Duration.ofMillis((STDOUT_MAX + STDERR_MAX) * 1000L / lineBytesPerSecond);
        Payload.Reader reply = call("running '" + command + "'", command.timeout().plus(transfer),
                session -> session.request(AgentFrame.EXEC, payload, AgentFrame.EXEC_REPLY));
        long status = reply.u32();
        long code = reply.u32();
        long cut = reply.u32();
        reply.u32(); // elapsed milliseconds, as the guest saw them
        String stdout = new String(reply.bytes(STDOUT_MAX), StandardCharsets.UTF_8);
        String stderr = new String(reply.bytes(STDERR_MAX), StandardCharsets.UTF_8);
        reply.end();
        if (cut != 0) {
            stderr += "\n[slice guest agent: " + ((cut & 1) != 0 ? "stdout cut at " + STDOUT_MAX + " bytes" : "")
                    + (cut == 3 ? ", " : "") + ((cut & 2) != 0 ? "stderr cut at " + STDERR_MAX + " bytes" : "") + "]";
        }
        return switch ((int) status) {
            case 0 -> new ExecResult((int) code, stdout, stderr);
            case 1 -> new ExecResult(128 + (int) code, stdout, stderr);
            case 2 -> throw new DriverException("'" + command + "' in " + guest + " did not finish within " + command.timeout()
                    + "; its process group was killed. stdout: " + tail(stdout) + " stderr: " + tail(stderr));
            default -> throw new DriverException("the agent of " + guest + " gave an unknown exec status " + status);
        };
    }

    /** Copies {@code hostFile} to {@code guestPath} (absolute), written aside and moved into place when complete. */
    public void copyIn(Path hostFile, String guestPath, boolean executable) {
        if (!guestPath.startsWith("/") || guestPath.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a guest path must be absolute, got '" + guestPath + "'");
        }
        // Frame header and checksum, the fields around the data, the path.
        int chunkSize = frameMax - 24 - 24 - guestPath.getBytes(StandardCharsets.UTF_8).length;
        if (chunkSize < 256) throw new IllegalArgumentException("the guest path '" + guestPath + "' is too long");
        long size;
        try {
            size = Files.size(hostFile);
        } catch (IOException e) {
            throw new DriverException("cannot copy " + hostFile + " into " + guest + ": " + e.getMessage(), e);
        }
        int mode = executable ? 0755 : 0644;
        call("copying " + hostFile + " to " + guestPath, Duration.ofMillis(size * 1000 / lineBytesPerSecond), session -> {
            try (InputStream in = Files.newInputStream(hostFile)) {
                byte[] chunk = new byte[chunkSize];
                long offset = 0;
                while (true) {
                    int n = in.readNBytes(chunk, 0, chunkSize);
                    boolean last = offset + n >= size;
                    byte[] payload = new Payload.Writer().string(guestPath).u32(mode).u64(offset).u32(last ? 1 : 0)
                            .bytes(chunk, 0, n).toBytes();
                    Payload.Reader reply = session.request(AgentFrame.WRITE, payload, AgentFrame.WRITE_REPLY);
                    long written = reply.u64();
                    reply.end();
                    offset += n;
                    if (written != offset) throw new Payload.MalformedReply("the agent wrote " + written + " bytes, not " + offset);
                    if (last) return null;
                }
            }
        });
    }

    // ---- one call: a link, a greeting, the request, all within deadlines ----------------------------------

    @FunctionalInterface
    private interface Exchange<T> {
        T run(Session session) throws IOException;
    }

    private <T> T call(String what, Duration work, Exchange<T> exchange) {
        CompletableFuture<Hello> greeted = new CompletableFuture<>();
        CompletableFuture<T> done = new CompletableFuture<>();
        LinkHolder holder = new LinkHolder();
        Thread worker = Thread.ofPlatform().daemon().name("guest-agent " + guest).start(() -> {
            try (AgentLink link = holder.hold(opener.open())) {
                Session session = new Session(link);
                session.hello = session.greet();
                greeted.complete(session.hello);
                done.complete(exchange.run(session));
            } catch (Throwable failure) {
                greeted.completeExceptionally(failure);
                done.completeExceptionally(failure);
            }
        });
        try {
            await(greeted, helloTimeout, holder, worker, () -> new DriverException(what + " in " + guest
                    + ": its guest agent did not answer within " + helloTimeout + " (a template without slice-guest-agent,"
                    + " such as a customer template, has none: use a benchmark template; or the guest is still booting)"), what);
            Duration deadline = work.plus(SLACK);
            return await(done, deadline, holder, worker, () -> new DriverException(what + " in " + guest
                    + ": no reply from its guest agent within " + deadline), what);
        } finally {
            holder.close();
        }
    }

    private <R> R await(CompletableFuture<R> future, Duration timeout, LinkHolder holder, Thread worker,
                        java.util.function.Supplier<DriverException> timedOut, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            holder.close();
            joinQuietly(worker);
            throw timedOut.get();
        } catch (InterruptedException e) {
            holder.close();
            Thread.currentThread().interrupt();
            throw new DriverException(what + " in " + guest + " was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DriverException driver) throw driver;
            if (cause instanceof AgentError agent) throw new DriverException(what + " in " + guest + " failed: " + agent.getMessage());
            if (cause instanceof Payload.MalformedReply bad) {
                throw new DriverException(what + " in " + guest + ": the guest agent's reply is malformed (" + bad.getMessage() + ")");
            }
            throw new DriverException(what + " in " + guest + ": the agent line failed: " + cause, cause);
        }
    }

    private static void joinQuietly(Thread worker) {
        try {
            worker.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The link of one call, closed at most once, also when the deadline passes before it is open. */
    private static final class LinkHolder {
        private AgentLink link;
        private boolean closed;

        synchronized AgentLink hold(AgentLink opened) {
            if (closed) {
                opened.close();
                throw new DriverException("the call's deadline passed while its link was opened");
            }
            link = opened;
            return opened;
        }

        synchronized void close() {
            closed = true;
            if (link != null) link.close();
        }
    }

    /** An error the agent reported (errno and its message), e.g. a program that cannot be executed. */
    static final class AgentError extends RuntimeException {
        AgentError(long errno, String message) { super(message + " (errno " + errno + ")"); }
    }

    private static final class Session {
        private final OutputStream out;
        private final FrameReader in;
        private Hello hello;

        Session(AgentLink link) {
            this.out = link.out();
            this.in = new FrameReader(link.in());
        }

        Hello greet() throws IOException {
            Payload.Reader reply = request(AgentFrame.HELLO, new byte[0], AgentFrame.HELLO_REPLY);
            Hello greeting = new Hello(reply.u32(), reply.string(256), reply.string(256));
            reply.u32(); // the agent's largest payload
            reply.end();
            return greeting;
        }

        /** Sends one request and returns its reply, passing over everything that is not the reply to it. */
        Payload.Reader request(int type, byte[] payload, int replyType) throws IOException {
            int id = ThreadLocalRandom.current().nextInt();
            out.write(new AgentFrame(type, id, payload).encode());
            out.flush();
            while (true) {
                AgentFrame frame = in.next();
                // Not ours: an earlier client's reply, or a request echoed by a line not yet raw.
                if (frame.id() != id || frame.type() < 0x80) continue;
                Payload.Reader reply = new Payload.Reader(frame.payload());
                if (frame.type() == AgentFrame.ERROR_REPLY) {
                    long errno = reply.u32();
                    throw new AgentError(errno, reply.string(4096));
                }
                if (frame.type() != replyType) {
                    throw new Payload.MalformedReply("reply type " + frame.type() + " to a request of type " + type);
                }
                return reply;
            }
        }
    }

    private static String tail(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? "(none)" : "'" + stripped.substring(Math.max(0, stripped.length() - 500)) + "'";
    }
}
