package dev.slice.driver.guestagent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A link over two named pipes: {@code toGuest} is read by the guest's line, {@code fromGuest} written by it.
 * Both are opened read-write, which never blocks and never sees end-of-file, whoever holds the other ends;
 * file channels are interruptible, so closing the link ends a blocked read or write.
 */
public final class FifoLink implements AgentLink {
    private final FileChannel toGuest;
    private final FileChannel fromGuest;

    private FifoLink(FileChannel toGuest, FileChannel fromGuest) {
        this.toGuest = toGuest;
        this.fromGuest = fromGuest;
    }

    public static FifoLink open(Path toGuest, Path fromGuest) throws IOException {
        FileChannel out = FileChannel.open(toGuest, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new FifoLink(out, FileChannel.open(fromGuest, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    @Override
    public InputStream in() { return Channels.newInputStream(fromGuest); }

    @Override
    public OutputStream out() { return Channels.newOutputStream(toGuest); }

    @Override
    public void close() {
        try {
            toGuest.close();
        } catch (IOException ignored) {
            // Closing is all that is left to do.
        }
        try {
            fromGuest.close();
        } catch (IOException ignored) {
            // As above.
        }
    }
}
