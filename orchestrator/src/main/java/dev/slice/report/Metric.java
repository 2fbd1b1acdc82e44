package dev.slice.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every figure a run records, as the yardstick prints it ({@code name value unit}), and which way is better.
 * Ratios always read "1.00 = bare metal, below 1.00 = slower": latencies are inverted.
 */
public enum Metric {
    CPU_INT("cpu_int", "Mops/s", true, "integer CPU throughput"),
    MEM_COPY("mem_copy", "MiB/s", true, "memory bandwidth (memcpy)"),
    SYSCALL_NULL("syscall_null", "ns", false, "null system call"),
    FORK_EXEC("fork_exec", "us", false, "fork + exec + wait"),
    CTXSW_PIPE("ctxsw_pipe", "us", false, "context switch (pipe ping-pong)"),
    DISK_SEQ_WRITE("disk_seq_write", "MiB/s", true, "disk sequential write, 1 MiB, direct"),
    DISK_SEQ_READ("disk_seq_read", "MiB/s", true, "disk sequential read, 1 MiB, direct"),
    DISK_RAND_READ("disk_rand_read", "IOPS", true, "disk random read, 4 KiB, direct"),
    DISK_RAND_WRITE("disk_rand_write", "IOPS", true, "disk random write, 4 KiB, direct"),
    TCP_RR("tcp_rr", "us", false, "TCP request-response to the host end of the link"),
    TCP_STREAM("tcp_stream", "Mbit/s", true, "TCP throughput to the host end of the link"),
    // The field's own tools, where the target has them (Debian's packages: the bench template, the host).
    SYSBENCH_CPU("sysbench_cpu", "events/s", true, "sysbench cpu (primes to 10000), 1 thread", "sysbench"),
    SYSBENCH_MEMORY("sysbench_memory", "MiB/s", true, "sysbench memory, 1 MiB block writes, 1 thread", "sysbench"),
    FIO_RAND_READ("fio_rand_read", "IOPS", true, "fio 4 KiB random read, direct, psync", "fio"),
    FIO_RAND_WRITE("fio_rand_write", "IOPS", true, "fio 4 KiB random write, direct, psync", "fio"),
    FIO_SEQ_READ("fio_seq_read", "MiB/s", true, "fio 1 MiB sequential read, direct", "fio"),
    FIO_SEQ_WRITE("fio_seq_write", "MiB/s", true, "fio 1 MiB sequential write, direct", "fio"),
    IPERF3_TCP("iperf3_tcp", "Mbit/s", true, "iperf3 TCP throughput to the host end of the link", "iperf3"),
    PERF_SCHED_PIPE("perf_sched_pipe", "us", false, "perf bench sched pipe, per operation", "perf"),
    PERF_SYSCALL("perf_syscall", "us", false, "perf bench syscall basic (getppid), per call", "perf"),
    /** Create + start until the guest runs a program (GuestExec answers); measured by the run, not the yardstick. */
    BOOT_TO_EXEC("boot_to_exec", "ms", false, "create + start until the guest runs a command", "run");

    /** The tool of the yardstick's own figures. */
    public static final String YARDSTICK = "yardstick";

    private final String id;
    private final String unit;
    private final boolean higherIsBetter;
    private final String label;
    private final String tool;

    Metric(String id, String unit, boolean higherIsBetter, String label) {
        this(id, unit, higherIsBetter, label, "yardstick");
    }

    Metric(String id, String unit, boolean higherIsBetter, String label, String tool) {
        this.id = id;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.label = label;
        this.tool = tool;
    }


    public String id() { return id; }

    public String unit() { return unit; }

    public boolean higherIsBetter() { return higherIsBetter; }

    public String label() { return label; }

    /** What measures it: {@link #YARDSTICK} (everywhere), a field tool (sysbench, fio, iperf3, perf), or "run" (boot time). */
    public String tool() { return tool; }

    /** Boot time has no bare-metal counterpart: it is reported, never turned into a ratio. */
    public boolean comparedWithBareMetal() { return this != BOOT_TO_EXEC; }

    public static Optional<Metric> fromId(String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.id.equals(wanted)).findFirst();
    }
}
