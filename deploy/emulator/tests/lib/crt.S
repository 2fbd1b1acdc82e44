# Start-up and trap plumbing for the bare-metal test programs (M-mode, RAM at 0x80000000).
# Results go to the sifive_test device at 0x100000: 0x5555 = pass, (code << 16) | 0x3333 = fail.
#define FRAME (32 * 8)
  .section .text.init
  .globl _start
_start:
  # every hart starts here (out of reset, a0 = mhartid); the others leave for secondary_main (see below)
  csrr t0, mhartid
  bnez t0, secondary_start
  la sp, stack_top
  la t0, m_stack_top
  csrw mscratch, t0
  la t0, m_trap_entry
  csrw mtvec, t0
  # let S and U reach all memory (QEMU enforces PMP; with no entry, S/U accesses fault)
  li t0, -1
  csrw pmpaddr0, t0
  li t0, 0x1f
  csrw pmpcfg0, t0
  li t0, (1 << 13)
  csrs mstatus, t0
  csrw fcsr, zero
  call main
  j exit_with

# Harts other than 0: a 4 KiB stack each (up to 8 harts), FP on, then secondary_main(hartid). A program without
# one (the weak default) parks them in wfi with interrupts off, so single-hart programs are unaffected.
secondary_start:
  li t1, 8
  bgeu t0, t1, park
  la sp, hart_stacks_top
  slli t1, t0, 12
  sub sp, sp, t1
  li t1, (1 << 13)
  csrs mstatus, t1
  mv a0, t0
  call secondary_main
park:
  csrw mie, zero
1:
  wfi
  j 1b

  .weak secondary_main
secondary_main:
  j park

  .globl exit_with
exit_with:
  li t0, 0x100000
  bnez a0, 1f
  li t1, 0x5555
  sw t1, 0(t0)
  j .
1:
  slli a0, a0, 16
  li t1, 0x3333
  or a0, a0, t1
  sw a0, 0(t0)
  j .

# long enter_mode(long mode, long (*fn)(long), long arg): runs fn(arg) in mode (0 U, 1 S, 3 M) and returns
# its result when it finishes (it ends with an ecall with a7 = 0x5EC, handled by m_trap below).
  .globl enter_mode
enter_mode:
  la t0, saved_ctx
  sd ra, 0(t0)
  sd sp, 8(t0)
  sd s0, 16(t0)
  sd s1, 24(t0)
  sd s2, 32(t0)
  sd s3, 40(t0)
  sd s4, 48(t0)
  sd s5, 56(t0)
  sd s6, 64(t0)
  sd s7, 72(t0)
  sd s8, 80(t0)
  sd s9, 88(t0)
  sd s10, 96(t0)
  sd s11, 104(t0)
  sd gp, 112(t0)
  sd tp, 120(t0)
  li t1, (3 << 11)
  csrc mstatus, t1
  slli t2, a0, 11
  csrs mstatus, t2
  # alias_offset lets U-mode code run through a U-accessible alias of RAM when paging is on
  la t5, alias_offset
  ld t5, 0(t5)
  la t3, mode_trampoline
  add t3, t3, t5
  csrw mepc, t3
  mv t4, a1
  mv a0, a2
  la sp, lower_stack_top
  add sp, sp, t5
  mret
mode_trampoline:
  jalr t4
  li a7, 0x5EC
  ecall
  j .

# Called by the C handler when the lower-mode function has finished: back to enter_mode's caller, in M-mode.
  .globl resume_enter_mode
resume_enter_mode:
  la t0, saved_ctx
  ld ra, 0(t0)
  ld sp, 8(t0)
  ld s0, 16(t0)
  ld s1, 24(t0)
  ld s2, 32(t0)
  ld s3, 40(t0)
  ld s4, 48(t0)
  ld s5, 56(t0)
  ld s6, 64(t0)
  ld s7, 72(t0)
  ld s8, 80(t0)
  ld s9, 88(t0)
  ld s10, 96(t0)
  ld s11, 104(t0)
  ld gp, 112(t0)
  ld tp, 120(t0)
  la t0, m_stack_top
  csrw mscratch, t0
  ret

.macro SAVE_REGS scratch
  csrrw sp, \scratch, sp
  addi sp, sp, -FRAME
  sd x1, 8(sp)
  sd x3, 24(sp)
  sd x4, 32(sp)
  sd x5, 40(sp)
  sd x6, 48(sp)
  sd x7, 56(sp)
  sd x8, 64(sp)
  sd x9, 72(sp)
  sd x10, 80(sp)
  sd x11, 88(sp)
  sd x12, 96(sp)
  sd x13, 104(sp)
  sd x14, 112(sp)
  sd x15, 120(sp)
  sd x16, 128(sp)
  sd x17, 136(sp)
  sd x18, 144(sp)
  sd x19, 152(sp)
  sd x20, 160(sp)
  sd x21, 168(sp)
  sd x22, 176(sp)
  sd x23, 184(sp)
  sd x24, 192(sp)
  sd x25, 200(sp)
  sd x26, 208(sp)
  sd x27, 216(sp)
  sd x28, 224(sp)
  sd x29, 232(sp)
  sd x30, 240(sp)
  sd x31, 248(sp)
  csrr t0, \scratch
  sd t0, 16(sp)
  mv a0, sp
.endm

.macro RESTORE_REGS scratch
  ld t0, 16(sp)
  csrw \scratch, t0
  ld x1, 8(sp)
  ld x3, 24(sp)
  ld x4, 32(sp)
  ld x5, 40(sp)
  ld x6, 48(sp)
  ld x7, 56(sp)
  ld x8, 64(sp)
  ld x9, 72(sp)
  ld x10, 80(sp)
  ld x11, 88(sp)
  ld x12, 96(sp)
  ld x13, 104(sp)
  ld x14, 112(sp)
  ld x15, 120(sp)
  ld x16, 128(sp)
  ld x17, 136(sp)
  ld x18, 144(sp)
  ld x19, 152(sp)
  ld x20, 160(sp)
  ld x21, 168(sp)
  ld x22, 176(sp)
  ld x23, 184(sp)
  ld x24, 192(sp)
  ld x25, 200(sp)
  ld x26, 208(sp)
  ld x27, 216(sp)
  ld x28, 224(sp)
  ld x29, 232(sp)
  ld x30, 240(sp)
  ld x31, 248(sp)
  addi sp, sp, FRAME
  csrrw sp, \scratch, sp
.endm

  .align 4
  .globl m_trap_entry
m_trap_entry:
  SAVE_REGS mscratch
  call m_trap
  RESTORE_REGS mscratch
  mret

  .align 4
  .globl s_trap_entry
s_trap_entry:
  SAVE_REGS sscratch
  call s_trap
  RESTORE_REGS sscratch
  sret

# Vectored mtvec: exceptions use the base (entry 0); interrupt k jumps to base + 4 * k.
# Entries 3 and 7 note which vector was taken (m_vector_hit) before the usual handler.
  .align 8
  .globl m_vector_table
  .option push
  .option norvc
m_vector_table:
  j m_trap_entry
  j m_trap_entry
  j m_trap_entry
  j m_vec3
  j m_trap_entry
  j m_trap_entry
  j m_trap_entry
  j m_vec7
  j m_trap_entry
  j m_trap_entry
  j m_trap_entry
  j m_trap_entry
  .option pop
m_vec3:
  SAVE_REGS mscratch
  li a1, 3
  call m_trap_vectored
  RESTORE_REGS mscratch
  mret
m_vec7:
  SAVE_REGS mscratch
  li a1, 7
  call m_trap_vectored
  RESTORE_REGS mscratch
  mret

  .bss
  .align 4
  .globl alias_offset
alias_offset: .skip 8
saved_ctx: .skip 128
  .align 12
  .skip 8192
stack_top:
  .skip 8192
  .globl m_stack_top
m_stack_top:
  .skip 8192
  .globl s_stack_top
s_stack_top:
  .skip 8192
  .globl lower_stack_top
lower_stack_top:
  .skip 8 * 4096
hart_stacks_top:
