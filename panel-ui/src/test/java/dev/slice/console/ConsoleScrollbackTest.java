package dev.slice.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ConsoleScrollbackTest {

    private final ConsoleScrollback scrollback = new ConsoleScrollback();
    private final Object tab = new Object();
    private final Object otherTab = new Object();

    private void print(Object attachment, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        scrollback.record(7, attachment, bytes, bytes.length);
    }

    private String recent() {
        return new String(scrollback.recent(7), StandardCharsets.UTF_8);
    }

    @Test
    void keepsWhatTheConsolePrintedInOrder() {
        assertThat(scrollback.recent(7)).isEmpty();
        print(tab, "login: ");
        print(tab, "root\r\n");
        assertThat(recent()).isEqualTo("login: root\r\n");
    }

    @Test
    void replaysNoCursorPositionQueryForTheNewTerminalToAnswer() {
        print(tab, "Last login: today\r\n\u001b7\u001b[999;999H\u001b[");
        print(tab, "6n\u001b8root@guest:~# ");
        assertThat(recent()).isEqualTo("Last login: today\r\n\u001b7\u001b[999;999H\u001b8root@guest:~# ");
    }

    @Test
    void keepsOnlyTheNewestBytesPerServer() {
        byte[] old = new byte[ConsoleScrollback.BYTES_PER_SERVER];
        Arrays.fill(old, (byte) 'a');
        scrollback.record(7, tab, old, old.length);
        print(tab, "newest");
        byte[] kept = scrollback.recent(7);
        assertThat(kept).hasSize(ConsoleScrollback.BYTES_PER_SERVER);
        assertThat(new String(kept, kept.length - 6, 6, StandardCharsets.UTF_8)).isEqualTo("newest");
        assertThat(kept[0]).isEqualTo((byte) 'a');
    }

    @Test
    void aBootThatEndedIsNotReplayedToTheNextAttachment() {
        print(tab, "vm1 login: ");
        scrollback.guestClosed(7, otherTab);
        assertThat(recent()).as("only the recording attachment speaks for the console").isEqualTo("vm1 login: ");
        scrollback.guestClosed(7, tab);
        assertThat(scrollback.recent(7)).isEmpty();
        print(otherTab, "booting");
        assertThat(recent()).isEqualTo("booting");
    }

    @Test
    void oneAttachmentRecordsAtATimeAndTheNextTakesOverWhenItLeaves() {
        print(tab, "one ");
        print(otherTab, "one ");
        assertThat(recent()).isEqualTo("one ");
        scrollback.release(7, tab);
        print(otherTab, "two");
        assertThat(recent()).isEqualTo("one two");
    }

    @Test
    void keepsABoundedNumberOfServers() {
        for (long id = 1; id <= ConsoleScrollback.SERVERS + 1; id++) scrollback.record(id, tab, new byte[] {'x'}, 1);
        assertThat(scrollback.recent(1)).isEmpty();
        assertThat(scrollback.recent(ConsoleScrollback.SERVERS + 1)).hasSize(1);
    }
}
