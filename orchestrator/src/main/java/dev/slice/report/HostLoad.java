package dev.slice.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How busy the host was when a sample was taken: the 1-minute load average, CPU and memory pressure
 * (PSI "some avg10", percent; -1 where the kernel has no PSI) and MemAvailable.
 */
public record HostLoad(double loadAverage, double cpuPressure, double memoryPressure, long memAvailableMiB) {

    static HostLoad read(Path proc) {
        return new HostLoad(firstNumber(proc.resolve("loadavg")).orElse(-1.0), someAvg10(proc.resolve("pressure/cpu")),
                someAvg10(proc.resolve("pressure/memory")), memAvailableMiB(proc.resolve("meminfo")));
    }

    static HostLoad now() {
        return read(Path.of("/proc"));
    }

    static double someAvg10(Path file) {
        return text(file).flatMap(text -> text.lines().filter(line -> line.startsWith("some ")).findFirst())
                .flatMap(line -> java.util.Arrays.stream(line.split("\\s+")).filter(f -> f.startsWith("avg10=")).findFirst())
                .map(field -> Double.parseDouble(field.substring("avg10=".length()))).orElse(-1.0);
    }

    static long memAvailableMiB(Path meminfo) {
        return text(meminfo).flatMap(text -> text.lines().filter(line -> line.startsWith("MemAvailable:")).findFirst())
                .map(line -> Long.parseLong(line.replaceAll("\\D+", "")) / 1024).orElse(-1L);
    }

    private static Optional<Double> firstNumber(Path file) {
        return text(file).map(text -> Double.parseDouble(text.strip().split("\\s+")[0]));
    }

    private static Optional<String> text(Path file) {
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
