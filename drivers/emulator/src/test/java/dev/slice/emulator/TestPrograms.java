package dev.slice.emulator;

import dev.slice.emulator.console.BufferSerial;

import java.nio.file.Files;
import java.nio.file.Path;

/** Runs a bare-metal test program (built from deploy/emulator/tests) headless on the emulator. */
final class TestPrograms {
    private TestPrograms() { }

    record Result(int exitCode, String console) { }

    static Path elf(String name) {
        return GuestFiles.require("tests/" + name + ".elf");
    }

    static Result run(String name) throws Exception {
        return run(name, 1);
    }

    /** Runs the program on a machine with {@code harts} harts, all entering it out of reset. */
    static Result run(String name, int harts) throws Exception {
        BufferSerial console = new BufferSerial();
        Machine m = new Machine(new Machine.Config(128L << 20, Files.readAllBytes(elf(name)), null, null, "",
                Machine.Firmware.NONE, console, null, harts));
        int code = m.run(2_000_000_000L);
        return new Result(code, console.output());
    }
}
