/* Random instruction streams: integer R/I-type, shifts, LUI/AUIPC and compressed ALU instructions with random
 * fields (illegal combinations included: they trap and are counted), generated into a code buffer, run, and
 * their register results hashed. The differential test compares the hashes with QEMU's. */
#include "lib/trap.h"

static u32 code[256] __attribute__((aligned(64)));
static u64 out[24];
static u64 seed = 0x243f6a8885a308d3UL;
static u64 rnd(void) { seed = seed * 6364136223846793005UL + 1442695040888963407UL; return seed ^ (seed >> 31); }

/* registers the generated code may write: t0-t2, a1-a7, t3-t6, s0, s1 (a0 holds the result array) */
static const int safe[] = {5, 6, 7, 11, 12, 13, 14, 15, 16, 17, 28, 29, 30, 31, 8, 9};
#define NSAFE 16

static unsigned short *p;
static void emit32(u32 w) { p[0] = w & 0xffff; p[1] = w >> 16; p += 2; }
static void emit16(u32 h) { *p++ = h; }
static u32 itype(int imm, int rs1, int f3, int rd, int op) { return ((u32) (imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op; }
static u32 sd(int rs2, int rs1, int imm) { return ((u32) ((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (3 << 12) | ((imm & 31) << 7) | 0x23; }

static int reg(void) { return safe[rnd() % NSAFE]; }
static int anyreg(void) { return rnd() % 32; }

static void gen_one(void) {
  u64 r = rnd();
  switch (r % 8) {
    case 0: case 1: {                       /* OP / OP-32 with random funct3/funct7 */
      static const u32 f7s[] = {0, 0x20, 1, 0x20, 0};
      u32 op = (r >> 3) & 1 ? 0x33 : 0x3b;
      emit32((f7s[(r >> 4) % 5] << 25) | (anyreg() << 20) | (anyreg() << 15) | (((r >> 8) & 7) << 12) | (reg() << 7) | op);
      break;
    }
    case 2: case 3: {                       /* OP-IMM / OP-IMM-32 with random immediate (shift encodings may be illegal) */
      u32 op = (r >> 3) & 1 ? 0x13 : 0x1b;
      emit32(itype((int) (r >> 20), anyreg(), (r >> 8) & 7, reg(), op));
      break;
    }
    case 4:                                 /* LUI / AUIPC */
      emit32((u32) (r >> 32) & 0xfffff000u | (reg() << 7) | ((r >> 3) & 1 ? 0x37 : 0x17));
      break;
    default: {                              /* compressed ALU forms with random fields */
      u32 h = (u32) (r >> 16) & 0xffff;
      u32 q = (r >> 40) % 3;
      if (q == 0) {                         /* quadrant 1: c.addi, c.addiw, c.li, c.lui, misc-alu */
        static const u32 f3s[] = {0, 1, 2, 3, 4};
        u32 f3 = f3s[(r >> 44) % 5];
        h = (h & 0x1ffc & ~(31 << 7)) | (f3 << 13) | 1;
        if (f3 == 4) h |= (8 + (rnd() % 2)) << 7 & (7 << 7);   /* rd' = s0 or s1 */
        else h |= reg() << 7;
        if (f3 == 3 && ((h >> 7) & 31) == 2) h ^= 1 << 7;      /* never c.addi16sp */
      } else {                              /* quadrant 2: c.slli, c.mv, c.add (rs2 != 0) */
        u32 f3 = (r >> 44) & 1 ? 0 : 4;
        u32 rs2 = 1 + rnd() % 31;
        h = ((h & 0x1000) | (f3 << 13) | (reg() << 7) | (rs2 << 2) | 2);
        if (f3 == 0) h = (h & ~(31 << 2)) | ((rnd() & 31) << 2);
      }
      if ((h & 3) == 3) h &= ~1u;
      emit16(h);
      break;
    }
  }
}

static void run_one(int n) {
  p = (unsigned short *) code;
  emit32(0xff010113);                       /* addi sp, sp, -16 */
  emit32(0x00813023);                       /* sd s0, 0(sp) */
  emit32(0x00913423);                       /* sd s1, 8(sp) */
  for (int i = 0; i < NSAFE; i++) emit32(itype((int) rnd(), 0, 0, safe[i], 0x13)); /* li reg, random */
  for (int i = 0; i < n; i++) gen_one();
  for (int i = 0; i < NSAFE; i++) emit32(sd(safe[i], 10, 8 * i));
  emit32(0x00013403);                       /* ld s0, 0(sp) */
  emit32(0x00813483);                       /* ld s1, 8(sp) */
  emit32(0x01010113);                       /* addi sp, sp, 16 */
  emit32(0x00008067);                       /* ret */
  asm volatile("fence.i" ::: "memory");
  ((void (*)(u64 *)) code)(out);
}

int main(void) {
  u64 total = FNV_START;
  for (int round = 0; round < 40; round++) {
    u64 h = FNV_START;
    for (int k = 0; k < 50; k++) {
      m_count = 0;
      run_one(24);
      for (int i = 0; i < NSAFE; i++) h = mix(h, out[i]);
      h = mix(h, m_count);
    }
    puts_("round "); putdec(round); putc_(' '); puthex(h); putc_('\n');
    total = mix(total, h);
  }
  puts_("fuzz total "); puthex(total); putc_('\n');
  puts_("fuzz: ok\n");
  return 0;
}
