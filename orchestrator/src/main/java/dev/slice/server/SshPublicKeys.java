package dev.slice.server;

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

    private SshPublicKeys() {}

    /** The keys without blank lines, each normalised to one line; throws on field {@code sshKeys}. */
    public static List<String> validate(List<String> keys) {
        List<String> valid = new ArrayList<>();
        if (keys == null) return valid;
        int index = 0;
        for (String raw : keys) {
            index++;
            if (raw == null || raw.isBlank()) continue;
            for (String line : raw.strip().split("\\R")) {
                if (line.isBlank()) continue;
                String problem = problem(line.strip());
                if (problem != null) throw new ValidationException("sshKeys", "SSH key " + index + ": " + problem);
                valid.add(line.strip());
            }
        }
        if (valid.size() > 20) throw new ValidationException("sshKeys", "at most 20 SSH keys");
        return valid;
    }

    /** Why the line is not an OpenSSH public key, or null if it is one. */
    static String problem(String line) {
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
        if (parts.length == 3 && parts[2].chars().anyMatch(c -> c < 0x20)) return "the comment contains control characters";
        return null;
    }
}
