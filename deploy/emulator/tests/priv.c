/* Privileged architecture: CSRs, exceptions and their causes/tvals, mret/sret, U and S modes, delegation,
 * interrupts (timer, software, external-style via mip), wfi, counters, FS, Sv39/Sv48 paging with A/D bits,
 * permission checks (U, SUM, MXR), page faults and sfence.vma, Sdtrig triggers. Self-checking; also run under QEMU. */
#include "lib/trap.h"

#define MSTATUS_MPP (3UL << 11)
#define MSTATUS_MPRV (1UL << 17)
#define MSTATUS_SUM (1UL << 18)
#define MSTATUS_MXR (1UL << 19)
#define MSTATUS_TVM (1UL << 20)
#define MSTATUS_TW (1UL << 21)
#define MSTATUS_TSR (1UL << 22)
#define PTE_V 1UL
#define PTE_R 2UL
#define PTE_W 4UL
#define PTE_X 8UL
#define PTE_U 16UL
#define PTE_A 64UL
#define PTE_D 128UL

static void reset_traps(void) { m_count = 0; m_cause = -1UL; m_tval = -1UL; s_count = 0; s_cause = -1UL; s_tval = -1UL; }

static void csrs_and_exceptions(void) {
  u64 misa = csrr(misa);
  CHECK((misa >> 62) == 2);
  for (const char *p = "ACDFIMSU"; *p; p++) CHECK(misa & (1UL << (*p - 'A')));
  CHECK(csrr(mhartid) == 0);
  u64 saved_scratch = csrr(mscratch);                  /* the trap entry needs it: restored below */
  csrw(mscratch, 0x1234567887654321UL);
  CHECK(csrr(mscratch) == 0x1234567887654321UL);
  u64 old; asm volatile("csrrw %0, mscratch, %1" : "=r"(old) : "r"(5UL)); CHECK(old == 0x1234567887654321UL && csrr(mscratch) == 5);
  asm volatile("csrrsi %0, mscratch, 10" : "=r"(old)); CHECK(old == 5 && csrr(mscratch) == 15);
  asm volatile("csrrci %0, mscratch, 3" : "=r"(old)); u64 after = csrr(mscratch);
  csrw(mscratch, saved_scratch);
  CHECK(old == 15 && after == 12);

  reset_traps();
  asm volatile(".half 0x0000");                        /* all-zero: illegal */
  CHECK(m_count == 1 && m_cause == 2 && m_tval == 0);
  reset_traps();
  asm volatile(".word 0xffffffff");
  CHECK(m_cause == 2);
  reset_traps();
  asm volatile("csrw mvendorid, zero");                /* read-only CSR */
  CHECK(m_cause == 2 && m_tval == 0xf1101073UL);
  reset_traps();
  asm volatile("csrr t0, 0x8ff" ::: "t0");             /* no such CSR */
  CHECK(m_cause == 2);
  reset_traps();
  u64 pc;
  asm volatile("auipc %0, 0\n ebreak" : "=r"(pc));
  CHECK(m_cause == 3 && m_epc == pc + 4);
  reset_traps();
  asm volatile("ecall");
  CHECK(m_cause == 11 && (m_status & MSTATUS_MPP) == MSTATUS_MPP);

  /* misaligned atomics and LR trap; plain loads and stores do not */
  static u64 buf[2] __attribute__((aligned(16)));
  reset_traps();
  asm volatile("amoadd.w zero, zero, (%0)" :: "r"((u64) buf + 2) : "memory");
  CHECK(m_cause == 6 && m_tval == (u64) buf + 2);
  reset_traps();
  asm volatile("lr.d t0, (%0)" :: "r"((u64) buf + 4) : "t0", "memory");
  CHECK(m_cause == 4 && m_tval == (u64) buf + 4);
  reset_traps();
  asm volatile("sd %1, 3(%0)\n ld t0, 3(%0)" :: "r"(buf), "r"(-1UL) : "t0", "memory");
  CHECK(m_count == 0);
  /* access faults outside RAM and devices */
  reset_traps();
  asm volatile("ld t0, 0(%0)" :: "r"(0x8c000000UL) : "t0");
  CHECK(m_cause == 5 && m_tval == 0x8c000000UL);
  reset_traps();
  asm volatile("sd zero, 0(%0)" :: "r"(0x8c000008UL) : "memory");
  CHECK(m_cause == 7 && m_tval == 0x8c000008UL);
}

static long u_body(long arg) {
  long r = arg;
  asm volatile("csrr t0, mstatus" ::: "t0");           /* illegal in U */
  asm volatile("li a7, 0\n ecall" ::: "a7");            /* ecall from U */
  asm volatile("wfi");                                 /* illegal in U */
  asm volatile("sret");                                /* illegal in U */
  return r + 1;
}

static long counters_body(long arg) {
  u64 c; asm volatile("rdcycle %0" : "=r"(c));
  u64 t; asm volatile("rdtime %0" : "=r"(t));
  u64 i; asm volatile("rdinstret %0" : "=r"(i));
  return arg;
}

static void user_mode(void) {
  reset_traps();
  csrw(medeleg, 0);
  long r = enter_mode(0, u_body, 41);
  CHECK(r == 42);
  CHECK(m_count == 4);              /* last trap: sret in U */
  CHECK(m_cause == 2);
  /* counters: mcounteren gates lower modes */
  reset_traps();
  csrw(mcounteren, 0);
  enter_mode(0, counters_body, 0);
  CHECK(m_count == 3 && m_cause == 2);
  reset_traps();
  csrw(mcounteren, 7); csrw(scounteren, 7);
  enter_mode(0, counters_body, 0);
  CHECK(m_count == 0);
  reset_traps();
  csrw(scounteren, 2);              /* U may read time only */
  enter_mode(0, counters_body, 0);
  CHECK(m_count == 2);
  u64 a = csrr(instret), b = csrr(instret);
  CHECK(b > a);
  u64 c0 = csrr(cycle), c1 = csrr(cycle);
  CHECK(c1 > c0);
}

static long s_body(long arg) {
  asm volatile("csrr t0, mstatus" ::: "t0");           /* illegal in S, delegated: S handles it */
  asm volatile("li a7, 0\n ecall" ::: "a7");            /* ecall from S: never delegated here, M handles it */
  u64 st = csrr(sstatus);
  return (long) st;
}



static void delegation(void) {
  extern char s_trap_entry[];
  csrw(stvec, (u64) s_trap_entry);
  extern char s_stack_top[];
  csrw(sscratch, (u64) s_stack_top);
  csrw(medeleg, (1UL << 2) | (1UL << 8));
  reset_traps();
  long st = enter_mode(1, s_body, 0);
  CHECK(s_count == 1 && s_cause == 2 && s_tval == 0x300022f3UL);
  CHECK(m_count == 1 && m_cause == 9);
  CHECK((st & 2) == 0);                                  /* SIE still clear */
  /* a U-mode ecall delegated to S */
  reset_traps();
  enter_mode(0, u_body, 0);
  CHECK(s_count == 4 && m_count == 0);                   /* csr, ecall, wfi and sret all went to S */
  csrw(medeleg, 0);
  /* sstatus is a view of mstatus */
  csrs(mstatus, MSTATUS_SUM);
  CHECK(csrr(sstatus) & MSTATUS_SUM);
  csrc(sstatus, MSTATUS_SUM);
  CHECK(!(csrr(mstatus) & MSTATUS_SUM));
  /* sie/sip are views of mie/mip restricted by mideleg */
  csrw(mideleg, 0);
  csrw(mie, 0);
  csrs(sie, 2);
  CHECK(csrr(mie) == 0);
  csrw(mideleg, 0x222);
  csrs(sie, 2);
  CHECK(csrr(mie) == 2);
  csrw(mie, 0);
  csrw(mideleg, 0);
}

static long spin_s(long arg) {
  csrs(sstatus, 2);          /* SIE */
  for (volatile int i = 0; i < 1000 && s_count == 0; i++) { }
  return s_count;
}

static long wfi_s(long arg) {
  csrs(sie, 1UL << 5);
  csrs(sstatus, 2);
  mcall(1);                  /* M raises STIP */
  return s_count;
}

static void interrupts(void) {
  /* machine timer: taken in M with MIE set */
  reset_traps();
  csrw(mie, 1UL << 7);
  *CLINT_MTIMECMP = *CLINT_MTIME + 1000;
  csrs(mstatus, 8);
  for (int i = 0; i < 100000 && m_count == 0; i++) asm volatile("wfi");
  csrc(mstatus, 8);
  CHECK(m_count == 1 && m_cause == ((1UL << 63) | 7));
  /* wfi with the interrupt disabled globally still wakes, without a trap */
  reset_traps();
  csrw(mie, 1UL << 7);
  *CLINT_MTIMECMP = *CLINT_MTIME + 1000;
  asm volatile("wfi");
  CHECK(m_count == 0);
  CHECK(csrr(mip) & (1UL << 7));
  *CLINT_MTIMECMP = -1UL;
  CHECK(!(csrr(mip) & (1UL << 7)));
  csrw(mie, 0);
  /* machine software interrupt */
  reset_traps();
  csrw(mie, 1UL << 3);
  csrs(mstatus, 8);
  *CLINT_MSIP = 1;
  for (int i = 0; i < 100 && m_count == 0; i++) { }
  csrc(mstatus, 8);
  CHECK(m_count == 1 && m_cause == ((1UL << 63) | 3));
  /* priority: with MSIP and MTIP both pending, the software interrupt is taken first */
  reset_traps();
  *CLINT_MSIP = 1;
  *CLINT_MTIMECMP = 0;
  csrw(mie, (1UL << 3) | (1UL << 7));
  csrs(mstatus, 8);
  for (int i = 0; i < 100 && m_count < 2; i++) { }
  csrc(mstatus, 8);
  CHECK(m_count == 2 && m_cause == ((1UL << 63) | 7));   /* the last one taken was the timer */
  /* vectored mtvec: interrupt 3 enters at base + 12, exceptions at the base */
  extern char m_vector_table[];
  u64 direct = csrr(mtvec);
  csrw(mtvec, (u64) m_vector_table | 1);
  CHECK(csrr(mtvec) == ((u64) m_vector_table | 1));
  reset_traps();
  m_vector_hit = 0;
  csrw(mie, 1UL << 3);
  *CLINT_MSIP = 1;
  csrs(mstatus, 8);
  for (int i = 0; i < 100 && m_count == 0; i++) { }
  csrc(mstatus, 8);
  CHECK(m_count == 1 && m_vector_hit == 3 && m_cause == ((1UL << 63) | 3));
  m_vector_hit = 0;
  asm volatile("li a7, 0\n ecall" ::: "a7");
  CHECK(m_count == 2 && m_cause == 11 && m_vector_hit == 0);
  csrw(mtvec, direct);
  csrw(mie, 0);
  /* M interrupts are taken in S even with mstatus.MIE clear */
  reset_traps();
  csrw(mie, 1UL << 3);
  *CLINT_MSIP = 1;
  enter_mode(1, spin_s, 0);
  CHECK(m_count == 1 && m_cause == ((1UL << 63) | 3));
  /* supervisor software interrupt, delegated */
  extern char s_trap_entry[];
  csrw(stvec, (u64) s_trap_entry);
  csrw(mideleg, 0x222);
  reset_traps();
  csrw(mie, 1UL << 1);
  csrs(mip, 1UL << 1);
  long n = enter_mode(1, spin_s, 0);
  CHECK(n == 1 && s_cause == ((1UL << 63) | 1) && m_count == 0);
  /* supervisor timer raised by M (as firmware does), delegated, woken from S */
  reset_traps();
  n = enter_mode(1, wfi_s, 0);
  CHECK(n == 1 && s_cause == ((1UL << 63) | 5));
  csrc(mip, 1UL << 5);
  /* a delegated interrupt is not taken in M */
  reset_traps();
  csrw(mie, 1UL << 1);
  csrs(mstatus, 8);
  csrs(mip, 1UL << 1);
  for (volatile int i = 0; i < 100; i++) { }
  csrc(mstatus, 8);
  CHECK(m_count == 0 && s_count == 0);
  csrc(mip, 1UL << 1);
  csrw(mie, 0);
  csrw(mideleg, 0);
}

/* ---------- paging ---------- */
static u64 root[512] __attribute__((aligned(4096)));
static u64 l1[512] __attribute__((aligned(4096)));
static u64 l0[512] __attribute__((aligned(4096)));
static u64 root48[512] __attribute__((aligned(4096)));
static volatile u64 page_a[512] __attribute__((aligned(4096)));
static volatile u64 page_b[512] __attribute__((aligned(4096)));
#define VA_TEST 0x200000000UL          /* root index 8 */
#define PTE(pa, flags) ((((u64) (pa)) >> 12) << 10 | (flags))

static void map_tables(void) {
  for (int i = 0; i < 512; i++) root[i] = l1[i] = l0[i] = root48[i] = 0;
  root[0] = PTE(0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);                         /* devices, 1 GiB */
  root[2] = PTE(0x80000000UL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);      /* RAM, 1 GiB */
  root[6] = PTE(0x80000000UL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D); /* RAM again, for U */
  root[8] = PTE(l1, PTE_V);
  l1[0] = PTE(l0, PTE_V);
  l0[0] = PTE(page_a, PTE_V | PTE_R);                  /* read-only, A clear */
  l0[1] = PTE(page_a, PTE_V | PTE_R | PTE_W);          /* writable, A/D clear */
  l0[2] = PTE(page_a, PTE_V | PTE_R | PTE_W | PTE_U);  /* user page */
  l0[3] = PTE(page_a, PTE_V | PTE_X);                  /* execute-only */
  l0[4] = PTE(page_a, PTE_V | PTE_W);                  /* reserved: W without R */
  l1[1] = PTE(0x80001000UL, PTE_V | PTE_R | PTE_A);    /* misaligned 2 MiB superpage */
  root48[0] = PTE(root, PTE_V);                        /* Sv48: one more level above the Sv39 tables */
}

static u64 s_load(u64 va) { u64 v; asm volatile("ld %0, 0(%1)" : "=r"(v) : "r"(va) : "memory"); return v; }
static void s_store(u64 va, u64 v) { asm volatile("sd %1, 0(%0)" :: "r"(va), "r"(v) : "memory"); }

static long paging_body(long arg) {
  long bad = 0;
  page_a[0] = 0x1111;                                  /* through the identity gigapage */
  if (s_load(VA_TEST) != 0x1111) bad |= 1;
  s_store(VA_TEST + 0x1000 + 8, 0x2222);
  if (page_a[1] != 0x2222) bad |= 2;
  s_store(VA_TEST, 5);                                 /* read-only page: store page fault */
  if (!(s_cause == 15 && s_tval == VA_TEST)) bad |= 4;
  s_load(VA_TEST + 0x5000);                            /* unmapped: load page fault */
  if (!(s_cause == 13 && s_tval == VA_TEST + 0x5000)) bad |= 8;
  s_count = 0;
  s_load(VA_TEST + 0x2000);                            /* U page from S without SUM */
  if (!(s_count == 1 && s_cause == 13)) bad |= 16;
  csrs(sstatus, MSTATUS_SUM);
  s_count = 0;
  s_load(VA_TEST + 0x2000);
  if (s_count != 0) bad |= 32;
  csrc(sstatus, MSTATUS_SUM);
  s_load(VA_TEST + 0x3000);                            /* execute-only, no MXR */
  if (!(s_cause == 13 && s_tval == VA_TEST + 0x3000)) bad |= 64;
  csrs(sstatus, MSTATUS_MXR);
  s_count = 0;
  s_load(VA_TEST + 0x3000);
  if (s_count != 0) bad |= 128;
  csrc(sstatus, MSTATUS_MXR);
  s_load(VA_TEST + 0x4000);                            /* W without R is reserved */
  if (!(s_cause == 13)) bad |= 256;
  s_load(VA_TEST + 0x200000);                          /* misaligned superpage */
  if (!(s_cause == 13 && s_tval == VA_TEST + 0x200000)) bad |= 512;
  ((void (*)(void)) (VA_TEST + 0x1000))();             /* not executable: fetch page fault */
  if (!(s_cause == 12 && s_tval == VA_TEST + 0x1000)) bad |= 1024;
  /* sfence.vma makes a changed PTE visible */
  l0[0] = PTE(page_b, PTE_V | PTE_R | PTE_A);
  page_b[0] = 0x3333;
  asm volatile("sfence.vma" ::: "memory");
  if (s_load(VA_TEST) != 0x3333) bad |= 2048;
  l0[0] = PTE(page_a, PTE_V | PTE_R);
  asm volatile("sfence.vma" ::: "memory");
  return bad;
}

static long user_paging_body(long arg) {
  /* runs at its U alias (root[6]) */
  return *(volatile u64 *) (VA_TEST + 0x2000);
}

static void paging(void) {
  map_tables();
  extern char s_trap_entry[];
  extern char s_stack_top[];
  csrw(stvec, (u64) s_trap_entry);
  csrw(sscratch, (u64) s_stack_top);
  csrw(medeleg, (1UL << 12) | (1UL << 13) | (1UL << 15));
  /* an unsupported mode leaves satp unchanged */
  csrw(satp, 0);
  csrw(satp, (5UL << 60) | 1);
  CHECK(csrr(satp) == 0);
  csrw(satp, (8UL << 60) | ((u64) root >> 12));
  CHECK(csrr(satp) == ((8UL << 60) | ((u64) root >> 12)));
  asm volatile("sfence.vma" ::: "memory");
  reset_traps();
  long bad = enter_mode(1, paging_body, 0);
  if (bad) { puts_("paging_body bits "); puthex(bad); putc_('\n'); }
  CHECK(bad == 0);
  CHECK(m_count == 0);
  /* A and D were set by the hardware walk */
  CHECK((l0[1] & (PTE_A | PTE_D)) == (PTE_A | PTE_D));
  CHECK((l0[2] & PTE_A) && !(l0[2] & PTE_D));
  CHECK(!(l0[4] & PTE_A));
  /* U mode through the U alias of RAM */
  reset_traps();
  page_a[0] = 0;
  page_a[0] = 77;
  extern u64 alias_offset;
  alias_offset = 0x100000000UL;
  long v = enter_mode(0, (long (*)(long)) ((u64) user_paging_body + alias_offset), 0);
  alias_offset = 0;
  CHECK(m_count == 0);
  CHECK(v == 77);
  /* Sv48 */
  csrw(satp, (9UL << 60) | ((u64) root48 >> 12));
  CHECK((csrr(satp) >> 60) == 9);
  asm volatile("sfence.vma" ::: "memory");
  reset_traps();
  bad = enter_mode(1, paging_body, 0);
  CHECK(bad == 0);
  /* MPRV: M-mode loads translated as S */
  csrw(satp, (8UL << 60) | ((u64) root >> 12));
  asm volatile("sfence.vma" ::: "memory");
  page_a[0] = 99;
  csrc(mstatus, MSTATUS_MPP);
  csrs(mstatus, (1UL << 11) | MSTATUS_MPRV);
  u64 got = *(volatile u64 *) VA_TEST;
  csrc(mstatus, MSTATUS_MPRV);
  CHECK(got == 99);
  /* TVM: satp and sfence.vma trap in S */
  csrs(mstatus, MSTATUS_TVM);
  csrw(medeleg, 0);
  reset_traps();
  enter_mode(1, s_body, 0);
  csrc(mstatus, MSTATUS_TVM);
  csrw(satp, 0);
  asm volatile("sfence.vma" ::: "memory");
}

static long tsr_body(long arg) {
  asm volatile("sret");
  asm volatile("wfi");
  asm volatile("sfence.vma");
  asm volatile("csrr t0, satp" ::: "t0");
  return 0;
}

static void trap_controls(void) {
  reset_traps();
  csrs(mstatus, MSTATUS_TSR | MSTATUS_TW | MSTATUS_TVM);
  enter_mode(1, tsr_body, 0);
  csrc(mstatus, MSTATUS_TSR | MSTATUS_TW | MSTATUS_TVM);
  CHECK(m_count == 4 && m_cause == 2);
  reset_traps();
  csrc(mstatus, 3UL << 13);                 /* FS off: FP instructions are illegal */
  asm volatile("fmv.d.x ft0, zero" ::: "ft0");
  asm volatile("csrr t0, fcsr" ::: "t0");
  CHECK(m_count == 2 && m_cause == 2);
  csrs(mstatus, 1UL << 13);
  CHECK(((csrr(mstatus) >> 13) & 3) == 1);
  asm volatile("fmv.d.x ft0, zero" ::: "ft0");
  CHECK(((csrr(mstatus) >> 13) & 3) == 3);
  /* mret to M keeps MPRV; MPP becomes U after mret */
  csrw(mtvec, csrr(mtvec));
}

static u32 code_buf[4] __attribute__((aligned(16)));

static void self_modifying_code(void) {
  long (*fn)(void) = (long (*)(void)) code_buf;
  code_buf[0] = 0x00100513;                  /* li a0, 1 */
  code_buf[1] = 0x00008067;                  /* ret */
  asm volatile("fence.i" ::: "memory");
  CHECK(fn() == 1);
  code_buf[0] = 0x00200513;                  /* li a0, 2 */
  asm volatile("fence.i" ::: "memory");
  CHECK(fn() == 2);
  u64 old;
  asm volatile("csrrwi %0, mscratch, 7\n csrrw %0, mscratch, %0" : "=&r"(old));   /* csrrwi, then put mscratch back */
  CHECK(old == 7);
}

static long wait_external_s(long arg) {
  csrs(sstatus, 2);
  UART[1] = 2;                               /* UART: interrupt when the transmitter is empty */
  for (volatile int i = 0; i < 10000 && s_claimed == 0; i++) { }
  return s_claimed;
}

static void external_interrupts(void) {
  /* UART (PLIC source 10) -> PLIC M context -> MEIP */
  PLIC[10] = 1;
  PLIC[0x2000 / 4] = 1 << 10;               /* context 0 (M) enables source 10 */
  PLIC[0x200000 / 4] = 0;
  reset_traps();
  m_claimed = 0;
  csrw(mie, 1UL << 11);
  csrs(mstatus, 8);
  UART[1] = 2;
  for (volatile int i = 0; i < 10000 && m_claimed == 0; i++) { }
  csrc(mstatus, 8);
  CHECK(m_cause == ((1UL << 63) | 11) && m_claimed == 10);
  CHECK(PLIC[0x200004 / 4] == 0);           /* nothing left to claim */
  /* the same source to the S context, delegated: SEIP taken in S */
  PLIC[0x2000 / 4] = 0;
  PLIC[0x2080 / 4] = 1 << 10;
  PLIC[0x201000 / 4] = 0;
  extern char s_trap_entry[];
  extern char s_stack_top[];
  csrw(stvec, (u64) s_trap_entry);
  csrw(sscratch, (u64) s_stack_top);
  csrw(mideleg, 1UL << 9);
  csrw(mie, 1UL << 9);
  reset_traps();
  s_claimed = 0;
  long got = enter_mode(1, wait_external_s, 0);
  CHECK(got == 10 && s_cause == ((1UL << 63) | 9) && m_count == 0);
  /* a threshold at the source's priority masks it */
  PLIC[0x201000 / 4] = 1;
  s_claimed = 0;
  got = enter_mode(1, wait_external_s, 0);
  CHECK(got == 0);
  UART[1] = 0;
  csrw(mie, 0);
  csrw(mideleg, 0);
  /* csrs/csrc on mip must not latch the PLIC's SEIP line into the software-writable SEIP bit */
  PLIC[0x201000 / 4] = 0;
  UART[1] = 2;
  for (volatile int i = 0; i < 10; i++) { }
  CHECK(csrr(mip) & (1UL << 9));
  csrs(mip, 1UL << 5);
  csrc(mip, 1UL << 5);
  UART[1] = 0;
  for (volatile int i = 0; i < 10; i++) { }
  CHECK(!(csrr(mip) & (1UL << 9)));
  PLIC[0x2080 / 4] = 0;
}

/* Sdtrig: the trigger CSRs as the debug specification (1.0) describes them, and mcontrol6 breakpoints firing */
#define MC6 (6UL << 60)
#define MC6_HIT0 (1UL << 22)
#define MC6_NAPOT (1UL << 7)
#define MC6_M (1UL << 6)
#define MC6_EXECUTE 4UL
#define MC6_STORE 2UL
#define MC6_LOAD 1UL
static void debug_triggers(void) {
  /* count the triggers as a debugger does: tselect reads back what was written only for triggers that exist */
  u64 n = 0;
  while (n < 64) { csrw(tselect, n); if (csrr(tselect) != n) break; n++; }
  CHECK(n >= 2 && n < 64);
  csrw(tselect, 1);
  csrw(tselect, n);                                    /* beyond the last trigger: not taken */
  CHECK(csrr(tselect) == 1);
  csrw(tselect, 0);
  u64 info = csrr(tinfo);
  CHECK((info >> 24) == 1 && (info & (1UL << 6)) && (info & (1UL << 15)) && !(info & 1));
  CHECK((csrr(tdata1) >> 60) == 15);                   /* exists, disabled */
  csrw(tdata1, 0);                                     /* writing 0 leaves a disabled trigger, type 15 */
  CHECK((csrr(tdata1) >> 60) == 15);
  csrw(tdata1, 2UL << 60);                             /* a type not offered: disabled too */
  CHECK((csrr(tdata1) >> 60) == 15);
  csrw(tdata1, MC6 | (1UL << 59) | (1UL << 12) | MC6_M | MC6_LOAD);  /* dmode and action=1 (Debug Mode) are not offered */
  u64 t1 = csrr(tdata1);
  CHECK(t1 == (MC6 | MC6_M | MC6_LOAD));
  csrw(tdata1, 0);
  csrw(tdata2, 0x123456789abcdef0UL);
  CHECK(csrr(tdata2) == 0x123456789abcdef0UL);
  csrw(tdata3, -1UL);
  CHECK(csrr(tdata3) == 0);

  /* an execute trigger in M-mode (tcontrol.mte = 1): a breakpoint before the instruction, mepc = mtval = its address;
   * the handler steps over it, so only the second addi runs */
  csrw(tcontrol, 8);
  CHECK(csrr(tcontrol) == 8);
  reset_traps();
  u64 at, val;
  asm volatile("lla %1, 1f\n csrw tdata2, %1\n csrw tdata1, %2\n li %0, 0\n"
               "1: addi %0, %0, 1\n addi %0, %0, 2\n"
               : "=&r"(val), "=&r"(at) : "r"(MC6 | MC6_M | MC6_EXECUTE));
  u64 hit = csrr(tdata1);
  csrw(tdata1, 0);
  CHECK(val == 2 && m_count == 1 && m_cause == 3 && m_tval == at && m_epc == at);
  CHECK(hit & MC6_HIT0);
  CHECK(csrr(tcontrol) == 0x88);                       /* the trap saved mte in mpte, mret restored it */

  /* load and store address triggers: a breakpoint before the access, mtval = the address; the access does not happen */
  static volatile u64 watched[4] __attribute__((aligned(32)));
  watched[1] = 7;
  csrw(tdata2, (u64) &watched[1]);
  csrw(tdata1, MC6 | MC6_M | MC6_LOAD);
  reset_traps();
  u64 got = 99;
  asm volatile("ld %0, 0(%1)" : "+r"(got) : "r"(&watched[1]) : "memory");
  CHECK(got == 99 && m_count == 1 && m_cause == 3 && m_tval == (u64) &watched[1]);
  reset_traps();
  watched[1] = 8;                                      /* a load trigger ignores stores */
  CHECK(m_count == 0);
  csrw(tdata1, MC6 | MC6_M | MC6_STORE);
  reset_traps();
  asm volatile("sw %0, 0(%1)" :: "r"(5UL), "r"(&watched[1]) : "memory");
  CHECK(watched[1] == 8 && m_count == 1 && m_cause == 3 && m_tval == (u64) &watched[1]);
  reset_traps();
  asm volatile("sb %0, 4(%1)" :: "r"(5UL), "r"(&watched[1]) : "memory");   /* another address: nothing */
  CHECK(m_count == 0 && watched[1] == 0x500000008UL);
  reset_traps();
  CHECK(watched[1] == 0x500000008UL && m_count == 0);  /* a store trigger ignores loads */
  /* NAPOT: the 32 bytes of watched[] */
  csrw(tdata2, (u64) watched | 15);
  csrw(tdata1, MC6 | MC6_NAPOT | MC6_M | MC6_LOAD);
  reset_traps();
  got = watched[3];
  CHECK(m_count == 1 && m_tval == (u64) &watched[3]);
  reset_traps();
  got = *((volatile u64 *) watched - 1);               /* outside the range: nothing */
  CHECK(m_count == 0);
  /* with tcontrol.mte = 0, M-mode triggers stay silent */
  csrw(tcontrol, 0);
  reset_traps();
  got = watched[2];
  CHECK(m_count == 0);
  csrw(tdata1, 0);
}

int main(void) {
  csrs_and_exceptions();
  puts_("- user_mode\n");
  user_mode();
  puts_("- delegation\n");
  delegation();
  puts_("- interrupts\n");
  interrupts();
  puts_("- paging\n");
  paging();
  puts_("- self_modifying_code\n");
  self_modifying_code();
  puts_("- external_interrupts\n");
  external_interrupts();
  puts_("- trap_controls\n");
  trap_controls();
  puts_("- debug_triggers\n");
  debug_triggers();
  puts_(failures ? "priv: FAILED\n" : "priv: ok\n");
  return failures;
}
