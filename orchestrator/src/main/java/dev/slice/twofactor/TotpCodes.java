package dev.slice.twofactor;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.OptionalLong;

/**
 * RFC 6238 codes as authenticator apps make them (SHA-1, 6 digits, 30 s steps), computed by the dev.samstevens.totp
 * library. The library's own verifier only says yes or no; Slice needs the matching time step to refuse a replay, so the
 * window (the current step and one either side, for clock drift) is walked here.
 */
final class TotpCodes {
    static final int PERIOD_SECONDS = 30;
    static final int DIGITS = 6;
    /** Steps accepted either side of the current one. */
    static final int DRIFT_STEPS = 1;

    private final CodeGenerator generator = new DefaultCodeGenerator(HashingAlgorithm.SHA1, DIGITS);
    private final Clock clock;

    TotpCodes(Clock clock) {
        this.clock = clock;
    }

    /** A new random secret, Base32 (160 bits, as RFC 4226 recommends). */
    static String newSecret() {
        return new DefaultSecretGenerator(32).generate();
    }

    long currentStep() {
        return Math.floorDiv(clock.instant().getEpochSecond(), PERIOD_SECONDS);
    }

    /**
     * The newest time step within the drift window whose code is {@code code} and that is after {@code lastUsedStep}
     * (null: none used yet); empty when there is none.
     */
    OptionalLong matchingStep(String secret, String code, Long lastUsedStep) {
        long now = currentStep();
        for (long step = now + DRIFT_STEPS; step >= now - DRIFT_STEPS; step--) {
            if (lastUsedStep != null && step <= lastUsedStep) break;
            if (sameCode(codeAt(secret, step), code)) return OptionalLong.of(step);
        }
        return OptionalLong.empty();
    }

    String codeAt(String secret, long step) {
        try {
            return generator.generate(secret, step);
        } catch (CodeGenerationException e) {
            throw new IllegalStateException("cannot compute a TOTP code: " + e.getMessage(), e);
        }
    }

    private static boolean sameCode(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }
}
