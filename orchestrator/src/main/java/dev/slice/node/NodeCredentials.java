package dev.slice.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A node's credential: 256 random bits as {@code slnode_<base64url>}, shown once to the operator who added the node.
 * Only its SHA-256 is stored: the secret is random, so a slow password hash would add nothing.
 */
public final class NodeCredentials {
    static final String PREFIX = "slnode_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeCredentials() {}

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The stored form; null for no credential. */
    static String hash(String credential) {
        if (credential == null || credential.isBlank()) return null;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(credential.strip().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of two stored forms. */
    static boolean same(String storedHash, String presentedHash) {
        if (storedHash == null || presentedHash == null) return storedHash == null && presentedHash == null;
        return MessageDigest.isEqual(storedHash.getBytes(StandardCharsets.US_ASCII), presentedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
