package dev.slice.emulator.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy-on-write disk: reads through to the base, writes stay in the overlay, and flush and crashes behave like a disk. */
class CowOverlayTest {
    private static final int MIB = 1 << 20;
    @TempDir Path dir;

    private Path base(int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Path base = dir.resolve("base.img");
        Files.write(base, data);
        return base;
    }

    private static byte[] read(BlockStore disk, long offset, int length) throws IOException {
        byte[] out = new byte[length];
        disk.read(offset, out, 0, length);
        return out;
    }

    @Test
    void readsComeFromTheBaseUntilWrittenAndTheBaseIsNeverTouched() throws IOException {
        Path base = base(2 * MIB, 1);
        byte[] original = Files.readAllBytes(base);
        Path overlay = dir.resolve("disk.cow");
        CowOverlay.create(overlay, base, 4L * MIB);
        try (CowOverlay disk = CowOverlay.open(overlay)) {
            assertThat(disk.size()).isEqualTo(4L * MIB);
            assertThat(read(disk, 0, 2 * MIB)).isEqualTo(original);
            assertThat(read(disk, 2 * MIB, MIB)).as("past the base's end").containsOnly(0);

            byte[] sector = new byte[512];
            Arrays.fill(sector, (byte) 0x5a);
            disk.write(70_000 * 1L - 70_000 % 512, sector, 0, 512); // inside cluster 1, not aligned to it
            disk.write(3L * MIB, sector, 0, 512);                    // past the base's end
            assertThat(disk.allocatedClusters()).isEqualTo(2);

            byte[] expected = Arrays.copyOf(original, 4 * MIB);
            System.arraycopy(sector, 0, expected, 70_000 - 70_000 % 512, 512);
            System.arraycopy(sector, 0, expected, 3 * MIB, 512);
            assertThat(read(disk, 0, 4 * MIB)).as("the rest of a copied-up cluster keeps the base's bytes").isEqualTo(expected);
        }
        assertThat(Files.readAllBytes(base)).isEqualTo(original);
        assertThat(Files.size(overlay)).as("apparent size: header, bitmap and the clusters up to the last written").isLessThan(5L * MIB);
    }

    @Test
    void writesSpanningClustersAndReopeningKeepEverything() throws IOException {
        Path base = base(MIB, 2);
        Path overlay = dir.resolve("disk.cow");
        CowOverlay.create(overlay, base, 2L * MIB);
        byte[] data = new byte[200 * 1024];
        new Random(3).nextBytes(data);
        try (CowOverlay disk = CowOverlay.open(overlay)) {
            disk.write(100 * 1024, data, 0, data.length);
        }
        try (BlockStore disk = BlockStore.open(overlay, false)) {
            assertThat(disk).isInstanceOf(CowOverlay.class);
            assertThat(read(disk, 100 * 1024, data.length)).isEqualTo(data);
            assertThat(read(disk, 0, 100 * 1024)).isEqualTo(Arrays.copyOf(Files.readAllBytes(base), 100 * 1024));
        }
    }

    @Test
    void aCrashLosesOnlyWhatWasWrittenAfterTheLastFlush() throws IOException {
        Path base = base(MIB, 4);
        byte[] original = Files.readAllBytes(base);
        Path overlay = dir.resolve("disk.cow");
        CowOverlay.create(overlay, base, MIB);
        byte[] flushed = new byte[4096];
        Arrays.fill(flushed, (byte) 1);
        byte[] unflushed = new byte[4096];
        Arrays.fill(unflushed, (byte) 2);

        Path afterCrash = dir.resolve("after-crash.cow");
        try (CowOverlay disk = CowOverlay.open(overlay)) {
            disk.write(0, flushed, 0, flushed.length);
            disk.flush();
            disk.write(512 * 1024, unflushed, 0, unflushed.length); // a new cluster, its bitmap bit not yet on disk
            // The process dies here (SIGKILL): the file is what it wrote so far, without a flush or close.
            Files.copy(overlay, afterCrash);
            assertThatThrownBy(() -> CowOverlay.open(overlay)).as("a disk open in one machine").hasMessageContaining("already open");
        }

        try (CowOverlay reopened = CowOverlay.open(afterCrash)) {
            assertThat(read(reopened, 0, 4096)).isEqualTo(flushed);
            assertThat(read(reopened, 512 * 1024, 4096)).as("an unflushed new cluster reads as the base again")
                    .isEqualTo(Arrays.copyOfRange(original, 512 * 1024, 512 * 1024 + 4096));
            assertThat(reopened.allocatedClusters()).isEqualTo(1);
        }
    }

    @Test
    void aBaseThatChangedIsRefusedRatherThanReadWrongly() throws IOException {
        Path base = base(MIB, 5);
        Path overlay = dir.resolve("disk.cow");
        CowOverlay.create(overlay, base, MIB);
        Files.setLastModifiedTime(base, FileTime.fromMillis(Files.getLastModifiedTime(base).toMillis() + 5000));
        assertThatThrownBy(() -> CowOverlay.open(overlay)).isInstanceOf(IOException.class).hasMessageContaining("changed");
    }

    @Test
    void aDamagedHeaderAndAccessesOutsideTheDiskAreErrors() throws IOException {
        Path base = base(MIB, 6);
        Path overlay = dir.resolve("disk.cow");
        CowOverlay.create(overlay, base, MIB);
        try (CowOverlay disk = CowOverlay.open(overlay)) {
            assertThatThrownBy(() -> disk.write(MIB - 256, new byte[512], 0, 512)).isInstanceOf(IOException.class);
        }
        try (RandomAccessFile file = new RandomAccessFile(overlay.toFile(), "rw")) {
            file.seek(12);
            file.writeInt(0); // cluster size 0
        }
        assertThatThrownBy(() -> CowOverlay.open(overlay)).hasMessageContaining("damaged");
        assertThat(CowOverlay.isOverlay(base)).isFalse();
    }
}
