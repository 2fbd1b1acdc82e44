/* RV64I, M, A and C: every computational instruction over a grid of operands. Prints one hash per
 * instruction (compared against QEMU by the differential test) and checks known results itself. */
#include "lib/trap.h"

static u64 vals[40] = {0, 1, 2, -1UL, -2UL, 0x7fffffffffffffffUL, 0x8000000000000000UL, 0x7fffffffUL, 0x80000000UL,
  0xffffffffUL, 0x100000000UL, 0x123456789abcdef0UL, 0xfedcba9876543210UL, 63, 64, 31, 32, 0x5555555555555555UL,
  0xaaaaaaaaaaaaaaaaUL, 3, -3UL, 7, 1000000007, 0xffffffff80000000UL};
static int nvals = 24;

#define LINE(name, h) do { puts_(name " "); puthex(h); putc_('\n'); } while (0)
#define ROP(op) do { u64 h = FNV_START; for (int i = 0; i < nvals; i++) for (int j = 0; j < nvals; j++) { u64 r; \
  asm volatile(#op " %0, %1, %2" : "=r"(r) : "r"(vals[i]), "r"(vals[j])); h = mix(h, r); } LINE(#op, h); } while (0)
#define IOP1(op, imm, h) do { for (int i = 0; i < nvals; i++) { u64 r; asm volatile(#op " %0, %1, " #imm : "=r"(r) : "r"(vals[i])); h = mix(h, r); } } while (0)
#define IOP(op, a, b, c, d, e) do { u64 h = FNV_START; IOP1(op, a, h); IOP1(op, b, h); IOP1(op, c, h); IOP1(op, d, h); IOP1(op, e, h); LINE(#op, h); } while (0)

static u64 op2(u64 a, u64 b, int which) {
  u64 r = 0;
  switch (which) {
    case 0: asm volatile("div %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); break;
    case 1: asm volatile("rem %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); break;
    case 2: asm volatile("divu %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); break;
    case 3: asm volatile("remu %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); break;
    case 4: asm volatile("mulh %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); break;
    case 5: asm volatile("mulhu %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); break;
    case 6: asm volatile("mulhsu %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); break;
    case 7: asm volatile("divw %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); break;
    case 8: asm volatile("remuw %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); break;
  }
  return r;
}

static void known_results(void) {
  CHECK(op2(5, 0, 0) == -1UL);
  CHECK(op2(5, 0, 1) == 5);
  CHECK(op2(5, 0, 2) == -1UL);
  CHECK(op2(5, 0, 3) == 5);
  CHECK(op2(0x8000000000000000UL, -1UL, 0) == 0x8000000000000000UL);
  CHECK(op2(0x8000000000000000UL, -1UL, 1) == 0);
  CHECK(op2(-1UL, -1UL, 4) == 0);
  CHECK(op2(-1UL, -1UL, 5) == -2UL);
  CHECK(op2(-1UL, -1UL, 6) == -1UL);
  CHECK(op2(0x80000000UL, -1UL, 7) == 0xffffffff80000000UL);
  CHECK(op2(7, 0, 8) == 7);
  u64 r;
  asm volatile("lui %0, 0x80000" : "=r"(r)); CHECK(r == 0xffffffff80000000UL);
  asm volatile("addiw %0, %1, 1" : "=r"(r) : "r"(0x7fffffffUL)); CHECK(r == 0xffffffff80000000UL);
  asm volatile("sraiw %0, %1, 4" : "=r"(r) : "r"(0x80000000UL)); CHECK(r == 0xfffffffff8000000UL);
  asm volatile("srliw %0, %1, 4" : "=r"(r) : "r"(0xffffffff80000000UL)); CHECK(r == 0x08000000UL);
  asm volatile("sltiu %0, %1, -1" : "=r"(r) : "r"(5UL)); CHECK(r == 1);
  asm volatile("sra %0, %1, %2" : "=r"(r) : "r"(0x8000000000000000UL), "r"(127UL)); CHECK(r == -1UL);
  u64 here, link;
  asm volatile("auipc %0, 0\n jal %1, 1f\n 1:" : "=r"(here), "=r"(link));
  CHECK(link == here + 8);
  asm volatile("la t0, 1f\n addi t0, t0, 1\n jalr %0, 0(t0)\n nop\n 1: nop\n" : "=r"(link) :: "t0"); /* jalr clears bit 0 */
  CHECK(link != 0);
}

static void loads_stores(void) {
  static unsigned char buf[64] __attribute__((aligned(16)));
  for (int i = 0; i < 64; i++) buf[i] = 0x80 + i * 7;
  u64 h = FNV_START;
  for (int off = 0; off < 16; off++) {
    u64 a = (u64) buf + off, v;
    asm volatile("lb %0, 0(%1)" : "=r"(v) : "r"(a)); h = mix(h, v);
    asm volatile("lbu %0, 0(%1)" : "=r"(v) : "r"(a)); h = mix(h, v);
    asm volatile("lh %0, 0(%1)" : "=r"(v) : "r"(a)); h = mix(h, v);
    asm volatile("lhu %0, 0(%1)" : "=r"(v) : "r"(a)); h = mix(h, v);
    asm volatile("lw %0, 0(%1)" : "=r"(v) : "r"(a)); h = mix(h, v);
    asm volatile("lwu %0, 0(%1)" : "=r"(v) : "r"(a)); h = mix(h, v);
    asm volatile("ld %0, 0(%1)" : "=r"(v) : "r"(a)); h = mix(h, v);
  }
  LINE("loads", h);
  /* misaligned loads and stores work (no trap) */
  u64 v;
  asm volatile("ld %0, 1(%1)" : "=r"(v) : "r"(buf));
  u64 expect = 0; for (int i = 8; i >= 1; i--) expect = (expect << 8) | buf[i];
  CHECK(v == expect);
  h = FNV_START;
  for (int off = 0; off < 8; off++) {
    u64 a = (u64) buf + 32 + off;
    asm volatile("sd %1, 0(%0)\n sw %2, 8(%0)\n sh %3, 12(%0)\n sb %4, 14(%0)" :: "r"(a), "r"(0x1122334455667788UL),
                 "r"(0x99aabbccUL), "r"(0xddeeUL), "r"(0xffUL) : "memory");
    for (int i = 32; i < 56; i++) h = mix(h, buf[i]);
  }
  LINE("stores", h);
  asm volatile("sw %1, 3(%0)" :: "r"(buf), "r"(0xa1b2c3d4UL) : "memory");
  CHECK(buf[3] == 0xd4 && buf[4] == 0xc3 && buf[5] == 0xb2 && buf[6] == 0xa1);
}

static void branches(void) {
  u64 h = FNV_START;
  for (int i = 0; i < nvals; i++) for (int j = 0; j < nvals; j++) {
    u64 a = vals[i], b = vals[j], bits = 0, t;
#define BR(op, bit) asm volatile("li %0, 0\n " #op " %1, %2, 1f\n li %0, 1\n 1:" : "=&r"(t) : "r"(a), "r"(b)); bits |= t << bit;
    BR(beq, 0) BR(bne, 1) BR(blt, 2) BR(bge, 3) BR(bltu, 4) BR(bgeu, 5)
    h = mix(h, bits);
  }
  LINE("branches", h);
  CHECK(({ u64 t; asm volatile("li %0, 0\n bltu %1, %2, 1f\n li %0, 1\n 1:" : "=&r"(t) : "r"(1UL), "r"(-1UL)); t == 0; }));
}

static void atomics(void) {
  static u64 cell __attribute__((aligned(8)));
  u64 h = FNV_START;
  for (int i = 0; i < nvals; i++) for (int j = 0; j < nvals; j++) {
    u64 old;
#define AMO(op) cell = vals[i]; asm volatile(#op " %0, %2, (%1)" : "=r"(old) : "r"(&cell), "r"(vals[j]) : "memory"); h = mix(mix(h, old), cell);
    AMO(amoadd.d) AMO(amoswap.d) AMO(amoxor.d) AMO(amoand.d) AMO(amoor.d) AMO(amomin.d) AMO(amomax.d) AMO(amominu.d) AMO(amomaxu.d)
    AMO(amoadd.w) AMO(amoswap.w) AMO(amoxor.w) AMO(amoand.w) AMO(amoor.w) AMO(amomin.w) AMO(amomax.w) AMO(amominu.w) AMO(amomaxu.w)
    AMO(amoadd.d.aqrl) AMO(amoswap.w.aq) AMO(amoor.d.rl)
  }
  LINE("amo", h);
  u64 v, fail;
  cell = 41;
  asm volatile("lr.d %0, (%2)\n addi %0, %0, 1\n sc.d %1, %0, (%2)" : "=&r"(v), "=&r"(fail) : "r"(&cell) : "memory");
  CHECK(fail == 0 && cell == 42);
  asm volatile("sc.d %0, %1, (%2)" : "=&r"(fail) : "r"(7UL), "r"(&cell) : "memory");
  CHECK(fail != 0 && cell == 42);
  static unsigned int w = 0x80000000u;
  asm volatile("lr.w %0, (%2)\n sc.w %1, %3, (%2)" : "=&r"(v), "=&r"(fail) : "r"(&w), "r"(5UL) : "memory");
  CHECK(v == 0xffffffff80000000UL && fail == 0 && w == 5);
}

static void compressed(void) {
  static u64 mem[4] __attribute__((aligned(8))) = {0x0123456789abcdefUL, 0xfedcba9876543210UL, 0, 0};
  u64 r[6];
  asm volatile(
    "c.li a0, 5\n c.addi a0, -3\n c.slli a0, 60\n c.srai a0, 3\n c.mv a1, a0\n c.add a1, a0\n c.addiw a1, 7\n"
    "c.lui a2, 0x1f\n c.srli a2, 2\n c.andi a2, -9\n c.mv a3, %[m]\n c.ld a4, 0(a3)\n c.lw a5, 8(a3)\n"
    "c.sub a4, a5\n c.xor a4, a0\n c.or a4, a1\n c.and a4, a2\n c.subw a5, a1\n c.addw a5, a0\n"
    "c.sd a4, 16(a3)\n c.sw a5, 24(a3)\n c.nop\n"
    "c.addi16sp sp, -64\n c.sdsp a4, 8(sp)\n c.swsp a5, 16(sp)\n c.ldsp s1, 8(sp)\n c.lwsp s0, 16(sp)\n"
    "c.addi4spn a3, sp, 24\n sub a3, a3, sp\n c.addi16sp sp, 64\n"
    "mv a4, %[m]\n c.fld fa0, 0(a4)\n c.fsd fa0, 24(a4)\n addi sp, sp, -16\n c.fsdsp fa0, 0(sp)\n c.fldsp fa1, 0(sp)\n addi sp, sp, 16\n"
    "fmv.x.d a0, fa1\n"
    "mv %0, a0\n mv %1, a1\n mv %2, a2\n mv %3, a3\n mv %4, s1\n mv %5, s0\n"
    : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]), "=r"(r[4]), "=r"(r[5])
    : [m] "r"(mem) : "a0", "a1", "a2", "a3", "a4", "a5", "s0", "s1", "fa0", "fa1", "memory");
  u64 h = FNV_START;
  for (int i = 0; i < 6; i++) h = mix(h, r[i]);
  for (int i = 0; i < 4; i++) h = mix(h, mem[i]);
  LINE("compressed", h);
  CHECK(r[3] == 24);
  CHECK(r[0] == mem[0]);
  u64 t;
  asm volatile("li %0, 0\n c.beqz %0, 1f\n li %0, 9\n 1: c.bnez %0, 2f\n li %0, 3\n 2:" : "=&r"(t)); CHECK(t == 3);
  asm volatile("la t0, 1f\n c.jr t0\n li %0, 9\n j 2f\n 1: li %0, 4\n 2:" : "=&r"(t) :: "t0"); CHECK(t == 4);
  asm volatile("la t0, 1f\n c.jalr t0\n j 2f\n 1: mv %0, ra\n 2:" : "=&r"(t) :: "t0", "ra"); CHECK(t != 0);
  asm volatile("li %0, 1\n c.j 1f\n li %0, 2\n 1:" : "=&r"(t)); CHECK(t == 1);
}

/* a 4-byte instruction that straddles a page boundary (the fetch path that cannot use one decoded page) */
asm(".section .text.straddle, \"ax\"\n .balign 4096\n .skip 4094, 0\n .globl straddle\n .option push\n .option norvc\n"
    "straddle: addi a0, a0, 5\n .option pop\n ret\n .text");
long straddle(long);

int main(void) {
  CHECK(((u64) straddle & 0xfff) == 0xffe);
  CHECK(straddle(1) == 6);
  CHECK(straddle(10) == 15);
  u64 seed = 0x9e3779b97f4a7c15UL;
  for (int i = nvals; i < 40; i++) { seed = seed * 6364136223846793005UL + 1442695040888963407UL; vals[i] = seed ^ (seed >> 29); }
  nvals = 40;
  ROP(add); ROP(sub); ROP(sll); ROP(slt); ROP(sltu); ROP(xor); ROP(srl); ROP(sra); ROP(or); ROP(and);
  ROP(addw); ROP(subw); ROP(sllw); ROP(srlw); ROP(sraw);
  ROP(mul); ROP(mulh); ROP(mulhsu); ROP(mulhu); ROP(div); ROP(divu); ROP(rem); ROP(remu);
  ROP(mulw); ROP(divw); ROP(divuw); ROP(remw); ROP(remuw);
  IOP(addi, 0, 1, -1, 2047, -2048); IOP(slti, 0, 1, -1, 2047, -2048); IOP(sltiu, 0, 1, -1, 2047, -2048);
  IOP(xori, 0, 1, -1, 2047, -2048); IOP(ori, 0, 1, -1, 2047, -2048); IOP(andi, 0, 1, -1, 2047, -2048);
  IOP(slli, 0, 1, 31, 32, 63); IOP(srli, 0, 1, 31, 32, 63); IOP(srai, 0, 1, 31, 32, 63);
  IOP(addiw, 0, 1, -1, 2047, -2048); IOP(slliw, 0, 1, 15, 30, 31); IOP(srliw, 0, 1, 15, 30, 31); IOP(sraiw, 0, 1, 15, 30, 31);
  loads_stores();
  branches();
  atomics();
  compressed();
  known_results();
  puts_(failures ? "alu: FAILED\n" : "alu: ok\n");
  return failures;
}
