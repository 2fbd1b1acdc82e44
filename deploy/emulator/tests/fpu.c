/* F and D: every arithmetic, conversion, compare, sign and move instruction, in every rounding mode, over
 * special and random operands. Prints a hash of (result bits, fflags) per instruction and rounding mode,
 * compared against QEMU by the differential test; a few known IEEE results are checked here too. */
#include "lib/trap.h"

#define NV 48
static u64 dv[NV] = {
  0x0000000000000000UL, 0x8000000000000000UL, 0x3ff0000000000000UL, 0xbff0000000000000UL, 0x3ff8000000000000UL,
  0x4000000000000000UL, 0x3fb999999999999aUL, 0x3fd5555555555555UL, 0x7fefffffffffffffUL, 0xffefffffffffffffUL,
  0x0010000000000000UL, 0x0000000000000001UL, 0x000fffffffffffffUL, 0x7ff0000000000000UL, 0xfff0000000000000UL,
  0x7ff8000000000000UL, 0x7ff4000000000000UL, 0x4340000000000000UL, 0x4340000000000001UL, 0x41dfffffffc00000UL,
  0xc1e0000000000000UL, 0x43e0000000000000UL, 0x3fe0000000000000UL, 0xbfe8000000000000UL, 0x4004000000000000UL};
static u64 sv[NV] = {
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40000000, 0x3dcccccd, 0x3eaaaaab, 0x7f7fffff,
  0xff7fffff, 0x00800000, 0x00000001, 0x007fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000, 0x4b800000,
  0x4b800001, 0x4effffff, 0xcf000000, 0x5f000000, 0x3f000000, 0xbf400000, 0x40200000};
static u64 iv[16] = {0, 1, -1UL, 2, 0x7fffffffUL, 0x80000000UL, 0xffffffffUL, 0x7fffffffffffffffUL, 0x8000000000000000UL,
  0x20000001UL, 0x1000001UL, 0x20000000000001UL, 0xfffffffffffff801UL, 123456789, -987654321UL, 0x123456789abcdefUL};

#define LINE(name, h) do { puts_(name " "); puthex(h); putc_('\n'); } while (0)
#define DYN_RM 2

/* two-operand ops with a rounding mode, double */
#define D2(op, rm) do { u64 h = FNV_START; for (int i = 0; i < NV; i++) for (int j = 0; j < NV; j++) { u64 r, fl; \
  asm volatile("csrw fflags, zero\n fmv.d.x ft0, %2\n fmv.d.x ft1, %3\n " #op " ft2, ft0, ft1" rm "\n fmv.x.d %0, ft2\n csrr %1, fflags" \
    : "=r"(r), "=r"(fl) : "r"(dv[i]), "r"(dv[j]) : "ft0", "ft1", "ft2"); h = mix(mix(h, r), fl); } LINE(#op " " rm, h); } while (0)
#define S2(op, rm) do { u64 h = FNV_START; for (int i = 0; i < NV; i++) for (int j = 0; j < NV; j++) { u64 r, fl; \
  asm volatile("csrw fflags, zero\n fmv.w.x ft0, %2\n fmv.w.x ft1, %3\n " #op " ft2, ft0, ft1" rm "\n fmv.x.d %0, ft2\n csrr %1, fflags" \
    : "=r"(r), "=r"(fl) : "r"(sv[i]), "r"(sv[j]) : "ft0", "ft1", "ft2"); h = mix(mix(h, r), fl); } LINE(#op " " rm, h); } while (0)
/* two-operand ops without rounding mode */
#define D2N(op, fmv, vals) do { u64 h = FNV_START; for (int i = 0; i < NV; i++) for (int j = 0; j < NV; j++) { u64 r, fl; \
  asm volatile("csrw fflags, zero\n " fmv " ft0, %2\n " fmv " ft1, %3\n " #op " ft2, ft0, ft1\n fmv.x.d %0, ft2\n csrr %1, fflags" \
    : "=r"(r), "=r"(fl) : "r"(vals[i]), "r"(vals[j]) : "ft0", "ft1", "ft2"); h = mix(mix(h, r), fl); } LINE(#op, h); } while (0)
/* compares: result in an integer register */
#define CMP(op, fmv, vals) do { u64 h = FNV_START; for (int i = 0; i < NV; i++) for (int j = 0; j < NV; j++) { u64 r, fl; \
  asm volatile("csrw fflags, zero\n " fmv " ft0, %2\n " fmv " ft1, %3\n " #op " %0, ft0, ft1\n csrr %1, fflags" \
    : "=r"(r), "=r"(fl) : "r"(vals[i]), "r"(vals[j]) : "ft0", "ft1"); h = mix(mix(h, r), fl); } LINE(#op, h); } while (0)
/* one operand, float result, with rounding mode */
#define F1(op, fmv, vals, rm) do { u64 h = FNV_START; for (int i = 0; i < NV; i++) { u64 r, fl; \
  asm volatile("csrw fflags, zero\n " fmv " ft0, %2\n " #op " ft2, ft0" rm "\n fmv.x.d %0, ft2\n csrr %1, fflags" \
    : "=r"(r), "=r"(fl) : "r"(vals[i]) : "ft0", "ft2"); h = mix(mix(h, r), fl); } LINE(#op " " rm, h); } while (0)
/* one operand, integer result, with rounding mode */
#define TOI(op, fmv, vals, rm) do { u64 h = FNV_START; for (int i = 0; i < NV; i++) { u64 r, fl; \
  asm volatile("csrw fflags, zero\n " fmv " ft0, %2\n " #op " %0, ft0" rm "\n csrr %1, fflags" \
    : "=r"(r), "=r"(fl) : "r"(vals[i]) : "ft0"); h = mix(mix(h, r), fl); } LINE(#op " " rm, h); } while (0)
/* integer to float, with rounding mode */
#define FROMI(op, rm) do { u64 h = FNV_START; for (int i = 0; i < 16; i++) { u64 r, fl; \
  asm volatile("csrw fflags, zero\n " #op " ft2, %2" rm "\n fmv.x.d %0, ft2\n csrr %1, fflags" \
    : "=r"(r), "=r"(fl) : "r"(iv[i]) : "ft2"); h = mix(mix(h, r), fl); } LINE(#op " " rm, h); } while (0)
#define FMA_N 14
#define F3(op, fmv, vals, rm) do { u64 h = FNV_START; for (int i = 0; i < FMA_N; i++) for (int j = 0; j < FMA_N; j++) for (int k = 0; k < FMA_N; k++) { \
  u64 r, fl; asm volatile("csrw fflags, zero\n " fmv " ft0, %2\n " fmv " ft1, %3\n " fmv " ft3, %4\n " #op " ft2, ft0, ft1, ft3" rm "\n fmv.x.d %0, ft2\n csrr %1, fflags" \
    : "=r"(r), "=r"(fl) : "r"(vals[i * 2 % NV]), "r"(vals[(j * 3 + 1) % NV]), "r"(vals[(k * 5 + 2) % NV]) : "ft0", "ft1", "ft2", "ft3"); h = mix(mix(h, r), fl); } LINE(#op " " rm, h); } while (0)

#define ALL_RM(M, ...) do { M(__VA_ARGS__, ", rne"); M(__VA_ARGS__, ", rtz"); M(__VA_ARGS__, ", rdn"); M(__VA_ARGS__, ", rup"); M(__VA_ARGS__, ", rmm"); M(__VA_ARGS__, ", dyn"); } while (0)

static u64 fadd_d(u64 a, u64 b, u64 *flags) {
  u64 r; asm volatile("csrw fflags, zero\n fmv.d.x ft0, %2\n fmv.d.x ft1, %3\n fadd.d ft2, ft0, ft1\n fmv.x.d %0, ft2\n csrr %1, fflags"
    : "=r"(r), "=r"(*flags) : "r"(a), "r"(b) : "ft0", "ft1", "ft2"); return r;
}

static void known_results(void) {
  u64 fl, r;
  csrw(frm, 0);
  r = fadd_d(0x3ff0000000000000UL, 0x3ca0000000000000UL, &fl);   /* 1 + 2^-53: tie, to even */
  CHECK(r == 0x3ff0000000000000UL && fl == 1);
  r = fadd_d(0x7ff0000000000000UL, 0xfff0000000000000UL, &fl);   /* inf - inf: invalid, canonical NaN */
  CHECK(r == 0x7ff8000000000000UL && fl == 16);
  r = fadd_d(0x7fefffffffffffffUL, 0x7fefffffffffffffUL, &fl);   /* overflow */
  CHECK(r == 0x7ff0000000000000UL && fl == 5);
  asm volatile("csrw fflags, zero\n fmv.d.x ft0, %2\n fmv.d.x ft1, %3\n fdiv.d ft2, ft0, ft1\n fmv.x.d %0, ft2\n csrr %1, fflags"
    : "=r"(r), "=r"(fl) : "r"(0x3ff0000000000000UL), "r"(0UL) : "ft0", "ft1", "ft2");
  CHECK(r == 0x7ff0000000000000UL && fl == 8);                    /* 1/0: divide by zero */
  asm volatile("fmv.d.x ft0, %1\n fadd.s ft1, ft0, ft0\n fmv.x.d %0, ft1" : "=r"(r) : "r"(0x3ff0000000000000UL) : "ft0", "ft1");
  CHECK(r == 0xffffffff7fc00000UL);                               /* an unboxed single reads as the canonical NaN */
  asm volatile("fmv.w.x ft0, %1\n fmv.x.w %0, ft0" : "=r"(r) : "r"(0x80000000UL) : "ft0");
  CHECK(r == 0xffffffff80000000UL);                               /* fmv.x.w sign-extends */
  asm volatile("csrw fflags, zero\n fmv.d.x ft0, %2\n fcvt.w.d %0, ft0, rtz\n csrr %1, fflags" : "=r"(r), "=r"(fl) : "r"(0x41e0000000000000UL) : "ft0");
  CHECK(r == 0x7fffffffUL && fl == 16);                           /* 2^31 does not fit: saturates, invalid */
  asm volatile("csrw fflags, zero\n fmv.d.x ft0, %2\n fcvt.l.d %0, ft0, rmm\n csrr %1, fflags" : "=r"(r), "=r"(fl) : "r"(0xc004000000000000UL) : "ft0");
  CHECK(r == -3UL && fl == 1);                                    /* -2.5 rounds away from zero */
  u64 st = csrr(mstatus);
  CHECK(((st >> 13) & 3) == 3 && (st >> 63) == 1);                /* FS dirty, SD set */
  csrw(fcsr, 0xff);
  CHECK(csrr(frm) == 7 && csrr(fflags) == 31);
  csrw(fcsr, 0);
}

static void loads_stores(void) {
  static u64 m[4] __attribute__((aligned(8))) = {0x400921fb54442d18UL, 0x40490fdb, 0, 0};
  u64 r1, r2;
  asm volatile("fld ft0, 0(%2)\n fsd ft0, 16(%2)\n flw ft1, 8(%2)\n fsw ft1, 24(%2)\n fmv.x.d %0, ft1\n fmv.x.d %1, ft0"
    : "=r"(r1), "=r"(r2) : "r"(m) : "ft0", "ft1", "memory");
  CHECK(r1 == 0xffffffff40490fdbUL && r2 == m[0] && m[2] == m[0] && m[3] == 0x40490fdbUL);
}

int main(void) {
  u64 seed = 12345;
  for (int i = 25; i < NV; i++) {
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    u64 x = seed >> 11;
    if (i < 36) {      /* near 1: ordinary rounding */
      dv[i] = (x & 0x800fffffffffffffUL) | ((0x3c0UL + (x % 0x80)) << 52);
      sv[i] = (x & 0x807fffffUL) | ((0x70UL + (x % 0x20)) << 23);
    } else {           /* any bit pattern: huge, tiny, subnormal, NaN payloads */
      u64 y = seed ^ (seed >> 29) ^ (seed << 17);
      dv[i] = y;
      sv[i] = y & 0xffffffffUL;
    }
  }
  csrw(frm, DYN_RM);
  ALL_RM(D2, fadd.d); ALL_RM(D2, fsub.d); ALL_RM(D2, fmul.d); ALL_RM(D2, fdiv.d);
  ALL_RM(S2, fadd.s); ALL_RM(S2, fsub.s); ALL_RM(S2, fmul.s); ALL_RM(S2, fdiv.s);
  ALL_RM(F1, fsqrt.d, "fmv.d.x", dv); ALL_RM(F1, fsqrt.s, "fmv.w.x", sv);
  ALL_RM(F1, fcvt.s.d, "fmv.d.x", dv); F1(fcvt.d.s, "fmv.w.x", sv, "");
  D2N(fmin.d, "fmv.d.x", dv); D2N(fmax.d, "fmv.d.x", dv); D2N(fsgnj.d, "fmv.d.x", dv); D2N(fsgnjn.d, "fmv.d.x", dv); D2N(fsgnjx.d, "fmv.d.x", dv);
  D2N(fmin.s, "fmv.w.x", sv); D2N(fmax.s, "fmv.w.x", sv); D2N(fsgnj.s, "fmv.w.x", sv); D2N(fsgnjn.s, "fmv.w.x", sv); D2N(fsgnjx.s, "fmv.w.x", sv);
  CMP(feq.d, "fmv.d.x", dv); CMP(flt.d, "fmv.d.x", dv); CMP(fle.d, "fmv.d.x", dv);
  CMP(feq.s, "fmv.w.x", sv); CMP(flt.s, "fmv.w.x", sv); CMP(fle.s, "fmv.w.x", sv);
  ALL_RM(TOI, fcvt.w.d, "fmv.d.x", dv); ALL_RM(TOI, fcvt.wu.d, "fmv.d.x", dv); ALL_RM(TOI, fcvt.l.d, "fmv.d.x", dv); ALL_RM(TOI, fcvt.lu.d, "fmv.d.x", dv);
  ALL_RM(TOI, fcvt.w.s, "fmv.w.x", sv); ALL_RM(TOI, fcvt.wu.s, "fmv.w.x", sv); ALL_RM(TOI, fcvt.l.s, "fmv.w.x", sv); ALL_RM(TOI, fcvt.lu.s, "fmv.w.x", sv);
  FROMI(fcvt.d.w, ""); FROMI(fcvt.d.wu, ""); ALL_RM(FROMI, fcvt.d.l); ALL_RM(FROMI, fcvt.d.lu);
  ALL_RM(FROMI, fcvt.s.w); ALL_RM(FROMI, fcvt.s.wu); ALL_RM(FROMI, fcvt.s.l); ALL_RM(FROMI, fcvt.s.lu);
  { u64 h = FNV_START; for (int i = 0; i < NV; i++) { u64 r; asm volatile("fmv.d.x ft0, %1\n fclass.d %0, ft0" : "=r"(r) : "r"(dv[i]) : "ft0"); h = mix(h, r); } LINE("fclass.d", h); }
  { u64 h = FNV_START; for (int i = 0; i < NV; i++) { u64 r; asm volatile("fmv.w.x ft0, %1\n fclass.s %0, ft0" : "=r"(r) : "r"(sv[i]) : "ft0"); h = mix(h, r); } LINE("fclass.s", h); }
  { u64 h = FNV_START; for (int i = 0; i < NV; i++) { u64 r; asm volatile("fmv.d.x ft0, %1\n fmv.x.w %0, ft0" : "=r"(r) : "r"(dv[i]) : "ft0"); h = mix(h, r); } LINE("fmv.x.w", h); }
  ALL_RM(F3, fmadd.d, "fmv.d.x", dv); ALL_RM(F3, fmsub.d, "fmv.d.x", dv); ALL_RM(F3, fnmadd.d, "fmv.d.x", dv); ALL_RM(F3, fnmsub.d, "fmv.d.x", dv);
  ALL_RM(F3, fmadd.s, "fmv.w.x", sv); ALL_RM(F3, fmsub.s, "fmv.w.x", sv); ALL_RM(F3, fnmadd.s, "fmv.w.x", sv); ALL_RM(F3, fnmsub.s, "fmv.w.x", sv);
  loads_stores();
  known_results();
  puts_(failures ? "fpu: FAILED\n" : "fpu: ok\n");
  return failures;
}
