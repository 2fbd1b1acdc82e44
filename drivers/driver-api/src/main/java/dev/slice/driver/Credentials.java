package dev.slice.driver;

import java.util.List;

/**
 * Root access for the new guest. The password arrives already hashed (crypt(3) SHA-512, {@code $6$...})
 * so that no driver, log or job row ever holds the clear text.
 */
public record Credentials(String rootPasswordHash, List<String> sshAuthorizedKeys) {
    public Credentials {
        if (rootPasswordHash != null && !rootPasswordHash.matches("\\$(6|5|y)\\$[./A-Za-z0-9$=,]+")) {
            throw new InvalidSpecException("root password hash must be a crypt(3) hash ($6$, $5$ or $y$)");
        }
        sshAuthorizedKeys = sshAuthorizedKeys == null ? List.of() : List.copyOf(sshAuthorizedKeys);
        for (String key : sshAuthorizedKeys) {
            if (key.contains("\n") || key.contains("\r")) throw new InvalidSpecException("an SSH key must be one line");
        }
    }

    public static Credentials none() { return new Credentials(null, List.of()); }
}
