package dev.slice.emulator;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --stats}: at exit the emulator prints the total and, per hart, its instructions, traps, WFI sleeps and fences. */
class StatsOptionTest {
    @Test
    void printsEveryHartsCountersAtExit() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = Main.run("--bios", "none", "--memory", "64M", "--smp", "2", "--stats", "--kernel", TestPrograms.elf("smp").toString());
        } finally {
            System.setErr(old);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as("stderr:%n%s", text).isZero();
        Matcher total = Pattern.compile("(\\d+) instructions in [0-9.]+ s").matcher(text);
        assertThat(total.find()).as(text).isTrue();
        long sum = 0;
        for (int hart = 0; hart < 2; hart++) {
            Matcher m = Pattern.compile("hart " + hart + ": (\\d+) instructions, \\d+ traps \\(\\d+ interrupts\\), \\d+ WFI sleeps,"
                    + " \\d+ pauses, \\d+ fences served \\(\\d+ while waiting for its own\\), 0 fence waits ran out").matcher(text);
            assertThat(m.find()).as("hart %d's line in:%n%s", hart, text).isTrue();
            assertThat(Long.parseLong(m.group(1))).isPositive();
            sum += Long.parseLong(m.group(1));
        }
        assertThat(sum).as("the harts' instructions add up to the total").isEqualTo(Long.parseLong(total.group(1)));
    }
}
