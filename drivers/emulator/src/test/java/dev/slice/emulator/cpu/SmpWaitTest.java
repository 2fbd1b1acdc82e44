package dev.slice.emulator.cpu;

import dev.slice.emulator.console.BufferSerial;
import dev.slice.emulator.memory.PhysicalMemory;
import dev.slice.emulator.sbi.Sbi;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How harts wait for each other: a hart waiting in the SBI for its remote fence serves the fences asked of it meanwhile,
 * a fenced hart asleep in WFI costs no wait and flushes before its next instruction, the pause hint is counted (and
 * yields), and a device interrupt wakes a hart's thread asleep in WFI.
 */
class SmpWaitTest {
    private static final long RAM = 0x80000000L, RFENCE = 0x52464E43;
    private final PhysicalMemory mem = new PhysicalMemory(RAM, 1 << 20);

    private static void remoteSfenceVma(Sbi sbi, Hart h, int target) {
        h.setX(17, RFENCE);
        h.setX(16, 1); // remote_sfence_vma(hart_mask, hart_mask_base, start, size)
        h.setX(10, 1);
        h.setX(11, target);
        h.setX(12, 0);
        h.setX(13, -1);
        assertThat(sbi.ecall(h)).isTrue();
        assertThat(h.x(10)).isZero();
    }

    @Test
    void twoHartsFencingEachOtherAtOnceServeEachOther() throws Exception {
        Hart a = new Hart(0, mem, () -> 0), b = new Hart(1, mem, () -> 0);
        Sbi sbi = new Sbi(mem, new BufferSerial(), new Sbi.Platform() {
            @Override public void powerOff(int code) { }
            @Override public void reset() { }
        });
        sbi.attach(a, b);
        a.mailbox().batch(true); // both are inside a batch, as a hart making an SBI call is
        b.mailbox().batch(true);
        AtomicLong bWaited = new AtomicLong();
        // hart 1 fences hart 0 and waits; then, as its run loop would, serves what is asked of it
        Thread t = Thread.ofPlatform().start(() -> {
            long t0 = System.nanoTime();
            remoteSfenceVma(sbi, b, 0);
            bWaited.set(System.nanoTime() - t0);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!b.mailbox().flushDone() && System.nanoTime() < until) b.mailbox().serveFlush();
        });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (a.mailbox().flushDone() && System.nanoTime() < until) Thread.onSpinWait();
        assertThat(a.mailbox().flushDone()).as("hart 1 asked hart 0 for a fence").isFalse();
        // hart 0, inside its own fence of hart 1, must do hart 1's fence: nothing else runs hart 0 here
        remoteSfenceVma(sbi, a, 1);
        t.join(10_000);
        assertThat(a.mailbox().flushDone()).isTrue();
        assertThat(a.stats().fencesServed()).isEqualTo(1);
        assertThat(a.stats().fencesCrossed()).as("hart 0 did hart 1's fence while waiting for its own").isEqualTo(1);
        assertThat(b.stats().fencesServed()).isEqualTo(1);
        assertThat(a.stats().fenceTimeouts() + b.stats().fenceTimeouts()).as("fence waits that ran out").isZero();
        assertThat(bWaited.get()).as("hart 1's wait ended by hart 0's fence, not by the SBI's deadline").isLessThan(190_000_000L);
    }

    @Test
    void aRemoteFenceOfAHartAsleepInWfiNeedsNoWaitAndIsDoneBeforeItsNextInstruction() {
        mem.write(RAM, 4, 0x10500073); // wfi
        mem.write(RAM + 4, 4, 0x00000013); // nop
        Hart a = new Hart(0, mem, () -> 0), b = new Hart(1, mem, () -> 0);
        Sbi sbi = new Sbi(mem, new BufferSerial(), new Sbi.Platform() {
            @Override public void powerOff(int code) { }
            @Override public void reset() { }
        });
        sbi.attach(a, b);
        b.setPc(RAM);
        b.run(1);
        assertThat(b.isWaiting()).isTrue();
        AtomicLong woken = new AtomicLong();
        Thread sleeper = Thread.ofPlatform().start(() -> {
            long t0 = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1)); // hart 1's thread asleep in WFI, nobody runs it
            woken.set(System.nanoTime() - t0);
        });
        b.mailbox().bindThread(sleeper);
        a.mailbox().batch(true);
        long t0 = System.nanoTime();
        remoteSfenceVma(sbi, a, 1);
        long took = System.nanoTime() - t0;
        assertThat(took).as("the call returned without waiting for the sleeping hart (the SBI waits up to 200 ms)").isLessThan(50_000_000L);
        assertThat(a.stats().fenceTimeouts()).isZero();
        assertThat(b.mailbox().flushDone()).as("posted, not yet done").isFalse();
        b.run(1); // still asleep, but it has taken its mailbox first
        assertThat(b.mailbox().flushDone()).isTrue();
        assertThat(b.stats().fencesServed()).isEqualTo(1);
        try {
            sleeper.join(5_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(woken.get()).as("the fence did not wake hart 1's thread").isGreaterThan(TimeUnit.MILLISECONDS.toNanos(700));
    }

    @Test
    void pauseIsDecodedAsAHintAndCounted() {
        int pause = 0x0100000f, fence = 0x0ff0000f;
        for (int i = 0; i < 40; i++) mem.write(RAM + 4L * i, 4, i % 2 == 0 ? pause : fence);
        Hart h = new Hart(0, mem, () -> 0);
        h.setPc(RAM);
        assertThat(h.run(40)).isEqualTo(40);
        assertThat(h.pc()).isEqualTo(RAM + 160);
        assertThat(h.stats().pauses()).isEqualTo(20);
        assertThat(h.stats().traps()).isZero();
    }

    @Test
    void aHartSpinningLongerThanAShortLockHoldSleepsInsteadOfBurningItsHostCpu() {
        mem.write(RAM, 4, 0x0100000f); // pause
        mem.write(RAM + 4, 4, 0xffdff06f); // j -4: a spin that nothing ends (the hart it waits for never runs)
        Hart h = new Hart(0, mem, () -> 0);
        h.setPc(RAM);
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        long batches = 0, longest = 0;
        while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(300)) {
            long n = h.run(1_000_000);
            longest = Math.max(longest, n);
            batches++;
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpu0, wall = System.nanoTime() - t0;
        assertThat(h.spin.parks).as("pauses that slept").isPositive();
        assertThat(cpu).as("host CPU used by 300 ms of spinning").isLessThan(wall / 2);
        assertThat(longest).as("a batch ends after a pause that slept, so the timers are looked at").isLessThan(1_000_000);
        assertThat(batches).isGreaterThan(100);
    }

    @Test
    void aDeviceInterruptWakesTheThreadOfAHartAsleepInWfi() throws Exception {
        Hart h = new Hart(0, mem, () -> 0);
        mem.write(RAM, 4, 0x10500073); // wfi
        h.setPc(RAM);
        h.run(1);
        assertThat(h.isWaiting()).isTrue();
        assertThat(h.stats().wfiSleeps()).isEqualTo(1);
        AtomicLong slept = new AtomicLong(-1);
        Thread sleeper = Thread.ofPlatform().unstarted(() -> {
            long t0 = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(30)); // as the hart's runner sleeps in WFI
            slept.set(System.nanoTime() - t0);
        });
        h.mailbox().bindThread(sleeper);
        sleeper.start();
        Thread.sleep(50);
        h.setInterruptLine(9, true); // the PLIC raises SEIP from another thread
        sleeper.join(10_000);
        assertThat(slept.get()).as("woken by the interrupt, not by its 30 s timeout").isBetween(0L, TimeUnit.SECONDS.toNanos(10));
    }
}
