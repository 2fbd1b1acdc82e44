package dev.slice.driver.firstboot;

import dev.slice.driver.InvalidSpecException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The one serialised form of {@link FirstBootSettings}: a UTF-8 text file named {@value #NAME}, one
 * setting a line as {@code key value} (the value is the rest of the line, taken as it is), so that the
 * guest-side script reads it with the shell's {@code read} alone (Debian minimal has no python or jq).
 *
 * <pre>
 * slice-settings 1
 * id 0123456789abcdef01234567
 * hostname web-1.example.test
 * root-password-hash $6$...          (absent: root's password stays locked)
 * ssh-key ssh-ed25519 AAAA... alice   (one line per key)
 * mac 52:54:00:12:34:56               (mac, address, gateway, dns: absent without network)
 * address 10.77.0.12/24
 * gateway 10.77.0.1
 * dns 10.77.0.1                       (one line per server)
 * </pre>
 *
 * The first line names the format and its version; a guest refuses a version it does not know. A
 * reader of version 1 ignores keys it does not know, so a later driver may add optional ones. The
 * {@code id} hashes every line after it: a guest applies its one-time settings again only when it
 * changes, so a customer's own later changes survive reboots.
 */
public final class SettingsFile {
    /** The file's name on every medium (a file in a directory, on a disk, in an archive). */
    public static final String NAME = "settings";
    public static final int VERSION = 1;
    private static final String MAGIC = "slice-settings";

    private SettingsFile() {}

    public static String write(FirstBootSettings settings) {
        String body = body(settings);
        return MAGIC + " " + VERSION + "\nid " + id(body) + "\n" + body;
    }

    /** Identifies the settings: equal settings give equal ids, any change gives another. */
    public static String id(FirstBootSettings settings) { return id(body(settings)); }

    public static FirstBootSettings read(String text) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.getFirst().equals(MAGIC + " " + VERSION)) {
            throw new InvalidSpecException("not a version " + VERSION + " Slice settings file (first line '"
                    + (lines.isEmpty() ? "" : lines.getFirst()) + "')");
        }
        String hostname = null, hash = null, mac = null, address = null, gateway = null, id = null;
        List<String> keys = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space + 1);
            switch (key) {
                case "id" -> id = value;
                case "hostname" -> hostname = value;
                case "root-password-hash" -> hash = value;
                case "ssh-key" -> keys.add(value);
                case "mac" -> mac = value;
                case "address" -> address = value;
                case "gateway" -> gateway = value;
                case "dns" -> dns.add(value);
                default -> { } // a later writer's optional setting
            }
        }
        boolean networked = mac != null || address != null || gateway != null || !dns.isEmpty();
        FirstBootSettings settings = new FirstBootSettings(hostname, hash, keys,
                networked ? new FirstBootSettings.Network(mac, address, gateway, dns) : null);
        if (id != null && !id.equals(id(settings))) {
            throw new InvalidSpecException("the settings file's id " + id + " does not match its contents");
        }
        return settings;
    }

    private static String body(FirstBootSettings settings) {
        StringBuilder out = new StringBuilder();
        line(out, "hostname", settings.hostname());
        if (settings.rootPasswordHash() != null) line(out, "root-password-hash", settings.rootPasswordHash());
        settings.sshAuthorizedKeys().forEach(key -> line(out, "ssh-key", key));
        FirstBootSettings.Network network = settings.network();
        if (network != null) {
            line(out, "mac", network.mac());
            line(out, "address", network.address());
            line(out, "gateway", network.gateway());
            network.dns().forEach(server -> line(out, "dns", server));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append(' ').append(value).append('\n');
    }

    private static String id(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
