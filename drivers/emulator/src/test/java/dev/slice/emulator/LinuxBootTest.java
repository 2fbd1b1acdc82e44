package dev.slice.emulator;

import dev.slice.emulator.console.BufferSerial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Linux (Debian's 6.1 sources) boots on the emulator to a busybox shell; the virtio disk keeps what is written to it. */
class LinuxBootTest {
    private static final String PROMPT = "slice# ";
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);

    /** A running guest with its console. */
    private record Guest(Machine machine, BufferSerial console, Future<Integer> exit, ExecutorService thread) {
        int at(String text, int from) throws InterruptedException {
            int i = console.awaitOutput(text, from, BOOT_TIMEOUT);
            assertThat(i).as("console output to contain %s; got:%n%s", text, console.output()).isPositive();
            return i;
        }

        /**
         * Types a command and returns what the console printed until the command finished. The end is found by
         * a marker whose echoed form differs from its printed form, so line wrapping of the echo does not matter.
         */
        String run(String command, int from) throws InterruptedException {
            console.type(command + "; echo @@$((40+2))@@\n");
            int end = at("@@42@@", from);
            return console.output().substring(from, end);
        }
    }

    private static Guest boot(Path disk) throws Exception {
        BufferSerial console = new BufferSerial();
        Machine m = new Machine(new Machine.Config(128L << 20,
                Files.readAllBytes(GuestFiles.require("kernel/Image")),
                Files.readAllBytes(GuestFiles.require("initramfs.cpio")),
                disk, "console=ttyS0", Machine.Firmware.JAVA_SBI, console));
        ExecutorService t = Executors.newSingleThreadExecutor();
        Future<Integer> exit = t.submit(() -> m.run());
        return new Guest(m, console, exit, t);
    }

    private static int powerOff(Guest g, int from) throws Exception {
        g.console.type("poweroff -f\n");
        int code = g.exit.get(60, TimeUnit.SECONDS);
        g.thread.shutdown();
        g.machine.close();
        return code;
    }

    @Test
    void bootsToShellRunsCommandsAndPersistsAFileOnTheVirtioDisk(@TempDir Path tmp) throws Exception {
        Path disk = tmp.resolve("disk.img");
        Files.copy(GuestFiles.require("disk.img"), disk);
        String token = "slice-" + UUID.randomUUID();

        Guest first = boot(disk);
        int pos = first.at(PROMPT, 0);
        String uname = first.run("uname -a", pos);
        assertThat(uname).contains("Linux").contains("riscv64");
        pos = first.console.output().length();
        first.run("mount -t ext2 /dev/vda /mnt", pos);
        pos = first.console.output().length();
        assertThat(first.run("cat /mnt/hello.txt", pos)).contains("hello from the slice disk");
        pos = first.console.output().length();
        first.run("echo " + token + " > /mnt/written.txt && sync && umount /mnt", pos);
        pos = first.console.output().length();
        assertThat(powerOff(first, pos)).as("power-off exit code").isZero();

        Guest second = boot(disk);
        pos = second.at(PROMPT, 0);
        second.run("mount -t ext2 /dev/vda /mnt", pos);
        pos = second.console.output().length();
        assertThat(second.run("cat /mnt/written.txt", pos)).contains(token);
        pos = second.console.output().length();
        assertThat(powerOff(second, pos)).isZero();
    }

    @Test
    void unmodifiedOpenSbiRunsInMachineModeAndBootsLinuxToTheShell() throws Exception {
        Path fw = Path.of("/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin");
        assertThat(fw).as("OpenSBI from qemu-system-data: run deploy/emulator/build.sh").isRegularFile();
        BufferSerial console = new BufferSerial();
        Machine m = new Machine(new Machine.Config(128L << 20,
                Files.readAllBytes(GuestFiles.require("kernel/Image")),
                Files.readAllBytes(GuestFiles.require("initramfs.cpio")),
                null, "console=ttyS0", Machine.Firmware.FW_DYNAMIC, console, Files.readAllBytes(fw)));
        ExecutorService t = Executors.newSingleThreadExecutor();
        Guest g = new Guest(m, console, t.submit(() -> m.run()), t);
        for (String text : new String[] {"OpenSBI v", "Platform Console Device   : uart8250", "Domain0 Next Mode         : S-mode",
                "SBI implementation ID=0x1", "Run /init as init process"}) {
            g.at(text, 0);
        }
        int pos = g.at(PROMPT, 0);
        assertThat(g.run("cat /proc/cpuinfo", pos)).contains("isa").contains("rv64imafdc");
        // power-off goes through OpenSBI's SRST, which writes the sifive_test device
        assertThat(powerOff(g, console.output().length())).isZero();
    }
}
