package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent protocol's pure logic against a scripted agent (the real one is in GuestAgentExecTest): what is sent,
 * how answers become results, and the kill at the deadline, with a clock the test moves.
 */
class GuestAgentTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final GuestId ID = GuestId.of("unit-1");

    /** A clock that moves one second per agent call, so deadlines pass without sleeping long. */
    private static final class SteppingClock extends Clock {
        private Instant now = Instant.parse("2026-12-02T12:00:00Z");
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
        void step() { now = now.plusSeconds(1); }
    }

    private final SteppingClock clock = new SteppingClock();
    private final List<JsonNode> sent = new ArrayList<>();

    private GuestAgent agent(Function<JsonNode, String> answers) {
        return new GuestAgent(ID, (json, timeout) -> {
            assertThat(timeout).isPositive();
            JsonNode request = JSON.readTree(json);
            sent.add(request);
            clock.step();
            return answers.apply(request);
        }, clock);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theProgramRunsInASessionOfItsOwnAndItsOutputsAreDecoded() {
        GuestAgent agent = agent(request -> switch (request.path("execute").asString()) {
            case "guest-exec" -> "{\"return\":{\"pid\":42}}";
            case "guest-exec-status" -> "{\"return\":{\"exited\":true,\"exitcode\":3,\"out-data\":\"" + b64("ö\n")
                    + "\",\"err-data\":\"" + b64("bad") + "\"}}";
            default -> throw new AssertionError(request.toString());
        });
        assertThat(agent.exec(ExecCommand.of(Duration.ofSeconds(10), "fio", "--version")))
                .isEqualTo(new ExecResult(3, "ö\n", "bad"));
        assertThat(sent.get(0).path("arguments").path("path").asString()).isEqualTo("setsid");
        assertThat(sent.get(0).path("arguments").path("arg").toString()).isEqualTo("[\"--\",\"fio\",\"--version\"]");
        assertThat(sent.get(0).path("arguments").path("capture-output").asBoolean()).isTrue();
        assertThat(sent.get(1).path("arguments").path("pid").asLong()).isEqualTo(42);
    }

    @Test
    void aSignalIsReportedAsAShellWould() {
        GuestAgent agent = agent(request -> request.path("execute").asString().equals("guest-exec")
                ? "{\"return\":{\"pid\":7}}" : "{\"return\":{\"exited\":true,\"signal\":9}}");
        assertThat(agent.exec(ExecCommand.of(Duration.ofSeconds(10), "x")).exitCode()).isEqualTo(137);
    }

    @Test
    void pastTheDeadlineTheSessionIsKilledAndBothAreReaped() {
        List<Long> exited = new ArrayList<>();
        GuestAgent agent = agent(request -> {
            JsonNode arguments = request.path("arguments");
            return switch (request.path("execute").asString()) {
                case "guest-exec" -> arguments.path("path").asString().equals("kill")
                        ? "{\"return\":{\"pid\":100}}" : "{\"return\":{\"pid\":50}}";
                case "guest-exec-status" -> {
                    long pid = arguments.path("pid").asLong();
                    boolean killed = sent.stream().anyMatch(r -> r.path("arguments").path("path").asString().equals("kill"));
                    if (killed) exited.add(pid);
                    yield "{\"return\":{\"exited\":" + killed + (killed ? ",\"signal\":9" : "") + "}}";
                }
                default -> throw new AssertionError(request.toString());
            };
        });
        assertThatThrownBy(() -> agent.exec(ExecCommand.of(Duration.ofSeconds(3), "sleep", "99")))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("'sleep 99' in guest unit-1 did not end within its deadline of 3000 ms");
        JsonNode kill = sent.stream().filter(r -> r.path("arguments").path("path").asString().equals("kill")).findFirst().orElseThrow();
        assertThat(kill.path("arguments").path("arg").toString()).isEqualTo("[\"-KILL\",\"--\",\"-50\"]");
        assertThat(exited).containsExactly(100L, 50L);
    }

    @Test
    void anAgentErrorIsADriverExceptionWithItsDescription() {
        GuestAgent agent = agent(request -> "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Guest-exec is disabled\"}}");
        assertThatThrownBy(() -> agent.exec(ExecCommand.of(Duration.ofSeconds(10), "true")))
                .isInstanceOf(DriverException.class)
                .hasMessage("the guest agent of unit-1 refused guest-exec: Guest-exec is disabled");
    }

    @Test
    void truncatedOutputIsNotPassedOffAsComplete() {
        GuestAgent agent = agent(request -> request.path("execute").asString().equals("guest-exec")
                ? "{\"return\":{\"pid\":7}}" : "{\"return\":{\"exited\":true,\"exitcode\":0,\"out-truncated\":true}}");
        assertThatThrownBy(() -> agent.exec(ExecCommand.of(Duration.ofSeconds(10), "cat", "big")))
                .isInstanceOf(DriverException.class).hasMessageContaining("more output than the guest agent keeps");
    }

    @Test
    void copyInWritesChunksToAPartialFileThenRenamesIt() {
        List<String> chunks = new ArrayList<>();
        GuestAgent agent = agent(request -> switch (request.path("execute").asString()) {
            case "guest-exec" -> "{\"return\":{\"pid\":1}}";
            case "guest-exec-status" -> "{\"return\":{\"exited\":true,\"exitcode\":0}}";
            case "guest-file-open" -> "{\"return\":5}";
            case "guest-file-write" -> {
                String chunk = request.path("arguments").path("buf-b64").asString();
                chunks.add(chunk);
                yield "{\"return\":{\"count\":" + Base64.getDecoder().decode(chunk).length + ",\"eof\":false}}";
            }
            case "guest-file-close" -> "{\"return\":{}}";
            default -> throw new AssertionError(request.toString());
        });
        byte[] content = new byte[GuestAgent.CHUNK_BYTES + 10];
        agent.copyIn(content, "/opt/x/tool", true, Duration.ofMinutes(5));
        assertThat(chunks).hasSize(2);
        List<String> programs = sent.stream().filter(r -> r.path("execute").asString().equals("guest-exec"))
                .map(r -> r.path("arguments").path("arg").toString()).toList();
        assertThat(programs).containsExactly("[\"--\",\"mkdir\",\"-p\",\"/opt/x\"]",
                "[\"--\",\"chmod\",\"0755\",\"/opt/x/tool.slice-partial\"]",
                "[\"--\",\"mv\",\"-f\",\"--\",\"/opt/x/tool.slice-partial\",\"/opt/x/tool\"]");
        assertThatThrownBy(() -> agent.copyIn(content, "relative/path", false, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
