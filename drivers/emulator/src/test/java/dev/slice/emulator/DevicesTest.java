package dev.slice.emulator;

import dev.slice.emulator.console.BufferSerial;
import dev.slice.emulator.devices.Plic;
import dev.slice.emulator.devices.Uart16550;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Register-level behaviour of the PLIC and the UART that Linux's drivers rely on. */
class DevicesTest {
    @Test
    void plicClaimsTheHighestPriorityEnabledSourceAboveThresholdAndRepostsLevelInterrupts() {
        AtomicBoolean m = new AtomicBoolean(), s = new AtomicBoolean();
        Plic plic = new Plic(m::set, s::set);
        plic.write(4 * 3, 4, 2);           // priority of source 3
        plic.write(4 * 5, 4, 5);           // priority of source 5
        plic.write(0x2080, 4, (1 << 3) | (1 << 5)); // S context enables 3 and 5
        plic.line(3).set(true);
        plic.line(5).set(true);
        assertThat(s.get()).isTrue();
        assertThat(m.get()).isFalse();
        assertThat(plic.read(0x201004, 4)).isEqualTo(5);
        assertThat(plic.read(0x201004, 4)).isEqualTo(3);
        assertThat(plic.read(0x201004, 4)).isZero();
        assertThat(s.get()).isFalse();
        plic.line(3).set(false);
        plic.write(0x201004, 4, 3);        // complete 3: line low, stays idle
        plic.write(0x201004, 4, 5);        // complete 5: line still high, pending again
        assertThat(s.get()).isTrue();
        plic.write(0x201000, 4, 5);        // threshold 5 masks priority 5
        assertThat(s.get()).isFalse();
    }

    @Test
    void uartTransmitsReceivesAndSignalsInterrupts() {
        BufferSerial console = new BufferSerial();
        AtomicBoolean irq = new AtomicBoolean();
        Uart16550 uart = new Uart16550(console, irq::set);
        uart.write(0, 1, 'h');
        uart.write(0, 1, 'i');
        assertThat(console.output()).isEqualTo("hi");
        assertThat(uart.read(5, 1) & 0x60).isEqualTo(0x60);          // THR empty, transmitter idle
        uart.write(1, 1, 0x02);                                        // enable THR-empty interrupt
        assertThat(irq.get()).isTrue();
        assertThat(uart.read(2, 1) & 0x0f).isEqualTo(0x02);           // IIR: THR empty; reading it clears it
        assertThat(irq.get()).isFalse();
        uart.write(1, 1, 0x01);                                        // receive interrupt only
        console.type("ok");
        uart.poll();
        assertThat(irq.get()).isTrue();
        assertThat(uart.read(5, 1) & 1).isEqualTo(1);
        assertThat(uart.read(2, 1) & 0x0f).isEqualTo(0x04);
        assertThat((char) uart.read(0, 1)).isEqualTo('o');
        assertThat((char) uart.read(0, 1)).isEqualTo('k');
        assertThat(uart.read(5, 1) & 1).isZero();
        assertThat(irq.get()).isFalse();
        uart.write(3, 1, 0x80);                                        // DLAB: divisor latch
        uart.write(0, 1, 0x12);
        assertThat(uart.read(0, 1)).isEqualTo(0x12);
        uart.write(3, 1, 0x03);
        uart.write(4, 1, 0x10);                                        // loopback: what is sent comes back
        uart.write(0, 1, 'x');
        assertThat((char) uart.read(0, 1)).isEqualTo('x');
        assertThat(console.output()).isEqualTo("hi");
    }
}
