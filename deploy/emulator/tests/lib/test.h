/* Helpers shared by the bare-metal test programs. */
#ifndef SLICE_TEST_H
#define SLICE_TEST_H
typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;

#define UART ((volatile unsigned char *) 0x10000000UL)
static inline void putc_(char c) { while (!(UART[5] & 0x20)) { } UART[0] = c; }
static inline void puts_(const char *s) { while (*s) putc_(*s++); }
static inline void puthex(u64 v) { for (int i = 60; i >= 0; i -= 4) putc_("0123456789abcdef"[(v >> i) & 15]); }
static inline void putdec(long v) {
  char b[24]; int n = 0; u64 u = v < 0 ? -(u64) v : (u64) v;
  if (v < 0) putc_('-');
  do { b[n++] = '0' + u % 10; u /= 10; } while (u);
  while (n) putc_(b[--n]);
}

#define csrr(csr) ({ u64 __v; asm volatile ("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csrw(csr, v) asm volatile ("csrw " #csr ", %0" :: "rK"((u64)(v)) : "memory")
#define csrs(csr, v) asm volatile ("csrs " #csr ", %0" :: "rK"((u64)(v)) : "memory")
#define csrc(csr, v) asm volatile ("csrc " #csr ", %0" :: "rK"((u64)(v)) : "memory")

void exit_with(long code) __attribute__((noreturn));
long enter_mode(long mode, long (*fn)(long), long arg);
void resume_enter_mode(long value) __attribute__((noreturn));

/* FNV-1a over 64-bit words: one line per instruction keeps differential output short. */
static inline u64 mix(u64 h, u64 v) { for (int i = 0; i < 8; i++) { h ^= (v >> (8 * i)) & 0xff; h *= 0x100000001b3UL; } return h; }
#define FNV_START 0xcbf29ce484222325UL

static int failures;
#define CHECK(cond) do { if (!(cond)) { puts_("FAIL line "); putdec(__LINE__); puts_(": " #cond "\n"); if (!failures) failures = __LINE__; } } while (0)
#endif
