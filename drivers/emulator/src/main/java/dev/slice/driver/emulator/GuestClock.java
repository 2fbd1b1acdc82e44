package dev.slice.driver.emulator;

import dev.slice.driver.DriverException;
import dev.slice.driver.capability.GuestExec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The guest's wall clock after a resume. The machine's {@code time} CSR (mtime) continues from the value saved with
 * the machine, so the guest's kernel sees no jump in its clock source: its timers, CLOCK_MONOTONIC and uptime go on
 * as if no time had passed (as a laptop's do over a suspend). Its wall clock (CLOCK_REALTIME) would then lag the host
 * by the time spent suspended (hours, or a host reboot), so right after the restore the driver steps it to the host's
 * time through Slice's guest agent on the agent line: {@code date -u -s @SECONDS}, one call with a deadline. The
 * guest's clock before the step is read in the same call, so the step is measured ({@link Step}).
 */
final class GuestClock {
    /** The agent's greeting and one short program on a guest that has just been restored. */
    static final Duration STEP_DEADLINE = Duration.ofSeconds(30);

    /** The guest's clock before and after the step, in seconds since the epoch. */
    record Step(long guestBefore, long hostAt) {
        long forwardSeconds() { return hostAt - guestBefore; }
    }

    private GuestClock() {}

    /**
     * Steps the resumed guest's wall clock to {@code host}'s time; empty (and the guest left as it is) when its agent
     * does not answer in time or the command fails, with the reason in {@code failure}.
     */
    static Optional<Step> step(GuestDirectory guest, Clock host, StringBuilder failure) {
        try {
            var client = AgentUart.client(guest);
            // The time is taken as late as possible; what remains between here and the guest running `date` is the
            // agent line's latency (tens of milliseconds on an idle host; the error the step leaves).
            Instant now = host.instant();
            long seconds = now.getEpochSecond() + (now.getNano() >= 500_000_000 ? 1 : 0);
            GuestExec.ExecResult result = client.exec(GuestExec.ExecCommand.of(STEP_DEADLINE, "/bin/sh", "-c",
                    "date -u +%s; date -u -s @" + seconds + " >/dev/null"));
            if (!result.succeeded()) {
                failure.append("date exited with ").append(result.exitCode()).append(": ").append(result.stderr().strip());
                return Optional.empty();
            }
            return Optional.of(new Step(Long.parseLong(result.stdout().strip().lines().findFirst().orElse("-1").strip()), seconds));
        } catch (DriverException | NumberFormatException e) {
            failure.append(e.getMessage());
            return Optional.empty();
        }
    }
}
