package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.tck.ConsoleReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Closing a console never waits for the guest. An idle guest prints nothing, so a thread blocked in
 * virStreamRecv once kept virStreamAbort (and the suite) waiting until the domain was destroyed by hand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleCloseTest {
    private static final int ROUNDS = 25;
    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final Duration PROMPT = Duration.ofSeconds(60);

    private final LibvirtDriver driver = TestHost.qemuDriver();
    private final GuestId id = GuestId.of("close-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));

    @BeforeAll
    void bootAGuestToItsLoginPrompt() throws Exception {
        driver.create(TestHost.debianSpec(id, 203, Credentials.none()));
        driver.start(id);
        try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
            awaitLoginPrompt(console, BOOT);
        }
    }

    @AfterAll
    void cleanUp() {
        driver.destroy(id);
        driver.close();
    }

    @Test
    void theConsoleOfAnIdleGuestClosesAtOnceManyTimesInARowAndStillWorks() throws Exception {
        List<Long> closeMillis = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            LibvirtConsoleStream stream = (LibvirtConsoleStream) driver.open(id);
            ConsoleReader reader = new ConsoleReader(stream); // a reader waits on the stream, as in every test
            long started = System.nanoTime();
            reader.close();
            long millis = (System.nanoTime() - started) / 1_000_000;
            closeMillis.add(millis);
            assertThat(Duration.ofMillis(millis)).as("close in round %d", round).isLessThan(LibvirtConsoleStream.CLOSE_DEADLINE);
            assertThat(stream.awaitReleased(Duration.ZERO)).as("stream and connection freed in round %d", round).isTrue();
            assertThat(stream.fromGuest().read()).as("readers see the end in round %d", round).isEqualTo(-1);
        }
        System.out.println("console close times (ms): " + closeMillis);

        try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
            awaitLoginPrompt(console, PROMPT);
        }
    }

    @Test
    void aNewAttachmentEndsTheOlderOneWhoseReaderSeesTheEnd() throws Exception {
        LibvirtConsoleStream older = (LibvirtConsoleStream) driver.open(id);
        try (ConsoleReader newer = new ConsoleReader(driver.open(id))) {
            assertThat(older.awaitReleased(PROMPT)).as("the replaced stream is freed by itself").isTrue();
            assertThat(older.fromGuest().read()).isEqualTo(-1);
            awaitLoginPrompt(newer, PROMPT);
        } finally {
            older.close();
        }
    }

    private static void awaitLoginPrompt(ConsoleReader console, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            console.type("\n");
            try {
                console.await(Pattern.compile("login: "), Duration.ofSeconds(3));
                return;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) throw notYet;
            }
        }
    }
}
