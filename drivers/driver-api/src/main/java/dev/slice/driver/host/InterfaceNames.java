package dev.slice.driver.host;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Host network device names that are stable for a key (a guest id, another device) and fit Linux's 15 characters. */
public final class InterfaceNames {
    private static final int MAX = 15;

    private InterfaceNames() {}

    /** {@code prefix} followed by as many hex digits of the key's SHA-256 as fit. */
    public static String hashed(String prefix, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return prefix + HexFormat.of().formatHex(digest).substring(0, MAX - prefix.length());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
