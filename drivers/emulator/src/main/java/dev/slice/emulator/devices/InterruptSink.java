package dev.slice.emulator.devices;

/** A wire from a device to an interrupt controller. */
@FunctionalInterface
public interface InterruptSink {
    void set(boolean level);
}
