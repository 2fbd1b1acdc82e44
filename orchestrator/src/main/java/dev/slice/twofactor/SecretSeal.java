package dev.slice.twofactor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * TOTP secrets encrypted at rest (AES-256-GCM from the JDK), so that a copy of the database alone does not give them
 * away. The key is a file outside the database ({@code <data dir>/two-factor.key}, 0600, made on first use); the
 * account id is the associated data, so a sealed secret cannot be moved to another account's row. Several
 * control-plane instances must share this file.
 */
final class SecretSeal {
    private static final String PREFIX = "aes-gcm:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path keyFile;
    private volatile SecretKeySpec key;

    SecretSeal(Path keyFile) {
        this.keyFile = keyFile;
    }

    String seal(long accountId, String secret) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, accountId, iv, secret.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
    }

    String open(long accountId, String stored) {
        if (!stored.startsWith(PREFIX)) throw new IllegalStateException("the two-factor secret of account " + accountId + " is not sealed");
        byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        byte[] iv = java.util.Arrays.copyOf(all, IV_BYTES);
        byte[] sealed = java.util.Arrays.copyOfRange(all, IV_BYTES, all.length);
        return new String(run(Cipher.DECRYPT_MODE, accountId, iv, sealed), java.nio.charset.StandardCharsets.US_ASCII);
    }

    private byte[] run(int mode, long accountId, byte[] iv, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(ByteBuffer.allocate(Long.BYTES).putLong(accountId).array());
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot " + (mode == Cipher.ENCRYPT_MODE ? "seal" : "open") + " the two-factor secret of account "
                    + accountId + " with " + keyFile + " (is it the key the secret was sealed with?): " + e.getMessage(), e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec current = key;
        if (current != null) return current;
        synchronized (this) {
            if (key == null) key = new SecretKeySpec(loadOrCreate(), "AES");
            return key;
        }
    }

    private byte[] loadOrCreate() {
        try {
            if (!Files.exists(keyFile)) {
                Files.createDirectories(keyFile.toAbsolutePath().getParent());
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                try {
                    Path made = Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.write(made, fresh, StandardOpenOption.WRITE);
                    return fresh;
                } catch (FileAlreadyExistsException another) {
                    // Made by another instance just now: use that one.
                }
            }
            byte[] stored = Files.readAllBytes(keyFile);
            if (stored.length != 32) throw new IllegalStateException(keyFile + " is not a 32-byte key (" + stored.length + " bytes)");
            return stored;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the two-factor key " + keyFile + ": " + e.getMessage(), e);
        }
    }
}
