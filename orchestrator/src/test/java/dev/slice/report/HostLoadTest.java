package dev.slice.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostLoadTest {

    @Test
    void readsLoadPressureAndAvailableMemory(@TempDir Path proc) throws Exception {
        Files.writeString(proc.resolve("loadavg"), "3.52 2.10 1.00 3/456 7890\n");
        Files.createDirectories(proc.resolve("pressure"));
        Files.writeString(proc.resolve("pressure/cpu"), "some avg10=25.32 avg60=13.85 avg300=7.23 total=34337864\n"
                + "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        Files.writeString(proc.resolve("pressure/memory"), "some avg10=1.50 avg60=0.00 avg300=0.00 total=0\n");
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       24576000 kB\nMemAvailable:   20480000 kB\n");
        assertThat(HostLoad.read(proc)).isEqualTo(new HostLoad(3.52, 25.32, 1.50, 20000));
    }

    @Test
    void aKernelWithoutPsiGivesMinusOne(@TempDir Path proc) throws Exception {
        Files.writeString(proc.resolve("loadavg"), "0.10 0.10 0.10 1/1 1\n");
        HostLoad load = HostLoad.read(proc);
        assertThat(load.cpuPressure()).isEqualTo(-1.0);
        assertThat(load.memAvailableMiB()).isEqualTo(-1);
        assertThat(load.loadAverage()).isEqualTo(0.10);
    }

    @Test
    void thisHostHasALoad() {
        assertThat(HostLoad.now().loadAverage()).isNotNegative();
    }
}
