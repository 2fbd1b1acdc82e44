package dev.slice.driver.uml;

import dev.slice.driver.DriverException;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.HostCommandException;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A guest's UML management console (the mconsole socket in its umid directory), spoken through
 * {@code uml_mconsole}. The kernel answers each request with {@code OK <text>} or {@code ERR <text>}.
 * Requests carry a short deadline: a kernel that is halting may never answer.
 */
final class Mconsole {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ProcessRunner processes;
    private final Path socket;

    Mconsole(ProcessRunner processes, Path socket) {
        this.processes = processes;
        this.socket = socket;
    }

    /** Sends one request and returns the kernel's answer text; throws on {@code ERR} or no answer. */
    String request(String... words) {
        HostCommand command = HostCommand.of("uml_mconsole", socket.toString()).withArgs(words).withTimeout(TIMEOUT);
        ProcessResult result;
        try {
            result = processes.run(command);
        } catch (HostCommandException e) {
            throw new DriverException("UML management console " + socket + " did not answer '"
                    + String.join(" ", words) + "': " + e.getMessage(), e);
        }
        String answer = result.stdout().strip();
        if (answer.startsWith("OK")) return answer.substring(2).strip();
        throw new DriverException("UML management console " + socket + " refused '" + String.join(" ", words) + "': "
                + (answer.isEmpty() ? result.stderr().strip() : answer));
    }

    /** Ctrl-Alt-Del: the template maps it to a clean power-off (the guest's power button). */
    void powerButton() { request("cad"); }

    /** Stops the kernel at once, without the guest's shutdown; the answer may never come. */
    void halt() {
        try {
            request("halt");
        } catch (DriverException expected) {
            // The kernel is gone before it answers; the caller checks the process.
        }
    }

    String version() { return request("version"); }

    void sysrq(char key) { request("sysrq", String.valueOf(key)); }
}
