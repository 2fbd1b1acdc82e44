package dev.slice.emulator.cpu;

/**
 * The one home of the integer instructions' meaning (RV64I + MUL/MULW): each operation is one static method of two
 * {@code long} operands (the second is {@code x[rs2]} or the sign-extended immediate). The interpreter's loop
 * ({@link Hart}) calls these methods, and the block translator ({@link BlockTranslator}) emits calls to the same
 * methods, found by {@link #method}; the JIT inlines both. Branch conditions and the load extension live here too.
 */
final class IntOps {
    private IntOps() { }

    static long add(long a, long b) { return a + b; }
    static long sub(long a, long b) { return a - b; }
    static long sll(long a, long b) { return a << b; }
    static long slt(long a, long b) { return a < b ? 1 : 0; }
    static long sltu(long a, long b) { return Long.compareUnsigned(a, b) < 0 ? 1 : 0; }
    static long xor(long a, long b) { return a ^ b; }
    static long srl(long a, long b) { return a >>> b; }
    static long sra(long a, long b) { return a >> b; }
    static long or(long a, long b) { return a | b; }
    static long and(long a, long b) { return a & b; }
    static long addw(long a, long b) { return (int) a + (int) b; }
    static long subw(long a, long b) { return (int) a - (int) b; }
    static long sllw(long a, long b) { return (int) a << (int) b; }
    static long srlw(long a, long b) { return (int) a >>> (int) b; }
    static long sraw(long a, long b) { return (int) a >> (int) b; }
    static long mul(long a, long b) { return a * b; }
    static long mulw(long a, long b) { return (int) a * (int) b; }
    /** JALR's target: base + offset with bit 0 cleared. */
    static long jalrTarget(long a, long b) { return (a + b) & ~1L; }
    /** A loaded value of 1, 2 or 4 bytes sign-extended by shift {@code 64 - 8 * size} (0: zero-extended). */
    static long extend(long v, int shift) { return (v << shift) >> shift; }

    static boolean eq(long a, long b) { return a == b; }
    static boolean ne(long a, long b) { return a != b; }
    static boolean lt(long a, long b) { return a < b; }
    static boolean ge(long a, long b) { return a >= b; }
    static boolean ltu(long a, long b) { return Long.compareUnsigned(a, b) < 0; }
    static boolean geu(long a, long b) { return Long.compareUnsigned(a, b) >= 0; }

    /** The method above that gives decoded operation {@code op} its meaning, or null when it is not one of them. */
    static String method(int op) {
        return switch (op) {
            case Decoder.ADD, Decoder.ADDI -> "add";
            case Decoder.SUB -> "sub";
            case Decoder.SLL, Decoder.SLLI -> "sll";
            case Decoder.SLT, Decoder.SLTI -> "slt";
            case Decoder.SLTU, Decoder.SLTIU -> "sltu";
            case Decoder.XOR, Decoder.XORI -> "xor";
            case Decoder.SRL, Decoder.SRLI -> "srl";
            case Decoder.SRA, Decoder.SRAI -> "sra";
            case Decoder.OR, Decoder.ORI -> "or";
            case Decoder.AND, Decoder.ANDI -> "and";
            case Decoder.ADDW, Decoder.ADDIW -> "addw";
            case Decoder.SUBW -> "subw";
            case Decoder.SLLW, Decoder.SLLIW -> "sllw";
            case Decoder.SRLW, Decoder.SRLIW -> "srlw";
            case Decoder.SRAW, Decoder.SRAIW -> "sraw";
            case Decoder.MUL -> "mul";
            case Decoder.MULW -> "mulw";
            case Decoder.BEQ -> "eq";
            case Decoder.BNE -> "ne";
            case Decoder.BLT -> "lt";
            case Decoder.BGE -> "ge";
            case Decoder.BLTU -> "ltu";
            case Decoder.BGEU -> "geu";
            default -> null;
        };
    }

    /** True when the second operand of {@code op} is its immediate rather than {@code x[rs2]}. */
    static boolean immediateForm(int op) {
        return switch (op) {
            case Decoder.ADDI, Decoder.SLLI, Decoder.SLTI, Decoder.SLTIU, Decoder.XORI, Decoder.SRLI, Decoder.SRAI,
                 Decoder.ORI, Decoder.ANDI, Decoder.ADDIW, Decoder.SLLIW, Decoder.SRLIW, Decoder.SRAIW -> true;
            default -> false;
        };
    }
}
