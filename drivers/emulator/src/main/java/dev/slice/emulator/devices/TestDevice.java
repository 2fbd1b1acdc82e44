package dev.slice.emulator.devices;

import dev.slice.emulator.memory.Device;

/**
 * The sifive_test power device (also used as a syscon): 0x5555 powers off (pass), 0x7777 resets,
 * (code << 16) | 0x3333 powers off with a failure code. Test programs report through it.
 */
public final class TestDevice implements Device {
    public static final long BASE = 0x100000, SIZE = 0x1000;
    private final PowerControl power;

    /** What the machine does when the guest asks to stop. */
    public interface PowerControl {
        void powerOff(int exitCode);
        void reset();
    }

    public TestDevice(PowerControl power) { this.power = power; }

    @Override
    public long read(long offset, int size) { return 0; }

    @Override
    public void write(long offset, int size, long value) {
        if (offset != 0) return;
        int v = (int) value;
        switch (v & 0xffff) {
            case 0x5555 -> power.powerOff(0);
            case 0x3333 -> power.powerOff(Math.max(1, v >>> 16));
            case 0x7777 -> power.reset();
            default -> { }
        }
    }
}
