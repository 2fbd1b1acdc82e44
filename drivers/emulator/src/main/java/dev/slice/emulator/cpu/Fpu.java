package dev.slice.emulator.cpu;

import java.math.BigDecimal;

/**
 * IEEE 754 arithmetic as RISC-V F and D define it: every rounding mode, the five exception flags,
 * canonical NaNs and NaN boxing. The host's round-to-nearest result is corrected to the requested mode
 * from the sign of the exact error, which comes from an error-free transformation (TwoSum, fma remainder)
 * on the fast path and from exact BigDecimal arithmetic elsewhere.
 */
final class Fpu {
    static final int NV = 16, DZ = 8, OF = 4, UF = 2, NX = 1;
    static final int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;
    static final long CANONICAL_NAN_D = 0x7ff8000000000000L;
    static final int CANONICAL_NAN_S = 0x7fc00000;
    static final long BOX = 0xffffffff00000000L;

    /** Accrued exception flags (fflags). */
    int flags;

    private Fpu() { }

    static Fpu create() { return new Fpu(); }

    // ---------- boxing and classification ----------
    static long box(int bits) { return BOX | (bits & 0xffffffffL); }

    /** The single-precision bits held in a register; an improperly boxed value reads as the canonical NaN. */
    static int unbox(long reg) { return (reg & BOX) == BOX ? (int) reg : CANONICAL_NAN_S; }

    static boolean isNanS(int b) { return (b & 0x7f800000) == 0x7f800000 && (b & 0x7fffff) != 0; }
    static boolean isSNanS(int b) { return isNanS(b) && (b & 0x400000) == 0; }
    static boolean isNanD(long b) { return (b & 0x7ff0000000000000L) == 0x7ff0000000000000L && (b & 0xfffffffffffffL) != 0; }
    static boolean isSNanD(long b) { return isNanD(b) && (b & 0x8000000000000L) == 0; }

    static long classS(int b) {
        boolean neg = b < 0;
        int exp = (b >>> 23) & 0xff, man = b & 0x7fffff;
        if (exp == 0xff) {
            if (man == 0) return neg ? 1 : 1 << 7;
            return (man & 0x400000) != 0 ? 1 << 9 : 1 << 8;
        }
        if (exp == 0) {
            if (man == 0) return neg ? 1 << 3 : 1 << 4;
            return neg ? 1 << 2 : 1 << 5;
        }
        return neg ? 1 << 1 : 1 << 6;
    }

    static long classD(long b) {
        boolean neg = b < 0;
        long exp = (b >>> 52) & 0x7ff, man = b & 0xfffffffffffffL;
        if (exp == 0x7ff) {
            if (man == 0) return neg ? 1 : 1 << 7;
            return (man & 0x8000000000000L) != 0 ? 1 << 9 : 1 << 8;
        }
        if (exp == 0) {
            if (man == 0) return neg ? 1 << 3 : 1 << 4;
            return neg ? 1 << 2 : 1 << 5;
        }
        return neg ? 1 << 1 : 1 << 6;
    }

    // ---------- rounding ----------
    /**
     * Turns the round-to-nearest-even result {@code r} into the result for {@code rm}, given the sign of
     * (exact - r) and whether the exact value is a midpoint; sets NX, UF and OF.
     */
    /**
     * @param overflow the round-to-nearest result overflowed; whether OF is raised then depends on the mode:
     *                 rounding toward zero from below 2^emax+1 (see {@code beyondLimit}) yields the largest finite
     *                 number without overflow
     */
    private double finishD(double r, int sgn, boolean tie, int rm, boolean overflow) {
        return finishD(r, sgn, tie, rm, overflow, true);
    }

    private double finishD(double r, int sgn, boolean tie, int rm, boolean overflow, boolean beyondLimit) {
        if (sgn == 0) return r;
        flags |= NX;
        if (overflow && (beyondLimit || !towardZero(r > 0, rm))) flags |= OF;
        int exactSign = r != 0 ? (r > 0 ? 1 : -1) : sgn;
        switch (rm) {
            case RTZ -> { if (exactSign > 0 && sgn < 0) r = Math.nextDown(r); else if (exactSign < 0 && sgn > 0) r = Math.nextUp(r); }
            case RDN -> { if (sgn < 0) r = Math.nextDown(r); }
            case RUP -> { if (sgn > 0) r = Math.nextUp(r); }
            case RMM -> { if (tie && (exactSign > 0) == (sgn > 0)) r = sgn > 0 ? Math.nextUp(r) : Math.nextDown(r); }
            default -> { }
        }
        if (Math.abs(r) < Double.MIN_NORMAL) flags |= UF;
        if (Double.isInfinite(r)) flags |= OF;
        return r;
    }

    private float finishS(float r, int sgn, boolean tie, int rm, boolean overflow) {
        return finishS(r, sgn, tie, rm, overflow, true);
    }

    private float finishS(float r, int sgn, boolean tie, int rm, boolean overflow, boolean beyondLimit) {
        if (sgn == 0) return r;
        flags |= NX;
        if (overflow && (beyondLimit || !towardZero(r > 0, rm))) flags |= OF;
        int exactSign = r != 0 ? (r > 0 ? 1 : -1) : sgn;
        switch (rm) {
            case RTZ -> { if (exactSign > 0 && sgn < 0) r = Math.nextDown(r); else if (exactSign < 0 && sgn > 0) r = Math.nextUp(r); }
            case RDN -> { if (sgn < 0) r = Math.nextDown(r); }
            case RUP -> { if (sgn > 0) r = Math.nextUp(r); }
            case RMM -> { if (tie && (exactSign > 0) == (sgn > 0)) r = sgn > 0 ? Math.nextUp(r) : Math.nextDown(r); }
            default -> { }
        }
        if (Math.abs(r) < Float.MIN_NORMAL) flags |= UF;
        if (Float.isInfinite(r)) flags |= OF;
        return r;
    }

    /**
     * RISC-V detects tininess after rounding: a result that rounds up to the smallest normal number still
     * underflows when the exact value, rounded with an unbounded exponent, would stay below it.
     */
    private void tinyAtMinNormal(double result, BigDecimal exact, int rm, boolean single) {
        double minNormal = single ? Float.MIN_NORMAL : Double.MIN_NORMAL;
        if (Math.abs(result) != minNormal || exact.signum() == 0) return;
        BigDecimal ax = exact.abs(), mn = new BigDecimal(minNormal);
        if (ax.compareTo(mn) >= 0) return;
        BigDecimal step = new BigDecimal(single ? 0x1p-150 : 0x1p-1074).divide(BigDecimal.TWO); // spacing below minNormal at full precision
        boolean neg = exact.signum() < 0;
        boolean tiny = switch (rm) {
            case RNE, RMM -> ax.compareTo(mn.subtract(step.divide(BigDecimal.TWO))) < 0;
            case RUP -> neg || ax.compareTo(mn.subtract(step)) <= 0;
            case RDN -> !neg || ax.compareTo(mn.subtract(step)) <= 0;
            default -> true;
        };
        if (tiny) flags |= UF;
    }

    /** Rounds an exact value to double under {@code rm}. */
    private double roundD(BigDecimal exact, int rm) {
        double r = exact.doubleValue();
        if (r == 0) r = exact.signum() < 0 ? -0.0 : 0.0; // an underflow to zero keeps the sign of the exact value
        if (Double.isInfinite(r)) return finishD(r, r > 0 ? -1 : 1, false, rm, true, exact.abs().compareTo(LIMIT_D) >= 0);
        int sgn = exact.compareTo(new BigDecimal(r));
        boolean tie = false;
        if (sgn != 0 && rm == RMM) {
            double n = sgn > 0 ? Math.nextUp(r) : Math.nextDown(r);
            tie = !Double.isInfinite(n) && new BigDecimal(r).add(new BigDecimal(n)).compareTo(exact.add(exact)) == 0;
        }
        double result = finishD(r, sgn, tie, rm, false);
        if (sgn != 0) tinyAtMinNormal(result, exact, rm, false);
        return result;
    }

    private float roundS(BigDecimal exact, int rm) {
        float r = exact.floatValue();
        if (r == 0) r = exact.signum() < 0 ? -0f : 0f;
        if (Float.isInfinite(r)) return finishS(r, r > 0 ? -1 : 1, false, rm, true, exact.abs().compareTo(LIMIT_S) >= 0);
        int sgn = exact.compareTo(new BigDecimal(r));
        boolean tie = false;
        if (sgn != 0 && rm == RMM) {
            float n = sgn > 0 ? Math.nextUp(r) : Math.nextDown(r);
            tie = !Float.isInfinite(n) && new BigDecimal(r).add(new BigDecimal(n)).compareTo(exact.add(exact)) == 0;
        }
        float result = finishS(r, sgn, tie, rm, false);
        if (sgn != 0) tinyAtMinNormal(result, exact, rm, true);
        return result;
    }

    /** Rounds a double-precision value (exact) to single precision. */
    private float narrow(double d, int rm) {
        float r = (float) d;
        if (Float.isInfinite(r) && !Double.isInfinite(d)) return finishS(r, r > 0 ? -1 : 1, false, rm, true, Math.abs(d) >= 0x1p128);
        double diff = d - r;
        int sgn = diff > 0 ? 1 : diff < 0 ? -1 : 0;
        boolean tie = false;
        if (sgn != 0 && rm == RMM) {
            float n = sgn > 0 ? Math.nextUp(r) : Math.nextDown(r);
            tie = ((double) n - r) == 2 * diff;
        }
        float result = finishS(r, sgn, tie, rm, false);
        if (sgn != 0 && Math.abs(result) == Float.MIN_NORMAL) tinyAtMinNormal(result, new BigDecimal(d), rm, true);
        return result;
    }

    /** Whether {@code rm} rounds a value of this sign toward zero. */
    private static boolean towardZero(boolean positive, int rm) {
        return rm == RTZ || (rm == RDN && positive) || (rm == RUP && !positive);
    }

    private static final BigDecimal LIMIT_D = new BigDecimal(2).pow(1024), LIMIT_S = new BigDecimal(2).pow(128);

    private static int sign(double v) { return v > 0 ? 1 : v < 0 ? -1 : 0; }

    // ---------- double precision ----------
    long addD(long ab, long bb, int rm) {
        double a = Double.longBitsToDouble(ab), b = Double.longBitsToDouble(bb);
        if (isNanD(ab) || isNanD(bb)) { if (isSNanD(ab) || isSNanD(bb)) flags |= NV; return CANONICAL_NAN_D; }
        double r = a + b;
        if (Double.isNaN(r)) { flags |= NV; return CANONICAL_NAN_D; }
        if (Double.isInfinite(r)) {
            if (Double.isInfinite(a) || Double.isInfinite(b)) return Double.doubleToRawLongBits(r);
            boolean beyond = new BigDecimal(a).add(new BigDecimal(b)).abs().compareTo(LIMIT_D) >= 0;
            return Double.doubleToRawLongBits(finishD(r, r > 0 ? -1 : 1, false, rm, true, beyond));
        }
        if (r == 0 && a != 0) { // exact cancellation: +0, or -0 when rounding down
            return Double.doubleToRawLongBits(rm == RDN ? -0.0 : 0.0);
        }
        if (r == 0 && rm == RDN && (Double.doubleToRawLongBits(a) != Double.doubleToRawLongBits(b))) return Double.doubleToRawLongBits(-0.0);
        // TwoSum: exact error of the rounded sum
        double bv = r - a, av = r - bv;
        double err = (a - av) + (b - bv);
        int sgn = sign(err);
        boolean tie = false;
        if (sgn != 0 && rm == RMM) {
            double n = sgn > 0 ? Math.nextUp(r) : Math.nextDown(r);
            tie = (n - r) == 2 * err;
        }
        return Double.doubleToRawLongBits(finishD(r, sgn, tie, rm, false));
    }

    long mulD(long ab, long bb, int rm) {
        double a = Double.longBitsToDouble(ab), b = Double.longBitsToDouble(bb);
        if (isNanD(ab) || isNanD(bb)) { if (isSNanD(ab) || isSNanD(bb)) flags |= NV; return CANONICAL_NAN_D; }
        double r = a * b;
        if (Double.isNaN(r)) { flags |= NV; return CANONICAL_NAN_D; }
        if (Double.isInfinite(a) || Double.isInfinite(b) || a == 0 || b == 0) return Double.doubleToRawLongBits(r);
        if (Math.abs(r) >= 0x1p-960 && !Double.isInfinite(r)) {
            double err = Math.fma(a, b, -r);
            int sgn = sign(err);
            boolean tie = false;
            if (sgn != 0 && rm == RMM) {
                double n = sgn > 0 ? Math.nextUp(r) : Math.nextDown(r);
                tie = (n - r) == 2 * err;
            }
            return Double.doubleToRawLongBits(finishD(r, sgn, tie, rm, false));
        }
        return Double.doubleToRawLongBits(roundD(new BigDecimal(a).multiply(new BigDecimal(b)), rm));
    }

    long divD(long ab, long bb, int rm) {
        double a = Double.longBitsToDouble(ab), b = Double.longBitsToDouble(bb);
        if (isNanD(ab) || isNanD(bb)) { if (isSNanD(ab) || isSNanD(bb)) flags |= NV; return CANONICAL_NAN_D; }
        double r = a / b;
        if (Double.isNaN(r)) { flags |= NV; return CANONICAL_NAN_D; }
        if (b == 0) { if (!Double.isInfinite(a)) flags |= DZ; return Double.doubleToRawLongBits(r); }
        if (Double.isInfinite(a) || Double.isInfinite(b) || a == 0) return Double.doubleToRawLongBits(r);
        if (Double.isInfinite(r)) {
            boolean beyond = new BigDecimal(a).abs().compareTo(LIMIT_D.multiply(new BigDecimal(b).abs())) >= 0;
            return Double.doubleToRawLongBits(finishD(r, r > 0 ? -1 : 1, false, rm, true, beyond));
        }
        int sgn;
        if (Math.abs(r) >= 0x1p-960 && Math.abs(a) >= 0x1p-900) {
            sgn = sign(Math.fma(-r, b, a)) * sign(b);
        } else {
            sgn = new BigDecimal(a).subtract(new BigDecimal(r).multiply(new BigDecimal(b))).signum() * sign(b);
        }
        boolean tie = false;
        if (sgn != 0 && rm == RMM && Math.abs(r) < 2 * Double.MIN_NORMAL) { // only a subnormal quotient can be a midpoint
            double n = sgn > 0 ? Math.nextUp(r) : Math.nextDown(r);
            tie = new BigDecimal(a).multiply(BigDecimal.TWO)
                    .compareTo(new BigDecimal(r).add(new BigDecimal(n)).multiply(new BigDecimal(b))) == 0;
        }
        return Double.doubleToRawLongBits(finishD(r, sgn, tie, rm, false));
    }

    long sqrtD(long ab, int rm) {
        double a = Double.longBitsToDouble(ab);
        if (isNanD(ab)) { if (isSNanD(ab)) flags |= NV; return CANONICAL_NAN_D; }
        if (a < 0) { flags |= NV; return CANONICAL_NAN_D; }
        double r = Math.sqrt(a);
        if (a == 0 || Double.isInfinite(a)) return ab;
        int sgn = a >= 0x1p-900 ? sign(Math.fma(-r, r, a))
                : new BigDecimal(a).compareTo(new BigDecimal(r).multiply(new BigDecimal(r)));
        return Double.doubleToRawLongBits(finishD(r, sgn, false, rm, false));
    }

    /** (a * b) + c with one rounding; negProduct and negAddend give fmsub/fnmadd/fnmsub. */
    long fmaD(long ab, long bb, long cb, boolean negProduct, boolean negAddend, int rm) {
        if (negProduct) ab ^= Long.MIN_VALUE;
        if (negAddend) cb ^= Long.MIN_VALUE;
        double a = Double.longBitsToDouble(ab), b = Double.longBitsToDouble(bb), c = Double.longBitsToDouble(cb);
        boolean anyNan = isNanD(ab) || isNanD(bb) || isNanD(cb);
        if (isSNanD(ab) || isSNanD(bb) || isSNanD(cb)) flags |= NV;
        if ((Double.isInfinite(a) && b == 0) || (a == 0 && Double.isInfinite(b))) { flags |= NV; return CANONICAL_NAN_D; }
        if (anyNan) return CANONICAL_NAN_D;
        if (Double.isInfinite(a) || Double.isInfinite(b)) { // the product is infinite (its factors are not zero here)
            boolean prodNeg = (Double.doubleToRawLongBits(a) ^ Double.doubleToRawLongBits(b)) < 0;
            if (Double.isInfinite(c) && (cb < 0) != prodNeg) { flags |= NV; return CANONICAL_NAN_D; }
            return Double.doubleToRawLongBits(prodNeg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        if (Double.isInfinite(c)) return cb; // a finite product, however large, does not change an infinite addend
        BigDecimal exact = new BigDecimal(a).multiply(new BigDecimal(b)).add(new BigDecimal(c));
        if (exact.signum() == 0) {
            boolean prodNeg = (Double.doubleToRawLongBits(a) ^ Double.doubleToRawLongBits(b)) < 0;
            boolean addNeg = cb < 0;
            boolean neg = (a == 0 || b == 0) && c == 0 ? (prodNeg == addNeg ? prodNeg : rm == RDN) : rm == RDN;
            return Double.doubleToRawLongBits(neg ? -0.0 : 0.0);
        }
        return Double.doubleToRawLongBits(roundD(exact, rm));
    }

    // ---------- single precision (computed in double, then rounded once more with the exact error) ----------
    long addS(long ar, long br, int rm) {
        int ab = unbox(ar), bb = unbox(br);
        if (isNanS(ab) || isNanS(bb)) { if (isSNanS(ab) || isSNanS(bb)) flags |= NV; return box(CANONICAL_NAN_S); }
        float a = Float.intBitsToFloat(ab), b = Float.intBitsToFloat(bb);
        double d = (double) a + (double) b; // exact: both have 24 bits and the double has room for the alignment? not always: use TwoSum
        double bv = d - a, av = d - bv;
        double err = (a - av) + (b - bv);
        if (Double.isInfinite(d) || Double.isNaN(d)) {
            float r = a + b;
            if (Float.isNaN(r)) { flags |= NV; return box(CANONICAL_NAN_S); }
            return box(Float.floatToRawIntBits(r));
        }
        if (d == 0) {
            if (a != 0 || b != 0) return box(Float.floatToRawIntBits(rm == RDN ? -0f : 0f));
            boolean neg = rm == RDN ? (ab < 0 || bb < 0) : (ab < 0 && bb < 0);
            return box(Float.floatToRawIntBits(neg ? -0f : 0f));
        }
        return box(Float.floatToRawIntBits(narrowWithError(d, err, rm)));
    }

    /** Rounds d + err (err much smaller than an ulp of d) to single precision. */
    private float narrowWithError(double d, double err, int rm) {
        if (err == 0) return narrow(d, rm);
        float r = (float) d;
        if (Float.isInfinite(r)) return finishS(r, r > 0 ? -1 : 1, false, rm, true, Math.abs(d) > 0x1p128 || (Math.abs(d) == 0x1p128 && sign(err) * sign(d) >= 0));
        double diff = d - r;
        int sgn = diff != 0 ? sign(diff) : sign(err);
        float result = finishS(r, sgn, false, rm, false);
        if (sgn != 0 && Math.abs(result) == Float.MIN_NORMAL) tinyAtMinNormal(result, new BigDecimal(d).add(new BigDecimal(err)), rm, true);
        return result;
    }

    long mulS(long ar, long br, int rm) {
        int ab = unbox(ar), bb = unbox(br);
        if (isNanS(ab) || isNanS(bb)) { if (isSNanS(ab) || isSNanS(bb)) flags |= NV; return box(CANONICAL_NAN_S); }
        float a = Float.intBitsToFloat(ab), b = Float.intBitsToFloat(bb);
        double d = (double) a * (double) b; // exact
        if (Double.isNaN(d)) { flags |= NV; return box(CANONICAL_NAN_S); }
        if (Double.isInfinite(d)) return box(Float.floatToRawIntBits((float) d));
        return box(Float.floatToRawIntBits(narrow(d, rm)));
    }

    long divS(long ar, long br, int rm) {
        int ab = unbox(ar), bb = unbox(br);
        if (isNanS(ab) || isNanS(bb)) { if (isSNanS(ab) || isSNanS(bb)) flags |= NV; return box(CANONICAL_NAN_S); }
        float a = Float.intBitsToFloat(ab), b = Float.intBitsToFloat(bb);
        float q = a / b;
        if (Float.isNaN(q)) { flags |= NV; return box(CANONICAL_NAN_S); }
        if (b == 0) { if (!Float.isInfinite(a)) flags |= DZ; return box(Float.floatToRawIntBits(q)); }
        if (Float.isInfinite(a) || Float.isInfinite(b) || a == 0) return box(Float.floatToRawIntBits(q));
        double d = (double) a / (double) b;
        double err = Math.fma(-d, b, a) * Math.signum(b); // sign of (exact - d)
        return box(Float.floatToRawIntBits(narrowWithError(d, err, rm)));
    }

    long sqrtS(long ar, int rm) {
        int ab = unbox(ar);
        if (isNanS(ab)) { if (isSNanS(ab)) flags |= NV; return box(CANONICAL_NAN_S); }
        float a = Float.intBitsToFloat(ab);
        if (a < 0) { flags |= NV; return box(CANONICAL_NAN_S); }
        if (a == 0 || Float.isInfinite(a)) return box(ab);
        double d = Math.sqrt(a);
        double err = Math.fma(-d, d, a);
        return box(Float.floatToRawIntBits(narrowWithError(d, err, rm)));
    }

    long fmaS(long ar, long br, long cr, boolean negProduct, boolean negAddend, int rm) {
        int ab = unbox(ar), bb = unbox(br), cb = unbox(cr);
        if (negProduct && !isNanS(ab)) ab ^= Integer.MIN_VALUE;
        if (negAddend && !isNanS(cb)) cb ^= Integer.MIN_VALUE;
        float a = Float.intBitsToFloat(ab), b = Float.intBitsToFloat(bb), c = Float.intBitsToFloat(cb);
        boolean anyNan = isNanS(ab) || isNanS(bb) || isNanS(cb);
        if (isSNanS(ab) || isSNanS(bb) || isSNanS(cb)) flags |= NV;
        if ((Float.isInfinite(a) && b == 0) || (a == 0 && Float.isInfinite(b))) { flags |= NV; return box(CANONICAL_NAN_S); }
        if (anyNan) return box(CANONICAL_NAN_S);
        if (Float.isInfinite(a) || Float.isInfinite(b)) {
            boolean prodNeg = (Float.floatToRawIntBits(a) ^ Float.floatToRawIntBits(b)) < 0;
            if (Float.isInfinite(c) && (cb < 0) != prodNeg) { flags |= NV; return box(CANONICAL_NAN_S); }
            return box(Float.floatToRawIntBits(prodNeg ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY));
        }
        if (Float.isInfinite(c)) return box(cb);
        BigDecimal exact = new BigDecimal(a).multiply(new BigDecimal(b)).add(new BigDecimal(c));
        if (exact.signum() == 0) {
            boolean prodNeg = (Float.floatToRawIntBits(a) ^ Float.floatToRawIntBits(b)) < 0;
            boolean addNeg = cb < 0;
            boolean neg;
            if ((a == 0 || b == 0) && c == 0) neg = prodNeg == addNeg ? prodNeg : rm == RDN;
            else neg = rm == RDN;
            return box(Float.floatToRawIntBits(neg ? -0f : 0f));
        }
        return box(Float.floatToRawIntBits(roundS(exact, rm)));
    }

    // ---------- min/max, compare ----------
    long minMaxD(long ab, long bb, boolean max) {
        if (isSNanD(ab) || isSNanD(bb)) flags |= NV;
        boolean an = isNanD(ab), bn = isNanD(bb);
        if (an && bn) return CANONICAL_NAN_D;
        if (an) return bb;
        if (bn) return ab;
        double a = Double.longBitsToDouble(ab), b = Double.longBitsToDouble(bb);
        if (a == b) return max ? (ab & bb) : (ab | bb); // -0 vs +0: sign bit decides
        return (a < b) != max ? ab : bb;
    }

    long minMaxS(long ar, long br, boolean max) {
        int ab = unbox(ar), bb = unbox(br);
        if (isSNanS(ab) || isSNanS(bb)) flags |= NV;
        boolean an = isNanS(ab), bn = isNanS(bb);
        if (an && bn) return box(CANONICAL_NAN_S);
        if (an) return box(bb);
        if (bn) return box(ab);
        float a = Float.intBitsToFloat(ab), b = Float.intBitsToFloat(bb);
        if (a == b) return box(max ? (ab & bb) : (ab | bb));
        return box((a < b) != max ? ab : bb);
    }

    /** op: 0 le, 1 lt, 2 eq. */
    long compareD(long ab, long bb, int op) {
        boolean an = isNanD(ab), bn = isNanD(bb);
        if (an || bn) {
            if (op != 2 || isSNanD(ab) || isSNanD(bb)) flags |= NV;
            return 0;
        }
        double a = Double.longBitsToDouble(ab), b = Double.longBitsToDouble(bb);
        return switch (op) { case 0 -> a <= b ? 1 : 0; case 1 -> a < b ? 1 : 0; default -> a == b ? 1 : 0; };
    }

    long compareS(long ar, long br, int op) {
        int ab = unbox(ar), bb = unbox(br);
        boolean an = isNanS(ab), bn = isNanS(bb);
        if (an || bn) {
            if (op != 2 || isSNanS(ab) || isSNanS(bb)) flags |= NV;
            return 0;
        }
        float a = Float.intBitsToFloat(ab), b = Float.intBitsToFloat(bb);
        return switch (op) { case 0 -> a <= b ? 1 : 0; case 1 -> a < b ? 1 : 0; default -> a == b ? 1 : 0; };
    }

    // ---------- conversions ----------
    long dToS(long ab, int rm) {
        if (isNanD(ab)) { if (isSNanD(ab)) flags |= NV; return box(CANONICAL_NAN_S); }
        double d = Double.longBitsToDouble(ab);
        if (Double.isInfinite(d) || d == 0) return box(Float.floatToRawIntBits((float) d));
        return box(Float.floatToRawIntBits(narrow(d, rm)));
    }

    long sToD(long ar) {
        int ab = unbox(ar);
        if (isNanS(ab)) { if (isSNanS(ab)) flags |= NV; return CANONICAL_NAN_D; }
        return Double.doubleToRawLongBits(Float.intBitsToFloat(ab));
    }

    private static double roundToIntegral(double v, int rm) {
        return switch (rm) {
            case RTZ -> v < 0 ? Math.ceil(v) : Math.floor(v);
            case RDN -> Math.floor(v);
            case RUP -> Math.ceil(v);
            case RMM -> {
                double t = v < 0 ? Math.ceil(v) : Math.floor(v);
                yield Math.abs(v - t) >= 0.5 ? t + Math.signum(v) : t;
            }
            default -> Math.rint(v);
        };
    }

    /** Float to integer: kind 0 w, 1 wu, 2 l, 3 lu. {@code nan} says the input was a NaN. */
    long toInt(double v, boolean nan, int kind, int rm) {
        if (nan) {
            flags |= NV;
            return switch (kind) { case 0 -> 0x7fffffffL; case 1 -> -1L; case 2 -> Long.MAX_VALUE; default -> -1L; };
        }
        double r = roundToIntegral(v, rm);
        long result;
        switch (kind) {
            case 0 -> {
                if (r < -0x1p31 || r > 0x1p31 - 1) { flags |= NV; return v < 0 ? -0x80000000L : 0x7fffffffL; }
                result = (long) r;
            }
            case 1 -> {
                if (r < 0 || r > 0x1p32 - 1) { if (!(r == 0)) { flags |= NV; return v < 0 ? 0 : -1L; } }
                result = (int) (long) r;
            }
            case 2 -> {
                if (r < -0x1p63 || r >= 0x1p63) { flags |= NV; return v < 0 ? Long.MIN_VALUE : Long.MAX_VALUE; }
                result = (long) r;
            }
            default -> {
                if (r < 0 || r >= 0x1p64) { if (!(r == 0)) { flags |= NV; return v < 0 ? 0 : -1L; } }
                result = r >= 0x1p63 ? ((long) (r - 0x1p63)) ^ Long.MIN_VALUE : (long) r;
            }
        }
        if (r != v) flags |= NX;
        return result;
    }

    /** Integer to double: kind 0 w, 1 wu, 2 l, 3 lu; {@code v} holds the source register. */
    long fromIntD(long v, int kind, int rm) {
        BigDecimal exact;
        switch (kind) {
            case 0 -> { return Double.doubleToRawLongBits((double) (int) v); }
            case 1 -> { return Double.doubleToRawLongBits((double) (v & 0xffffffffL)); }
            case 2 -> { if (Math.abs(v) < (1L << 53)) return Double.doubleToRawLongBits((double) v); exact = BigDecimal.valueOf(v); }
            default -> { if (v >= 0 && v < (1L << 53)) return Double.doubleToRawLongBits((double) v); exact = new BigDecimal(Long.toUnsignedString(v)); }
        }
        return Double.doubleToRawLongBits(roundD(exact, rm));
    }

    long fromIntS(long v, int kind, int rm) {
        long val;
        switch (kind) {
            case 0 -> val = (int) v;
            case 1 -> val = v & 0xffffffffL;
            case 2 -> val = v;
            default -> {
                if (v < 0) return box(Float.floatToRawIntBits(roundS(new BigDecimal(Long.toUnsignedString(v)), rm)));
                val = v;
            }
        }
        if (val >= -(1 << 24) && val <= (1 << 24)) return box(Float.floatToRawIntBits((float) val));
        return box(Float.floatToRawIntBits(roundS(BigDecimal.valueOf(val), rm)));
    }
}
