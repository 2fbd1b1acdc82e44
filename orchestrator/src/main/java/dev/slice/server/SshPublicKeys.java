package dev.slice.server;

import dev.slice.error.PlainText;
import dev.slice.error.ValidationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Checks OpenSSH public keys ({@code type base64 [comment]}) before they reach a guest's authorized_keys:
 * a known key type, valid base64, and a key blob that names the same type (as ssh-keygen writes it).
 */
public final class SshPublicKeys {
    private static final Set<String> TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");

    public static final int MAX_KEYS = 20;
    /** A 16384-bit RSA key, the largest ssh-keygen makes, is about 2,800 characters of base64. */
    public static final int MAX_LINE_LENGTH = 8192;
    public static final int MAX_COMMENT_LENGTH = 256;

    private SshPublicKeys() {}

    /** The keys without blank lines, each normalised to one line; throws on field {@code sshKeys}. */
    public static List<String> validate(List<String> keys) {
        List<String> valid = new ArrayList<>();
        if (keys == null) return valid;
        if (keys.size() > MAX_KEYS) throw new ValidationException("sshKeys", "at most " + MAX_KEYS + " SSH keys");
        int index = 0;
        for (String raw : keys) {
            if (raw == null) throw new ValidationException("sshKeys", "an SSH key cannot be null (leave it out)");
            if (raw.isBlank()) continue;
            for (String line : raw.strip().split("\\R")) {
                if (line.isBlank()) continue;
                index++;
                String problem = problem(line.strip());
                if (problem != null) throw new ValidationException("sshKeys", "SSH key " + index + ": " + problem);
                valid.add(line.strip());
            }
        }
        if (valid.size() > MAX_KEYS) throw new ValidationException("sshKeys", "at most " + MAX_KEYS + " SSH keys");
        return valid;
    }

    /** Why the line is not an OpenSSH public key, or null if it is one. */
    static String problem(String line) {
        if (line.length() > MAX_LINE_LENGTH) return "longer than " + MAX_LINE_LENGTH + " characters";
        if (!PlainText.isPlain(line)) return "contains control characters";
        String[] parts = line.split("\\s+", 3);
        if (parts.length < 2) return "expected '<type> <base64 key> [comment]', as in a .pub file";
        if (!TYPES.contains(parts[0])) return "unknown key type '" + parts[0] + "' (use ed25519, ecdsa or rsa)";
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return "the key data is not valid base64";
        }
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        if (buffer.remaining() < 4) return "the key data is truncated";
        int length = buffer.getInt();
        if (length < 1 || length > buffer.remaining()) return "the key data is truncated";
        byte[] type = new byte[length];
        buffer.get(type);
        if (!parts[0].equals(new String(type, StandardCharsets.US_ASCII))) {
            return "the key data says '" + new String(type, StandardCharsets.US_ASCII) + "' but the line says '" + parts[0] + "'";
        }
        if (parts[0].equals("ssh-ed25519") && blob.length != 4 + 11 + 4 + 32) return "an ed25519 key must hold 32 key bytes";
        if (parts[0].equals("ssh-rsa") && blob.length < 4 + 7 + 4 + 1 + 4 + 256) return "RSA keys must have at least 2048 bits";
        if (parts.length == 3 && parts[2].length() > MAX_COMMENT_LENGTH) {
            return "the comment is longer than " + MAX_COMMENT_LENGTH + " characters";
        }
        return null;
    }
}
