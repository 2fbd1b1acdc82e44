package dev.slice.emulator.cpu;

import java.util.Locale;

/**
 * One hart's counters, for diagnosis ({@code --stats}): instructions retired, traps taken (interrupts among them),
 * WFIs that put the hart to sleep, {@code pause} hints, remote fences it carried out for other harts (among them,
 * those done while it waited in the SBI for its own: each would otherwise have held both harts), and its SBI
 * remote-fence calls whose wait for the targets ran out (200 ms: a target that never got to it).
 */
public record HartStats(int hart, long instructions, long traps, long interrupts, long wfiSleeps, long pauses,
                        long fencesServed, long fencesCrossed, long fenceTimeouts) {
    /** One line: "hart 0: 123 instructions, 4 traps (3 interrupts), 2 WFI sleeps, 0 pauses, 1 fences served (0 while waiting), 0 fence waits ran out". */
    public String line() {
        return String.format(Locale.ROOT, "hart %d: %d instructions, %d traps (%d interrupts), %d WFI sleeps, %d pauses,"
                + " %d fences served (%d while waiting for its own), %d fence waits ran out", hart, instructions, traps,
                interrupts, wfiSleeps, pauses, fencesServed, fencesCrossed, fenceTimeouts);
    }
}
