package dev.slice.driver;

import java.time.Duration;

/** How to stop a guest: ask it to shut down and wait, or pull the plug. */
public sealed interface StopMode {
    /** ACPI power button, SIGTERM to init, mconsole halt...; after {@code timeout} the driver forces it. */
    record Graceful(Duration timeout) implements StopMode {}

    record Force() implements StopMode {}

    static StopMode graceful(Duration timeout) { return new Graceful(timeout); }

    static StopMode force() { return new Force(); }
}
