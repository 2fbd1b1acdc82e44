package dev.slice.emulator.cpu;

/**
 * Runs a hart through translated blocks where code is hot, and through the interpreter elsewhere. Each decoded page
 * counts how often execution arrives at each block start (where the interpreter arrives by a jump back, a loop head, or where a block left off); at {@link #THRESHOLD}
 * arrivals the block is translated ({@link BlockTranslator}) and kept in the page. Blocks are keyed by physical
 * address only: a block holds no privilege- or translation-dependent decision (its loads and stores go through the
 * hart's MMU as it is when they run, and no block crosses a page), so a mode change, {@code satp} write or
 * {@code sfence.vma} needs only the fetch page looked up again, which {@link Hart} does. A write into the page
 * (this hart's, another hart's or DMA) drops the decoded page with its blocks, and asks a running block to stop
 * after its store; {@code fence.i} has nothing left to flush. Interrupts are looked at between blocks.
 * <p>{@code -Dslice.emulator.translator=off} interprets everything; {@code -Dslice.emulator.translator.threshold=N}.
 */
final class BlockEngine {
    /** Arrivals at a block start before it is translated; 0 when translation is off. */
    static final int THRESHOLD = "off".equals(System.getProperty("slice.emulator.translator", "on")) ? 0
            : Math.clamp(Integer.getInteger("slice.emulator.translator.threshold", 5000), 1, Short.MAX_VALUE);
    private final Hart h;
    private final int threshold;
    private final BlockTranslator translator = new BlockTranslator();

    BlockEngine(Hart h, int threshold) {
        this.h = h;
        this.threshold = threshold;
    }

    /** Like {@link Hart#runDecoded}: runs until {@code max} more instructions retired or a recheck is asked for. */
    void run(long max) {
        final Hart h = this.h;
        long limit = h.instret + max;
        while (h.instret < limit) {
            long pc = h.pc;
            Decoded page = (pc >>> 12) == h.fetchVpn ? h.fetchPageRef : h.fetchPage(pc);
            int idx = ((int) pc & 0xfff) >>> 1;
            TranslatedBlock[] blocks = page.blocks;
            TranslatedBlock b = blocks == null ? null : blocks[idx];
            if (b == null) {
                short[] hits = page.hits;
                if (hits == null) page.hits = hits = new short[2048];
                if (++hits[idx] >= threshold) b = translate(page, idx);
            }
            if (b != null && b != TranslatedBlock.NONE && h.instret <= limit - b.length) { // a pass never runs past the limit
                try {
                    h.pc = b.run(h, h.x, pc, limit - b.length);
                } catch (Trap t) {
                    h.instret += b.retiredBefore(h.pc - pc);
                    throw t;
                }
            } else {
                h.runDecoded(limit - h.instret, true);
            }
            if (h.recheck) return;
        }
    }

    private TranslatedBlock translate(Decoded page, int idx) {
        if (page.blocks == null) page.blocks = new TranslatedBlock[2048];
        TranslatedBlock b = translator.translate(h.mem, page, h.fetchPageOff, idx);
        page.blocks[idx] = b;
        return b;
    }

    /** Blocks translated so far by this hart. */
    long translated() { return translator.count(); }
}
