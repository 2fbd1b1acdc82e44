package dev.slice.emulator.memory;

/** A memory-mapped device: registers reached at an offset from its base address. */
public interface Device {
    /** Reads {@code size} bytes (1, 2, 4 or 8) at {@code offset}; returns the value zero-extended. */
    long read(long offset, int size);

    void write(long offset, int size, long value);
}
