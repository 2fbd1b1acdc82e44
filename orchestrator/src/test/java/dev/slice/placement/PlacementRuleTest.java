package dev.slice.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementRuleTest {
    private static NodeLoad node(long id, int cpus, long memory, long disk, double cpuRatio, double memRatio, double diskRatio,
                                 long usedCpu, long usedMem, long usedDisk) {
        return new NodeLoad(id, "n" + id, cpus, memory, disk, cpuRatio, memRatio, diskRatio, usedCpu, usedMem, usedDisk);
    }

    @Test
    void cpuMayBeOvercommittedByItsRatio() {
        NodeLoad twoCpusAtFour = node(1, 2, 8192, 100_000, 4.0, 1.0, 1.0, 7, 0, 0);
        assertThat(PlacementRule.fits(twoCpusAtFour, new Demand(1, 512, 1000))).isTrue();
        assertThat(PlacementRule.fits(twoCpusAtFour, new Demand(2, 512, 1000))).isFalse();
    }

    @Test
    void memoryAtRatioOneNeverGoesPastPhysical() {
        NodeLoad node = node(1, 8, 4096, 100_000, 4.0, 1.0, 1.0, 0, 3584, 0);
        assertThat(PlacementRule.fits(node, new Demand(1, 512, 1000))).isTrue();
        assertThat(PlacementRule.fits(node, new Demand(1, 513, 1000))).isFalse();
    }

    @Test
    void diskIsCheckedWithItsOwnRatio() {
        NodeLoad node = node(1, 8, 8192, 10_000, 4.0, 1.0, 1.5, 0, 0, 14_000);
        assertThat(PlacementRule.fits(node, new Demand(1, 512, 1000))).isTrue();
        assertThat(PlacementRule.fits(node, new Demand(1, 512, 1001))).isFalse();
    }

    @Test
    void fractionalLimitsRoundDown() {
        assertThat(PlacementRule.limit(3, 1.5)).isEqualTo(4);
        assertThat(PlacementRule.limit(2, 1.5)).isEqualTo(3);
        assertThat(PlacementRule.limit(1000, 1.0)).isEqualTo(1000);
    }

    @Test
    void aPlanLargerThanTheEmptyNodeNeverFits() {
        NodeLoad small = node(1, 1, 1024, 10_000, 4.0, 1.0, 1.0, 0, 0, 0);
        assertThat(PlacementRule.fitsEmpty(small, new Demand(1, 2048, 1000))).isFalse();
        assertThat(PlacementRule.fitsEmpty(small, new Demand(4, 1024, 10_000))).isTrue();
    }

    @Test
    void choosesTheNodeWithTheMostMemoryLeftAndSkipsFullOnes() {
        NodeLoad full = node(1, 8, 4096, 100_000, 4.0, 1.0, 1.0, 0, 4096, 0);
        NodeLoad busy = node(2, 8, 4096, 100_000, 4.0, 1.0, 1.0, 0, 3000, 0);
        NodeLoad idle = node(3, 8, 4096, 100_000, 4.0, 1.0, 1.0, 0, 500, 0);
        assertThat(PlacementRule.choose(List.of(full, busy, idle), new Demand(1, 512, 1000))).map(NodeLoad::nodeId).contains(3L);
        assertThat(PlacementRule.choose(List.of(full), new Demand(1, 512, 1000))).isEmpty();
    }

    @Test
    void aShortageNamesTheShortResourcesWithFiguresOnTheClosestNode() {
        NodeLoad memoryFull = node(1, 2, 8192, 100_000, 4.0, 1.0, 1.0, 1, 8000, 0);
        NodeLoad bothFull = node(2, 2, 8192, 100_000, 4.0, 1.0, 1.0, 8, 8192, 0);
        assertThat(PlacementRule.shortage(List.of(bothFull, memoryFull), new Demand(2, 512, 1000)))
                .isEqualTo("short of memory on node n1: 192 MiB free of 8192 MiB, the plan needs 512 MiB");
        assertThat(PlacementRule.shortage(List.of(bothFull), new Demand(2, 512, 1000)))
                .isEqualTo("short of memory and vCPUs on node n2: 0 MiB free of 8192 MiB, the plan needs 512 MiB;"
                        + " 0 vCPUs free of 8, the plan needs 2");
    }
}
