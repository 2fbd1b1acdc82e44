package dev.slice.emulator.cpu;

/** A synchronous exception raised while executing an instruction; one instance per hart, reused. */
final class Trap extends RuntimeException {
    long cause;
    long tval;

    Trap() { super(null, null, false, false); }

    Trap set(long cause, long tval) {
        this.cause = cause;
        this.tval = tval;
        return this;
    }
}
