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

    /** A password Slice made up and shows once (a rescue system's root), and its hash. */
    public record OneTime(String password, String hash) {
        @Override
        public String toString() { return "OneTime[hash=" + hash + "]"; } // never the password, in a log or an exception
    }

    /** 20 random letters and digits (about 119 bits), hashed like any root password. */
    public static OneTime oneTime() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no look-alikes: it is typed by hand
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) password.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return new OneTime(password.toString(), sha512(password.toString()));
    }

    /** Checks the password's strength (field {@code rootPassword}, as orders and reinstalls name it) and returns its $6$ hash; null stays null. */
    public static String hash(String password) {
        if (password == null || password.isEmpty()) return null;
        PasswordPolicy.check("rootPassword", password, "root");
        return sha512(password);
    }

    private static String sha512(String password) {
        StringBuilder salt = new StringBuilder("$6$");
        for (int i = 0; i < 16; i++) salt.append(SALT_CHARS.charAt(RANDOM.nextInt(SALT_CHARS.length())));
        return Sha2Crypt.sha512Crypt(password.getBytes(StandardCharsets.UTF_8), salt.toString());
    }
}
