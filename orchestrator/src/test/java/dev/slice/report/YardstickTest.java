package dev.slice.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class YardstickTest {

    @Test
    void readsEveryFigureAndTheDirectIoFlag() {
        Yardstick.Figures figures = Yardstick.parse("""
                cpu_int 170.49 Mops/s
                syscall_null 263.594 ns
                disk_rand_read 12631.5 IOPS
                disk_direct 1 bool
                tcp_stream 9.5e+03 Mbit/s
                """);
        assertThat(figures.values()).containsEntry(Metric.CPU_INT, 170.49).containsEntry(Metric.SYSCALL_NULL, 263.594)
                .containsEntry(Metric.DISK_RAND_READ, 12631.5).containsEntry(Metric.TCP_STREAM, 9500.0).hasSize(4);
        assertThat(figures.directIo()).isTrue();
        assertThat(Yardstick.parse("disk_direct 0 bool\n").directIo()).isFalse();
    }

    @Test
    void aFigureInAnotherUnitOrNotANumberIsAnError() {
        assertThatThrownBy(() -> Yardstick.parse("syscall_null 0.26 us")).hasMessageContaining("expected ns");
        assertThatThrownBy(() -> Yardstick.parse("cpu_int fast Mops/s")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Yardstick.parse("cpu_int Infinity Mops/s")).hasMessageContaining("not finite");
        assertThatThrownBy(() -> Yardstick.parse("hello")).hasMessageContaining("unexpected line");
    }

    @Test
    void unknownFiguresOfANewerYardstickAreIgnored() {
        assertThat(Yardstick.parse("cpu_float 12 Mflops/s\ncpu_int 1 Mops/s").values()).containsOnlyKeys(Metric.CPU_INT);
    }

    @Test
    void theCommandLineCarriesTheDepthAndEveryWorkload() {
        List<String> args = Yardstick.arguments(Depth.QUICK, "/var/tmp/d.dat", "10.0.0.1:4000");
        assertThat(args).containsSubsequence("-t", "150").containsSubsequence("-f", "/var/tmp/d.dat")
                .containsSubsequence("-c", "10.0.0.1:4000").endsWith(Yardstick.WORKLOADS.toArray(String[]::new));
    }
}
