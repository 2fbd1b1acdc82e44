package dev.slice.server;

import dev.slice.account.PasswordPolicy;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * Turns a guest's root password into a crypt(3) SHA-512 hash ({@code $6$salt$...}) at once, so the clear
 * text never reaches a job row, a log or a driver.
 */
public final class RootPasswords {
    private static final String SALT_CHARS = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RootPasswords() {}

    /** Checks the password's strength (field {@code rootPassword}, as orders and reinstalls name it) and returns its $6$ hash; null stays null. */
    public static String hash(String password) {
        if (password == null || password.isEmpty()) return null;
        PasswordPolicy.check("rootPassword", password, "root");
        StringBuilder salt = new StringBuilder("$6$");
        for (int i = 0; i < 16; i++) salt.append(SALT_CHARS.charAt(RANDOM.nextInt(SALT_CHARS.length())));
        return Sha2Crypt.sha512Crypt(password.getBytes(StandardCharsets.UTF_8), salt.toString());
    }
}
