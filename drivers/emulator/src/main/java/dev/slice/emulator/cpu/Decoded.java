package dev.slice.emulator.cpu;

/**
 * Instructions of one 4 KiB physical page, decoded once by {@link Decoder}: per halfword a descriptor and an
 * immediate. 0 means not decoded yet; a 4-byte instruction in the page's last halfword is kept as
 * {@link Decoder#CROSS} and decoded on each execution (its second half lies in another page).
 */
final class Decoded {
    final int[] desc = new int[2048];
    final int[] imm = new int[2048];
    /** Translated blocks by the halfword they start at, and how often each start was reached ({@link BlockEngine}); lazily made. */
    TranslatedBlock[] blocks;
    short[] hits;

    /** Decodes the instruction at halfword {@code idx}; {@code lo} is its first halfword, {@code word} the 32 bits there. */
    long decode(int idx, int lo, int word) {
        long r;
        if ((lo & 3) != 3) r = Decoder.decode16(lo);
        else if (idx == 2047) r = Decoder.CROSS;
        else r = Decoder.decode32(word);
        imm[idx] = (int) (r >>> 32);
        desc[idx] = (int) r;
        return r;
    }
}
