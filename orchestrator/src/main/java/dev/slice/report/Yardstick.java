package dev.slice.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The yardstick's command line for a run's depth, and its output read back. It lives at
 * {@code $SLICE_DATA/bench/<arch>/slice-yardstick} (deploy/reports/build.sh) and is copied into each guest
 * at {@link #GUEST_PATH} for the run only.
 */
public final class Yardstick {
    public static final String GUEST_PATH = "/var/tmp/slice-bench/slice-yardstick";
    /** The workloads, in the order each round runs them. */
    public static final List<String> WORKLOADS = List.of("cpu", "mem", "syscall", "forkexec", "ctxsw", "disk", "tcp");

    private Yardstick() {}

    /** Arguments after the program: per-workload time, buffer and file sizes, the disk file, the TCP peer. */
    public static List<String> arguments(Depth depth, String diskFile, String peer) {
        List<String> args = new ArrayList<>(List.of("-t", Long.toString(depth.workloadMillis()), "-m", Integer.toString(depth.memoryMiB()),
                "-s", Integer.toString(depth.diskMiB()), "-f", diskFile, "-c", peer));
        args.addAll(WORKLOADS);
        return args;
    }

    /** What a round measured, and whether the disk figures were really direct I/O. */
    public record Figures(Map<Metric, Double> values, boolean directIo) {}

    /**
     * Reads {@code name value unit} lines; a known name with the wrong unit or a value that is not a finite number
     * is an error (a yardstick of another version), unknown names are ignored.
     */
    public static Figures parse(String output) {
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        boolean direct = false;
        for (String line : output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            String[] parts = line.split("\\s+");
            if (parts.length != 3) throw new IllegalArgumentException("the yardstick printed an unexpected line: '" + line + "'");
            double value;
            try {
                value = Double.parseDouble(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the yardstick printed a value that is not a number: '" + line + "'");
            }
            if (!Double.isFinite(value)) throw new IllegalArgumentException("the yardstick printed a value that is not finite: '" + line + "'");
            if (parts[0].equals("disk_direct")) {
                direct = value == 1;
                continue;
            }
            var metric = Metric.fromId(parts[0]);
            if (metric.isEmpty()) continue;
            if (!metric.get().unit().equals(parts[2])) {
                throw new IllegalArgumentException(parts[0] + " is in " + parts[2] + ", expected " + metric.get().unit());
            }
            values.put(metric.get(), value);
        }
        return new Figures(values, direct);
    }
}
