/* CPU-bound benchmark program (bare metal, M-mode): integer arithmetic, loads/stores, branches and calls in
 * a deterministic loop, so every run retires the same instructions on any machine. Prints a checksum. */
#include "lib/trap.h"
#define ITER 8000
static u32 arr[4096];

static __attribute__((noinline)) u64 step(u64 h, u32 i) { return (h ^ (h >> 7)) * 0x9e3779b97f4a7c15UL + i; }

int main(void) {
  u64 h = 1;
  for (u32 i = 0; i < 4096; i++) arr[i] = i * 2654435761u;
  for (int it = 0; it < ITER; it++) {
    for (u32 i = 0; i < 4096; i++) {
      u32 v = arr[i] * 1103515245u + 12345u + (u32) h;
      arr[i] = v;
      if (v & 0x100) h = step(h, v); else h += v >> 3;
      if ((i & 15) == 0) h ^= arr[(v >> 5) & 4095];
    }
  }
  puts_("checksum "); puthex(h); putc_('\n');
  return 0;
}
