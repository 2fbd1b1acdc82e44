package dev.slice.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The field's own benchmark tools from Debian's packages, run beside the yardstick wherever a target has them
 * (the debian-12-bench template, the host): sysbench cpu and memory, fio 4 KiB random and 1 MiB sequential
 * with direct I/O, iperf3 against a server on the host end of the target's link, {@code perf bench sched pipe}
 * and {@code perf bench syscall basic}. Each invocation is an argument list and a parser of what the tool prints
 * (tested on captured real output); the figures are the same {@link Metric}s on every target.
 */
final class FieldTools {
    /** The programs looked for, each asked for its version to tell whether it is there. */
    static final List<String> PROGRAMS = List.of("sysbench", "fio", "iperf3", "perf");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern EVENTS_PER_SECOND = Pattern.compile("events per second:\\s*([0-9.]+)");
    private static final Pattern MIB_PER_SECOND = Pattern.compile("MiB transferred \\(([0-9.]+) MiB/sec\\)");
    private static final Pattern USECS_PER_OP = Pattern.compile("([0-9.]+) usecs/op");

    private FieldTools() {}

    /** How to ask a program whether it is installed. */
    static List<String> versionCommand(String program) {
        return program.equals("perf") ? List.of("perf", "version") : List.of(program, "--version");
    }

    /**
     * One run of one tool: its argument list and what it measured. {@code directFallback}, when not null, is the
     * same run without direct I/O, for file systems that refuse O_DIRECT (the figures are then marked so).
     */
    record Invocation(String tool, List<String> argv, List<String> directFallback, Function<String, Map<Metric, Double>> parse) {}

    /**
     * The invocations of a round for the tools present, in a fixed order.
     *
     * @param dir       a directory on the target's own disk for fio's file
     * @param iperfHost the address of the iperf3 server on the host end of the target's link
     * @param iperfPort its port (0: no iperf3 this round)
     */
    static List<Invocation> invocations(Set<String> present, Depth depth, String dir, String iperfHost, int iperfPort) {
        String seconds = Long.toString(seconds(depth));
        List<Invocation> all = new ArrayList<>();
        if (present.contains("sysbench")) {
            all.add(new Invocation("sysbench", List.of("sysbench", "cpu", "--threads=1", "--time=" + seconds, "run"), null,
                    out -> Map.of(Metric.SYSBENCH_CPU, sysbenchCpu(out))));
            all.add(new Invocation("sysbench", List.of("sysbench", "memory", "--threads=1", "--time=" + seconds,
                    "--memory-block-size=1M", "--memory-total-size=10000G", "--memory-oper=write", "run"), null,
                    out -> Map.of(Metric.SYSBENCH_MEMORY, sysbenchMemory(out))));
        }
        if (present.contains("fio")) {
            String file = dir + "/fio.dat";
            String size = depth.diskMiB() + "M";
            all.add(fio("randread", "4k", file, size, seconds, Metric.FIO_RAND_READ, "read", true));
            all.add(fio("randwrite", "4k", file, size, seconds, Metric.FIO_RAND_WRITE, "write", true));
            all.add(fio("read", "1M", file, size, seconds, Metric.FIO_SEQ_READ, "read", false));
            all.add(fio("write", "1M", file, size, seconds, Metric.FIO_SEQ_WRITE, "write", false));
        }
        if (present.contains("iperf3") && iperfPort > 0) all.add(iperf3(depth, iperfHost, iperfPort));
        if (present.contains("perf")) {
            all.add(new Invocation("perf", List.of("perf", "bench", "sched", "pipe", "-l", depth == Depth.QUICK ? "20000" : "200000"),
                    null, out -> Map.of(Metric.PERF_SCHED_PIPE, usecsPerOp(out))));
            all.add(new Invocation("perf", List.of("perf", "bench", "syscall", "basic", "-l",
                    depth == Depth.QUICK ? "200000" : "2000000"), null, out -> Map.of(Metric.PERF_SYSCALL, usecsPerOp(out))));
        }
        return all;
    }

    /** The iperf3 client against a server at {@code host:port} (started for it by the run). */
    static Invocation iperf3(Depth depth, String host, int port) {
        String seconds = Long.toString(seconds(depth));
        return new Invocation("iperf3", List.of("iperf3", "-c", host, "-p", Integer.toString(port), "-t", seconds,
                "--connect-timeout", "5000", "-J"), null, out -> Map.of(Metric.IPERF3_TCP, iperf3Mbits(out)));
    }

    /** How long each time-based tool runs at a depth (whole seconds, at least one). */
    static long seconds(Depth depth) {
        return Math.max(1, Math.round(depth.workloadMillis() / 1000.0));
    }

    private static Invocation fio(String rw, String block, String file, String size, String seconds, Metric metric, String side,
                                  boolean iops) {
        List<String> argv = new ArrayList<>(List.of("fio", "--name=" + rw, "--filename=" + file, "--size=" + size, "--rw=" + rw,
                "--bs=" + block, "--ioengine=psync", "--runtime=" + seconds, "--time_based", "--output-format=json"));
        List<String> buffered = new ArrayList<>(argv);
        argv.add("--direct=1");
        buffered.addAll(List.of("--direct=0", "--end_fsync=1", "--invalidate=1"));
        return new Invocation("fio", argv, buffered, out -> Map.of(metric, iops ? fioIops(out, side) : fioMiBPerSecond(out, side)));
    }

    /** sysbench cpu: "events per second: 2076.35". */
    static double sysbenchCpu(String out) {
        return number(EVENTS_PER_SECOND, out, "sysbench cpu");
    }

    /** sysbench memory: "12747.00 MiB transferred (12681.10 MiB/sec)". */
    static double sysbenchMemory(String out) {
        return number(MIB_PER_SECOND, out, "sysbench memory");
    }

    /** perf bench sched pipe and syscall basic: "9.486750 usecs/op". */
    static double usecsPerOp(String out) {
        return number(USECS_PER_OP, out, "perf bench");
    }

    /** fio's JSON: the first job's {@code read.iops} or {@code write.iops}. */
    static double fioIops(String json, String side) {
        return positive(fioSide(json, side).path("iops").asDouble(), "fio " + side + " iops");
    }

    /** fio's JSON: the first job's bandwidth in KiB/s, as MiB/s. */
    static double fioMiBPerSecond(String json, String side) {
        return positive(fioSide(json, side).path("bw").asDouble() / 1024.0, "fio " + side + " bandwidth");
    }

    private static JsonNode fioSide(String json, String side) {
        JsonNode job = tree(json, "fio").path("jobs").path(0);
        if (job.isMissingNode()) throw new IllegalArgumentException("fio printed no job: " + head(json));
        if (job.path("error").asInt() != 0) throw new IllegalArgumentException("fio's job failed with error " + job.path("error").asInt());
        return job.path(side);
    }

    /** iperf3 -J (client): what the server received, {@code end.sum_received.bits_per_second}, in Mbit/s. */
    static double iperf3Mbits(String json) {
        JsonNode root = tree(json, "iperf3");
        if (root.has("error")) throw new IllegalArgumentException("iperf3: " + root.path("error").asString());
        return positive(root.path("end").path("sum_received").path("bits_per_second").asDouble() / 1e6, "iperf3 bits_per_second");
    }

    private static JsonNode tree(String json, String tool) {
        int start = json.indexOf('{');
        if (start < 0) throw new IllegalArgumentException(tool + " printed no JSON: " + head(json));
        try {
            return JSON.readTree(json.substring(start));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(tool + " printed JSON that cannot be read: " + e.getMessage());
        }
    }

    private static double number(Pattern pattern, String out, String what) {
        Matcher matcher = pattern.matcher(out);
        if (!matcher.find()) throw new IllegalArgumentException(what + " printed no figure: " + head(out));
        return positive(Double.parseDouble(matcher.group(1)), what);
    }

    private static double positive(double value, String what) {
        if (!Double.isFinite(value) || value <= 0) throw new IllegalArgumentException(what + " is not a positive number: " + value);
        return value;
    }

    private static String head(String text) {
        String line = text.strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** Figures of several invocations together. */
    static Map<Metric, Double> merge(List<Map<Metric, Double>> parts) {
        Map<Metric, Double> all = new EnumMap<>(Metric.class);
        parts.forEach(all::putAll);
        return all;
    }
}
