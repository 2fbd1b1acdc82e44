package dev.slice.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The field tools' parsers, on output captured from the real tools (Debian 12: sysbench 1.0.20, fio 3.33, iperf3 3.12, perf 6.1). */
class FieldToolsTest {

    @Test
    void sysbenchCpuAndMemory() {
        assertThat(FieldTools.sysbenchCpu(captured("sysbench-cpu.txt"))).isEqualTo(2076.35);
        assertThat(FieldTools.sysbenchMemory(captured("sysbench-memory.txt"))).isEqualTo(12681.10);
    }

    @Test
    void fioIopsAndBandwidthOfTheSideThatRan() {
        assertThat(FieldTools.fioIops(captured("fio-randread.json"), "read")).isCloseTo(8308.457711, within(1e-6));
        assertThat(FieldTools.fioMiBPerSecond(captured("fio-seqwrite.json"), "write")).isCloseTo(848047 / 1024.0, within(1e-9));
        assertThatThrownBy(() -> FieldTools.fioIops(captured("fio-randread.json"), "write")).hasMessageContaining("not a positive number");
    }

    @Test
    void iperf3WhatTheServerReceived() {
        assertThat(FieldTools.iperf3Mbits(captured("iperf3-client.json"))).isCloseTo(10918.347285967079, within(1e-6));
        assertThatThrownBy(() -> FieldTools.iperf3Mbits("{\"start\": {}, \"error\": \"unable to connect to server: Connection refused\"}"))
                .hasMessageContaining("unable to connect");
    }

    @Test
    void perfBenchSchedPipeAndSyscall() {
        assertThat(FieldTools.usecsPerOp(captured("perf-sched-pipe.txt"))).isEqualTo(11.930850);
        assertThat(FieldTools.usecsPerOp(captured("perf-syscall-basic.txt"))).isEqualTo(0.558790);
    }

    @Test
    void outputWithoutAFigureIsAnErrorThatQuotesIt() {
        assertThatThrownBy(() -> FieldTools.sysbenchCpu("FATAL: invalid option")).hasMessageContaining("FATAL: invalid option");
        assertThatThrownBy(() -> FieldTools.fioIops("fio: pid=0, err=22/file:filesetup.c", "read")).hasMessageContaining("no JSON");
    }

    @Test
    void invocationsOnlyForTheToolsPresentAndEveryParserMatchesItsInvocation() {
        assertThat(FieldTools.invocations(Set.of(), Depth.QUICK, "/d", "10.0.0.1", 5201)).isEmpty();
        List<FieldTools.Invocation> all = FieldTools.invocations(Set.copyOf(FieldTools.PROGRAMS), Depth.QUICK, "/d", "10.0.0.1", 5201);
        assertThat(all).extracting(FieldTools.Invocation::tool).containsExactly("sysbench", "sysbench", "fio", "fio", "fio", "fio",
                "iperf3", "perf", "perf");
        assertThat(all.get(2).argv()).contains("--direct=1", "--rw=randread", "--bs=4k", "--filename=/d/fio.dat");
        assertThat(all.get(2).directFallback()).contains("--direct=0").doesNotContain("--direct=1");
        assertThat(all.get(6).argv()).containsSubsequence("-c", "10.0.0.1", "-p", "5201");
        assertThat(all.get(6).parse().apply(captured("iperf3-client.json"))).containsOnlyKeys(Metric.IPERF3_TCP);
        assertThat(all.get(0).parse().apply(captured("sysbench-cpu.txt"))).isEqualTo(Map.of(Metric.SYSBENCH_CPU, 2076.35));
        assertThat(FieldTools.invocations(Set.of("iperf3"), Depth.QUICK, "/d", "10.0.0.1", 0)).as("no server, no iperf3").isEmpty();
        assertThat(Metric.FIO_RAND_READ.tool()).isEqualTo("fio");
        assertThat(Metric.CPU_INT.tool()).isEqualTo(Metric.YARDSTICK);
    }

    private static String captured(String name) {
        try (InputStream in = FieldToolsTest.class.getResourceAsStream("tools/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
