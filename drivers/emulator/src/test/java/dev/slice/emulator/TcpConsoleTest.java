package dev.slice.emulator;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's serial console on a loopback TCP socket: the guest's shell answers over it. */
class TcpConsoleTest {
    @Test
    void shellOverLoopbackSocket() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) { port = probe.getLocalPort(); }
        ExecutorService t = Executors.newSingleThreadExecutor();
        Future<Integer> exit = t.submit(() -> Main.run("--kernel", GuestFiles.require("kernel/Image").toString(),
                "--initrd", GuestFiles.require("initramfs.cpio").toString(), "--memory", "96M",
                "--append", "console=ttyS0", "--console", "tcp:" + port));
        Socket s = connect(port);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        StringBuilder seen = new StringBuilder();
        readUntil(in, seen, "slice# ");
        out.write("echo sum=$((6*7))\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        readUntil(in, seen, "sum=42");
        out.write("poweroff -f\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        s.close();
        t.shutdown();
    }

    private static Socket connect(int port) throws Exception {
        for (int i = 0; ; i++) {
            try {
                return new Socket(InetAddress.getLoopbackAddress(), port);
            } catch (java.net.ConnectException e) {
                if (i > 200) throw e;
                Thread.sleep(50);
            }
        }
    }

    private static void readUntil(InputStream in, StringBuilder seen, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (seen.indexOf(text) < 0) {
            assertThat(System.nanoTime()).as("waiting for %s; console so far:%n%s", text, seen).isLessThan(deadline);
            int b = in.read();
            assertThat(b).as("console closed before %s appeared:%n%s", text, seen).isNotNegative();
            seen.append((char) b);
        }
    }
}
