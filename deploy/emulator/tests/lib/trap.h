/* Default trap handlers for the tests: record the trap, step over the faulting instruction, silence interrupts. */
#ifndef SLICE_TRAP_H
#define SLICE_TRAP_H
#include "test.h"
volatile u64 m_cause, m_tval, m_epc, m_count, m_status;
volatile u64 s_cause, s_tval, s_epc, s_count, s_status;
volatile u64 m_claimed, s_claimed;
#define PLIC ((volatile u32 *) 0xc000000UL)
#define CLINT_MSIP ((volatile u32 *) 0x2000000UL)
#define CLINT_MTIMECMP ((volatile u64 *) 0x2004000UL)
#define CLINT_MTIME ((volatile u64 *) 0x200bff8UL)

static u64 insn_len(u64 epc) { return (*(volatile unsigned short *) epc & 3) == 3 ? 4 : 2; }

void m_trap(u64 *regs) {
  u64 cause = csrr(mcause);
  if ((cause == 8 || cause == 9 || cause == 11) && regs[17] == 0x5EC) resume_enter_mode(regs[10]);
  m_cause = cause; m_tval = csrr(mtval); m_epc = csrr(mepc); m_status = csrr(mstatus); m_count++;
  if ((i64) cause < 0) {
    u64 code = cause & 63;
    if (code == 7) *CLINT_MTIMECMP = -1UL;
    if (code == 3) *CLINT_MSIP = 0;
    if (code == 5 || code == 1) csrc(mip, 1UL << code);
    if (code == 11) { m_claimed = PLIC[0x200004 / 4]; UART[1] = 0; PLIC[0x200004 / 4] = m_claimed; return; }
    csrc(mie, 1UL << code);
    return;
  }
  if (cause == 8 || cause == 9 || cause == 11) {
    /* ecall with a7 = 0x5CB: a service call from a lower mode: a0 = what to do */
    if (regs[17] == 0x5CB) {
      if (regs[10] == 1) csrs(mip, 1UL << 5);       /* raise STIP */
      if (regs[10] == 2) csrc(mip, 1UL << 5);       /* clear STIP */
    }
  }
  if (cause == 12 || cause == 1) csrw(mepc, regs[1]);
  else csrw(mepc, m_epc + insn_len(m_epc));
}

volatile u64 m_vector_hit;
void m_trap_vectored(u64 *regs, u64 vector) { m_vector_hit = vector; m_trap(regs); }

void s_trap(u64 *regs) {
  u64 cause = csrr(scause);
  if (cause == 8 && regs[17] == 0x5EC) {   /* a U function delegated to S finished: pass its result on to M */
    register long a0 asm("a0") = regs[10]; register long a7 asm("a7") = 0x5EC;
    asm volatile("ecall" :: "r"(a0), "r"(a7));
  }
  s_cause = cause; s_tval = csrr(stval); s_epc = csrr(sepc); s_status = csrr(sstatus); s_count++;
  if ((i64) cause < 0) {
    if ((cause & 63) == 9) { s_claimed = PLIC[0x201004 / 4]; UART[1] = 0; PLIC[0x201004 / 4] = s_claimed; return; }
    csrc(sie, 1UL << (cause & 63));
    if ((cause & 63) == 1) csrc(sip, 2);
    return;
  }
  if (cause == 12 || cause == 1) csrw(sepc, regs[1]);   /* a failed fetch (a call to a bad address): return to the caller */
  else csrw(sepc, s_epc + insn_len(s_epc));
}
static inline void mcall(long what) { register long a0 asm("a0") = what; register long a7 asm("a7") = 0x5CB; asm volatile("ecall" : "+r"(a0) : "r"(a7) : "memory"); }
#endif
