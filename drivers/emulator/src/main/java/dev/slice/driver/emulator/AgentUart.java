package dev.slice.driver.emulator;

import dev.slice.driver.DriverException;
import dev.slice.driver.guestagent.GuestAgentClient;
import dev.slice.driver.guestagent.UnixSocketLink;
import java.nio.file.Files;
import java.time.Duration;

/**
 * The guest agent's line of an emulator guest: the machine's second UART (ttyS1 inside, where the busybox
 * init and the Debian template start {@code slice-guest-agent}), which the emulator offers on a Unix socket
 * in the guest's directory ({@code --agent-line}). Each call connects afresh; the socket replays recent
 * output to a new client, which the client passes over as replies to requests not its own.
 */
final class AgentUart {
    /** An emulated machine answers slowly, more so while it boots. */
    private static final Duration HELLO = Duration.ofSeconds(20);
    /** A low estimate of the emulated UART's speed, for transfer deadlines. */
    private static final long BYTES_PER_SECOND = 4_000;

    private AgentUart() {}

    static GuestAgentClient client(GuestDirectory guest) {
        if (!Files.exists(guest.agentSocket())) {
            throw new DriverException("emulator guest " + guest.id() + " has no agent line (started by an earlier Slice);"
                    + " stop and start it to run programs in it");
        }
        return new GuestAgentClient("emulator guest " + guest.id(), () -> UnixSocketLink.connect(guest.agentSocket()),
                HELLO, BYTES_PER_SECOND, GuestAgentClient.TTY_FRAME_MAX);
    }
}
