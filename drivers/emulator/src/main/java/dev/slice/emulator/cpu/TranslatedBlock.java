package dev.slice.emulator.cpu;

/**
 * A basic block (or a trace of them) of guest code translated to JVM bytecode by {@link BlockTranslator}; each is a
 * hidden class extending this one. {@link #run} executes the block at virtual address {@code vpc} and returns the
 * next pc, with {@code h.instret} brought up to date; one pass retires at most {@link #length} instructions, and it
 * loops back to its own start only while {@code h.instret <= last} and no recheck is asked for (so a caller that
 * passes {@code last = limit - length} never runs past {@code limit}). When an instruction inside traps, {@code h.pc} names it and {@link #retiredBefore}
 * says how many instructions of the block retired before it and were not counted yet.
 */
abstract class TranslatedBlock {
    /** Placed where translation was tried and gave nothing (the first instruction is not translated): interpret. */
    static final TranslatedBlock NONE = new TranslatedBlock() {
        @Override long run(Hart h, long[] x, long vpc, long last) { throw new IllegalStateException("not translated"); }
    };

    private int[] trapOffsets = new int[0], trapRetired = new int[0];
    /** Instructions in one pass through the block. */
    int length;

    abstract long run(Hart h, long[] x, long vpc, long last);

    /** Sets the length, and for each instruction that may trap (its byte offset from the start) the uncounted retired count. */
    final void describe(int length, int[] offsets, int[] retired) {
        this.length = length;
        trapOffsets = offsets;
        trapRetired = retired;
    }

    final int retiredBefore(long offset) {
        for (int i = 0; i < trapOffsets.length; i++) if (trapOffsets[i] == offset) return trapRetired[i];
        throw new IllegalStateException("a trap at block offset " + offset + ", which holds no trapping instruction");
    }
}
