package dev.slice.emulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/emulator/slice-emulator, the launcher that runs the emulator with the JVM's AOT cache: Linux boots to the
 * shell and powers off with 0 whether the cache is missing, damaged, fresh or stale (made for an older jar).
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("../../deploy/emulator/slice-emulator").toAbsolutePath().normalize();

    @TempDir
    Path data;

    @Test
    void bootsWithoutACache() throws Exception {
        Path jar = jarOfTheClasses();
        bootToShellAndPowerOff(jar, "use");
        assertThat(cache()).doesNotExist();
    }

    @Test
    void bootsWithADamagedCache() throws Exception {
        Path jar = jarOfTheClasses();
        Files.createDirectories(cache().getParent());
        Files.write(cache(), new byte[4096]);
        // recorded as trained with this jar, so the launcher hands it to the JVM, which must reject it and go on
        Files.writeString(cache().resolveSibling("emulator.aot.jar"),
                jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis() / 1000 + "\n");
        assertThat(bootToShellAndPowerOff(jar, "use")).doesNotContain("trained with another jar");
    }

    @Test
    void trainsACacheAndStillBootsWhenTheJarChangedSince() throws Exception {
        Path jar = jarOfTheClasses();
        bootToShellAndPowerOff(jar, "train");
        assertThat(cache()).isNotEmptyFile();
        assertThat(bootToShellAndPowerOff(jar, "use")).doesNotContain("trained with another jar");
        // a rebuilt jar: the cache is stale, the launcher leaves it out and the emulator runs without it
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        assertThat(bootToShellAndPowerOff(jar, "use")).contains("trained with another jar");
    }

    private Path cache() {
        return data.resolve("emulator/aot/emulator.aot");
    }

    /** The AOT cache needs a jar on the class path (directories are not cached): one made of the compiled classes. */
    private Path jarOfTheClasses() throws Exception {
        Path jar = data.resolve("driver-emulator.jar");
        Path tool = Path.of(System.getProperty("java.home"), "bin", "jar");
        Process p = new ProcessBuilder(tool.toString(), "--create", "--file", jar.toString(), "-C", "target/classes", ".")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("jar tool: %s", out).isZero();
        return jar;
    }

    /** Returns what the launcher and the JVM wrote on stderr. */
    private String bootToShellAndPowerOff(Path jar, String aotMode) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(LAUNCHER.toString(), "--memory", "96M",
                "--kernel", GuestFiles.require("kernel/Image").toString(),
                "--initrd", GuestFiles.require("initramfs.cpio").toString(), "--append", "console=ttyS0"));
        Map<String, String> env = pb.environment();
        env.put("SLICE_DATA", data.toString());
        env.put("SLICE_EMULATOR_JAR", jar.toString());
        env.put("SLICE_EMULATOR_AOT", aotMode);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Path err = data.resolve("stderr-" + aotMode + ".txt");
        Process p = pb.redirectError(err.toFile()).start();
        // a hung guest ends the process, which ends the console stream and fails the test instead of hanging it
        CompletableFuture.runAsync(p::destroyForcibly, CompletableFuture.delayedExecutor(300, TimeUnit.SECONDS));
        try (InputStream in = p.getInputStream(); OutputStream out = p.getOutputStream()) {
            StringBuilder seen = new StringBuilder();
            readUntil(in, seen, "slice# ", err);
            out.write("poweroff -f\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.transferTo(OutputStream.nullOutputStream());
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the launcher did not end after poweroff").isTrue();
            assertThat(p.exitValue()).as("exit code; stderr:%n%s", Files.readString(err)).isZero();
            return Files.readString(err);
        } finally {
            p.destroyForcibly();
        }
    }

    private static void readUntil(InputStream in, StringBuilder seen, String text, Path err) throws Exception {
        while (seen.indexOf(text) < 0) {
            int b = in.read();
            assertThat(b).as("console closed before %s appeared:%n%s%nstderr:%n%s", text, seen, Files.readString(err)).isNotNegative();
            seen.append((char) b);
        }
    }
}
