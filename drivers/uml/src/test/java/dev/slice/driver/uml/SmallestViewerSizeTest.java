package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.capability.TerminalSize;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SmallestViewerSizeTest {
    private static final TerminalSize START = new TerminalSize(24, 80);
    private final SmallestViewerSize rule = new SmallestViewerSize(START);
    private final Object laptop = new Object();
    private final Object phone = new Object();

    @Test
    void oneViewerGetsItsOwnSize() {
        assertThat(rule.resized(laptop, new TerminalSize(40, 127))).contains(new TerminalSize(40, 127));
        assertThat(rule.resized(laptop, new TerminalSize(31, 99))).contains(new TerminalSize(31, 99));
    }

    @Test
    void theShortestAndTheNarrowestViewerDecideEachDimensionOnItsOwn() {
        rule.resized(laptop, new TerminalSize(50, 200));
        // Taller but narrower: the rows stay the laptop's, the columns become the phone's.
        assertThat(rule.resized(phone, new TerminalSize(60, 45))).contains(new TerminalSize(50, 45));
    }

    @Test
    void aBiggerViewerJoiningChangesNothing() {
        rule.resized(phone, new TerminalSize(30, 45));
        assertThat(rule.resized(laptop, new TerminalSize(50, 200))).isEmpty();
        assertThat(rule.applied()).isEqualTo(new TerminalSize(30, 45));
    }

    @Test
    void whenTheSmallestViewerLeavesTheOthersGetTheirRoomBack() {
        rule.resized(laptop, new TerminalSize(50, 200));
        rule.resized(phone, new TerminalSize(30, 45));
        assertThat(rule.left(phone)).contains(new TerminalSize(50, 200));
    }

    @Test
    void theLastViewerLeavingKeepsTheSizeForTheNextOne() {
        rule.resized(phone, new TerminalSize(30, 45));
        assertThat(rule.left(phone)).isEmpty();
        assertThat(rule.applied()).isEqualTo(new TerminalSize(30, 45));
    }

    @Test
    void aViewerThatNeverSaidItsSizeDoesNotCount() {
        assertThat(rule.left(laptop)).isEmpty();
        assertThat(rule.applied()).isEqualTo(START);
        rule.resized(phone, new TerminalSize(30, 45));
        assertThat(rule.left(laptop)).isEqualTo(Optional.empty());
        assertThat(rule.applied()).isEqualTo(new TerminalSize(30, 45));
    }

    @Test
    void aSizeEqualToTheAppliedOneIsNotSentAgain() {
        assertThat(rule.resized(laptop, START)).isEmpty();
    }
}
