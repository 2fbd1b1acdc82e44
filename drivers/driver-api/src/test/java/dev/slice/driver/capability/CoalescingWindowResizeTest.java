package dev.slice.driver.capability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescingWindowResizeTest {
    private static final TerminalSize FIRST = new TerminalSize(30, 100);
    private static final TerminalSize LAST = new TerminalSize(40, 127);

    /** A slow resize that records what it applied and holds each call until the test lets it finish. */
    private final List<TerminalSize> applied = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final Semaphore finish = new Semaphore(0);
    private final Semaphore started = new Semaphore(0);

    private final CoalescingWindowResize resize = new CoalescingWindowResize("test console", size -> {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        started.release();
        try {
            if (!finish.tryAcquire(10, TimeUnit.SECONDS)) throw new IOException("the test never let the resize finish");
        } catch (InterruptedException e) {
            throw new IOException(e);
        } finally {
            inFlight.decrementAndGet();
        }
        applied.add(size);
    });

    @Test
    void aBurstDuringOneResizeEndsInOneMoreWithTheLastSize() throws Exception {
        resize.resize(FIRST);
        assertThat(started.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        // A window drag while the first is still under way: every call returns at once.
        long begin = System.nanoTime();
        for (int columns = 101; columns < 127; columns++) resize.resize(new TerminalSize(35, columns));
        resize.resize(LAST);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)).isLessThan(1_000);
        finish.release();
        assertThat(started.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        finish.release();
        awaitApplied(2);
        assertThat(applied).containsExactly(FIRST, LAST);
        assertThat(mostInFlight).hasValue(1);
    }

    @Test
    void aFailedResizeIsTriedAgainWithTheNextOne() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        List<TerminalSize> done = new CopyOnWriteArrayList<>();
        CoalescingWindowResize booting = new CoalescingWindowResize("booting guest", size -> {
            if (failed.getCount() > 0) {
                failed.countDown();
                throw new IOException("the guest agent does not answer yet");
            }
            done.add(size);
        });
        booting.resize(FIRST);
        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // The failed one is not repeated by itself; the next size goes through.
        while (done.isEmpty() && System.nanoTime() < deadline) {
            booting.resize(LAST);
            Thread.sleep(20);
        }
        assertThat(done).isNotEmpty().allMatch(LAST::equals);
    }

    private void awaitApplied(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (applied.size() < count && System.nanoTime() < deadline) Thread.sleep(5);
    }
}
