package dev.slice.driver.libvirt;

import dev.slice.driver.GuestSpec;
import dev.slice.driver.firstboot.FirstBootSettings;
import dev.slice.driver.firstboot.SettingsFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The guest's first-boot settings ({@link SettingsFile}) as a tar archive (ustar) that becomes a raw
 * read-only disk; the template's initramfs hands it to {@code slice-firstboot --tar} (deploy/guest,
 * deploy/libvirt/guest/init). A tar on a bare device needs no file system and no tools beyond what the
 * initramfs's busybox has. The archive depends only on the spec, so the same spec always gives the same bytes.
 */
final class SeedArchive {
    private static final int BLOCK = 512;

    private SeedArchive() {}

    /** Refuses a spec whose values cannot safely reach a guest ({@link FirstBootSettings}). */
    static byte[] of(GuestSpec spec) {
        return tar(Map.of(SettingsFile.NAME, SettingsFile.write(FirstBootSettings.of(spec))));
    }

    static byte[] tar(Map<String, String> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        files.forEach((name, content) -> {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(header(name, data.length));
            out.writeBytes(data);
            out.writeBytes(new byte[padding(data.length)]);
        });
        out.writeBytes(new byte[2 * BLOCK]); // end-of-archive marker
        return out.toByteArray();
    }

    private static byte[] header(String name, int size) {
        byte[] header = new byte[BLOCK];
        put(header, 0, 100, name);
        put(header, 100, 8, octal(0600, 7));
        put(header, 108, 8, octal(0, 7));
        put(header, 116, 8, octal(0, 7));
        put(header, 124, 12, octal(size, 11));
        put(header, 136, 12, octal(0, 11));
        header[156] = '0'; // regular file
        put(header, 257, 6, "ustar");
        put(header, 263, 2, "00");
        put(header, 265, 32, "root");
        put(header, 297, 32, "root");
        for (int i = 148; i < 156; i++) header[i] = ' '; // checksum counts its own field as spaces
        int sum = 0;
        for (byte b : header) sum += b & 0xff;
        put(header, 148, 8, octal(sum, 6) + "\0 ");
        return header;
    }

    private static void put(byte[] header, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > length) throw new IllegalArgumentException("'" + value + "' does not fit a tar header field");
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static String octal(long value, int digits) {
        String text = Long.toOctalString(value);
        return "0".repeat(Math.max(0, digits - text.length())) + text;
    }

    private static int padding(int size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }
}
