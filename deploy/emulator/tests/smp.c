/* SMP: every hart increments shared counters with AMOs (.w and .d), an LR/SC loop, and a plain increment under an
 * amoswap spinlock; hart 0 waits for the others and checks the exact totals. The harts are counted through the
 * CLINT: an msip word reads back what was written only for a hart that exists. Prints "smp: N harts". */
#include "lib/trap.h"

#define MAX_HARTS 8
#define ROUNDS 100000

static volatile u64 amo_d, lrsc_d, plain, done;
static volatile u32 amo_w, lrsc_w, lock_word, arrived, go;

static void lock(void) {
  u32 old;
  do { asm volatile("amoswap.w.aq %0, %1, (%2)" : "=r"(old) : "r"(1), "r"(&lock_word) : "memory"); } while (old);
}
static void unlock(void) { asm volatile("amoswap.w.rl zero, zero, (%0)" :: "r"(&lock_word) : "memory"); }

static void lrsc_add_d(volatile u64 *p) {
  u64 v, fail;
  do { asm volatile("lr.d %0, (%2)\n addi %0, %0, 1\n sc.d %1, %0, (%2)" : "=&r"(v), "=&r"(fail) : "r"(p) : "memory"); } while (fail);
}
static void lrsc_add_w(volatile u32 *p) {
  u64 v, fail;
  do { asm volatile("lr.w %0, (%2)\n addiw %0, %0, 3\n sc.w %1, %0, (%2)" : "=&r"(v), "=&r"(fail) : "r"(p) : "memory"); } while (fail);
}

static void work(void) {
  for (int i = 0; i < ROUNDS; i++) {
    asm volatile("amoadd.d zero, %0, (%1)" :: "r"(2UL), "r"(&amo_d) : "memory");
    asm volatile("amoadd.w.aqrl zero, %0, (%1)" :: "r"(1), "r"(&amo_w) : "memory");
    lrsc_add_d(&lrsc_d);
    lrsc_add_w(&lrsc_w);
    lock();
    plain = plain + 1;
    unlock();
  }
  asm volatile("fence rw, rw\n amoadd.d zero, %0, (%1)" :: "r"(1UL), "r"(&done) : "memory");
}

void secondary_main(long hart) {
  (void) hart;
  asm volatile("amoadd.w zero, %0, (%1)" :: "r"(1), "r"(&arrived) : "memory");
  while (!go) asm volatile("fence r, r");
  work();
}

static int count_harts(void) {
  int n = 1;
  while (n < MAX_HARTS) {
    CLINT_MSIP[n] = 1;
    int there = CLINT_MSIP[n] == 1;
    CLINT_MSIP[n] = 0;
    if (!there) break;
    n++;
  }
  return n;
}

int main(void) {
  int n = count_harts();
  for (long spin = 0; arrived != (u32) (n - 1) && spin < 100000000L; spin++) asm volatile("fence r, r");
  CHECK(arrived == (u32) (n - 1));
  go = 1;
  work();
  for (long spin = 0; done != (u64) n && spin < 2000000000L; spin++) asm volatile("fence r, r");
  CHECK(done == (u64) n);
  CHECK(amo_d == 2UL * ROUNDS * n);
  CHECK(amo_w == (u32) (ROUNDS * n));
  CHECK(lrsc_d == (u64) ROUNDS * n);
  CHECK(lrsc_w == (u32) (3 * ROUNDS * n));
  CHECK(plain == (u64) ROUNDS * n);
  puts_("smp: "); putdec(n); puts_(" harts, "); putdec((long) plain); puts_(" locked increments\n");
  puts_(failures ? "smp: FAILED\n" : "smp: ok\n");
  return failures;
}
