package dev.slice.twofactor;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/** An RFC 6238 (HMAC-SHA-1) code computed independently of the library under test, as the RFC's appendix does. */
final class Rfc6238 {
    private Rfc6238() {}

    static String code(byte[] key, long epochSeconds, int digits) {
        return atStep(key, Math.floorDiv(epochSeconds, 30), digits);
    }

    static String atStep(byte[] key, long step, int digits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            int modulus = (int) Math.pow(10, digits);
            return String.format("%0" + digits + "d", binary % modulus);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 6-digit code of a Base32 secret (as an authenticator app holds it) at a time step. */
    static String atStep(String base32Secret, long step) {
        return atStep(new Base32().decode(base32Secret), step, 6);
    }
}
