package dev.slice.twofactor;

import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.recovery.RecoveryCodeGenerator;
import dev.samstevens.totp.util.Utils;
import dev.slice.account.Account;
import dev.slice.account.AccountManagement;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.LoginAccount;
import dev.slice.audit.AuditLog;
import dev.slice.error.ConflictException;
import dev.slice.error.ValidationException;
import dev.slice.orchestrator.SliceProperties;
import dev.slice.signin.SignInThrottle;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Two-factor sign-in with TOTP (RFC 6238) for any account. Enrolment shows the secret once (QR code and text); a current
 * code confirms it and gives ten one-use recovery codes, shown once and stored as PasswordEncoder hashes. After that the
 * secret is never sent out again. At sign-in, after the password, a code or a recovery code is needed: wrong ones count as
 * failed sign-ins in the {@link SignInThrottle}, and a time step once accepted is never accepted again. API tokens are
 * separate credentials and do not ask for a code. Secrets are encrypted at rest ({@link SecretSeal}). Enabling, disabling, resets and recovery-code use are audited.
 */
@Service
public class TwoFactorService {
    static final int RECOVERY_CODES = 10;
    private static final Pattern TOTP = Pattern.compile("\\d{" + TotpCodes.DIGITS + "}");
    /** As {@link RecoveryCodeGenerator} makes them: four groups of four lower-case letters and digits. */
    private static final Pattern RECOVERY = Pattern.compile("[a-z0-9]{4}(-[a-z0-9]{4}){3}");
    private static final String ISSUER = "Slice";

    private final AccountService accounts;
    private final AccountManagement management;
    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;
    private final SignInThrottle throttle;
    private final TotpCodes codes;
    private final SecretSeal seal;

    TwoFactorService(AccountService accounts, AccountManagement management, JdbcClient jdbc, PasswordEncoder passwords, AuditLog audit, Clock clock,
                     SignInThrottle throttle, SliceProperties properties) {
        this.accounts = accounts;
        this.management = management;
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
        this.throttle = throttle;
        this.codes = new TotpCodes(clock);
        this.seal = new SecretSeal(properties.dataDir().resolve("two-factor.key"));
    }

    /** @param recoveryCodesLeft unused recovery codes; 0 when two-factor sign-in is off */
    public record Status(boolean enabled, int recoveryCodesLeft) {}

    /**
     * A secret to add to an authenticator app, shown during enrolment only.
     *
     * @param otpauthUri the {@code otpauth://totp/...} URI the QR code holds
     * @param qrCode that URI as a PNG {@code data:} URI, for an {@code <img>}
     */
    public record Enrolment(String secret, String otpauthUri, String qrCode) {}

    private record Row(String secret, boolean confirmed, Long lastStep) {}

    public Status status(Actor actor) {
        Account me = accounts.me(actor);
        boolean enabled = enabled(me.id());
        int left = enabled ? jdbc.sql("select count(*) from account_recovery_code where account_id = ? and used_at is null")
                .param(me.id()).query(Integer.class).single() : 0;
        return new Status(enabled, left);
    }

    /** Starts (or starts again) the caller's enrolment with a new secret; 409 when two-factor sign-in is on already. */
    @Transactional
    public Enrolment start(Actor actor) {
        Account me = accounts.me(actor);
        if (enabled(me.id())) {
            throw new ConflictException("two-factor sign-in is on already: turn it off first to enrol a new device");
        }
        String secret = TotpCodes.newSecret();
        jdbc.sql("""
                insert into account_two_factor (account_id, secret, confirmed_at, last_step, created_at) values (?, ?, null, null, ?)
                on conflict (account_id) do update set secret = excluded.secret, confirmed_at = null, last_step = null,
                    created_at = excluded.created_at""")
                .params(me.id(), seal.seal(me.id(), secret), Timestamp.from(clock.instant())).update();
        QrData data = new QrData.Builder().label(me.username()).secret(secret).issuer(ISSUER)
                .digits(TotpCodes.DIGITS).period(TotpCodes.PERIOD_SECONDS).build();
        return new Enrolment(secret, data.getUri(), qrCode(data));
    }

    /**
     * Ends the enrolment with a current code from the app: two-factor sign-in is on from now, and these are the
     * recovery codes, shown this once.
     */
    @Transactional
    public List<String> confirm(Actor actor, String code) {
        Account me = accounts.me(actor);
        requireTotpFormat("code", code);
        Row row = row(me.id()).filter(r -> !r.confirmed())
                .orElseThrow(() -> new ConflictException("there is no enrolment to confirm: start one first"));
        OptionalLong step = codes.matchingStep(row.secret(), code, null);
        if (step.isEmpty()) {
            throw new ValidationException("code", "this is not the app's current code: check that the device's clock is right");
        }
        jdbc.sql("update account_two_factor set confirmed_at = ?, last_step = ? where account_id = ?")
                .params(Timestamp.from(clock.instant()), step.getAsLong(), me.id()).update();
        List<String> recovery = replaceRecoveryCodes(me.id());
        audit.record(actor, "account.two-factor-enable", "account", me.id(), "with " + recovery.size() + " recovery codes");
        return recovery;
    }

    /**
     * Turns two-factor sign-in off: needs a current code (or a recovery code) or the password; wrong ones are counted by
     * the sign-in throttle like a wrong password.
     *
     * @throws dev.slice.signin.TooManyAttemptsException too many failures lately
     */
    @Transactional
    public void disable(Actor actor, String address, String code, String password) {
        Account me = accounts.me(actor);
        boolean hasCode = proofGiven(code, password);
        if (hasCode) requireCodeFormat("code", code);
        if (!enabled(me.id())) throw new ConflictException("two-factor sign-in is off already");
        proveOwner(me, actor, address, code, password);
        remove(me.id());
        audit.record(actor, "account.two-factor-disable", "account", me.id(), "by its owner, with " + (hasCode ? "a code" : "the password"));
    }

    /**
     * Ten new recovery codes in place of all the old ones (used or not, they stop working), shown this once. Needs a current
     * code from the app (not a recovery code) or the password, counted by the sign-in throttle like {@link #disable}.
     *
     * @throws dev.slice.signin.TooManyAttemptsException too many failures lately
     */
    @Transactional
    public List<String> regenerateRecoveryCodes(Actor actor, String address, String code, String password) {
        Account me = accounts.me(actor);
        boolean hasCode = proofGiven(code, password);
        if (hasCode) requireTotpFormat("code", code);
        if (!enabled(me.id())) throw new ConflictException("two-factor sign-in is off: there are no recovery codes to replace");
        proveOwner(me, actor, address, code, password);
        List<String> fresh = replaceRecoveryCodes(me.id());
        audit.record(actor, "account.two-factor-recovery-regenerate", "account", me.id(),
                fresh.size() + " new recovery codes, the old ones void; with " + (hasCode ? "a code" : "the password"));
        return fresh;
    }

    /** Whether a code was given (else the password is); 400 on {@code code} when neither is. */
    private static boolean proofGiven(String code, String password) {
        boolean hasCode = code != null && !code.isBlank();
        if (!hasCode && (password == null || password.isEmpty())) {
            throw new ValidationException("code", "enter a current code, or your password");
        }
        return hasCode;
    }

    /** The owner's code (when given) or password, checked through the sign-in throttle; 400 naming the wrong one. */
    private void proveOwner(Account me, Actor actor, String address, String code, String password) {
        if (code != null && !code.isBlank()) {
            if (!throttle.check(me.username(), address, () -> accepted(me.id(), actor, code))) {
                throw new ValidationException("code", "this code is wrong or was used already");
            }
        } else {
            String hash = jdbc.sql("select password_hash from account where id = ?").param(me.id()).query(String.class).single();
            if (!throttle.check(me.username(), address, () -> passwords.matches(password, hash))) {
                throw new ValidationException("password", "this is not your password");
            }
        }
    }

    /** Whether this login needs a second step after its password. */
    public boolean isRequired(String username) {
        return accounts.findForLogin(username).map(a -> enabled(a.id())).orElse(false);
    }

    /**
     * The second step of a sign-in whose password was right: a current code or an unused recovery code. A wrong one is a
     * failed sign-in for the throttle, a right one a success.
     *
     * @throws ValidationException the code is neither 6 digits nor a recovery code (field {@code code})
     * @throws dev.slice.signin.TooManyAttemptsException too many failed sign-ins lately; the code was not checked
     */
    public boolean signIn(String username, String address, String code) {
        requireCodeFormat("code", code);
        Optional<LoginAccount> account = accounts.findForLogin(username).filter(LoginAccount::enabled);
        return throttle.check(username, address, () -> account.isPresent()
                && accepted(account.get().id(), account.get().asActor(), code));
    }

    /**
     * Turns another account's two-factor sign-in off, for an owner who lost the device and the recovery codes; whoever may
     * reset that account's password may do this. 409 when it is off.
     */
    @Transactional
    public void reset(Actor actor, long accountId) {
        Account account = management.managedBy(actor, accountId, "reset the two-factor sign-in of");
        if (!enabled(accountId)) {
            throw new ConflictException(account.username() + " does not use two-factor sign-in");
        }
        remove(accountId);
        audit.record(actor, "account.two-factor-reset", "account", accountId,
                "two-factor sign-in of " + account.username() + " turned off");
    }

    private void remove(long accountId) {
        jdbc.sql("delete from account_recovery_code where account_id = ?").param(accountId).update();
        jdbc.sql("delete from account_two_factor where account_id = ?").param(accountId).update();
    }

    /** A code (taking its time step, so it cannot be used again) or a recovery code (used up). */
    private boolean accepted(long accountId, Actor actor, String code) {
        Optional<Row> row = row(accountId).filter(Row::confirmed);
        if (row.isEmpty()) return false;
        if (TOTP.matcher(code).matches()) {
            OptionalLong step = codes.matchingStep(row.get().secret(), code, row.get().lastStep());
            // Compare-and-set: of two sign-ins racing with the same code, one wins.
            return step.isPresent() && jdbc.sql("""
                    update account_two_factor set last_step = ? where account_id = ? and (last_step is null or last_step < ?)""")
                    .params(step.getAsLong(), accountId, step.getAsLong()).update() == 1;
        }
        String given = normalizeRecovery(code);
        record Stored(long id, String codeHash) {}
        for (Stored stored : jdbc.sql("select id, code_hash from account_recovery_code where account_id = ? and used_at is null order by id")
                .param(accountId).query(Stored.class).list()) {
            if (passwords.matches(given, stored.codeHash())
                    && jdbc.sql("update account_recovery_code set used_at = ? where id = ? and used_at is null")
                    .params(Timestamp.from(clock.instant()), stored.id()).update() == 1) {
                int left = jdbc.sql("select count(*) from account_recovery_code where account_id = ? and used_at is null")
                        .param(accountId).query(Integer.class).single();
                audit.record(actor, "account.two-factor-recovery-code", "account", accountId, "used; " + left + " left");
                return true;
            }
        }
        return false;
    }

    private List<String> replaceRecoveryCodes(long accountId) {
        jdbc.sql("delete from account_recovery_code where account_id = ?").param(accountId).update();
        List<String> fresh = new ArrayList<>(List.of(new RecoveryCodeGenerator().generateCodes(RECOVERY_CODES)));
        for (String code : fresh) {
            jdbc.sql("insert into account_recovery_code (account_id, code_hash) values (?, ?)")
                    .params(accountId, passwords.encode(normalizeRecovery(code))).update();
        }
        return List.copyOf(fresh);
    }

    /** Whether the account's enrolment is confirmed (without opening its secret). */
    boolean enabled(long accountId) {
        return jdbc.sql("select exists (select 1 from account_two_factor where account_id = ? and confirmed_at is not null)")
                .param(accountId).query(Boolean.class).single();
    }

    /** The account's enrolment, its secret opened. */
    private Optional<Row> row(long accountId) {
        return jdbc.sql("select secret, confirmed_at is not null as confirmed, last_step from account_two_factor where account_id = ?")
                .param(accountId).query(Row.class).optional()
                .map(r -> new Row(seal.open(accountId, r.secret()), r.confirmed(), r.lastStep()));
    }

    private static void requireTotpFormat(String field, String code) {
        if (code == null || !TOTP.matcher(code).matches()) {
            throw new ValidationException(field, "enter the " + TotpCodes.DIGITS + "-digit code from your authenticator app");
        }
    }

    private static void requireCodeFormat(String field, String code) {
        if (code == null || !(TOTP.matcher(code).matches() || RECOVERY.matcher(normalizeRecovery(code)).matches())) {
            throw new ValidationException(field, "enter the " + TotpCodes.DIGITS
                    + "-digit code from your authenticator app, or one of your recovery codes");
        }
    }

    private static String normalizeRecovery(String code) {
        return code.strip().toLowerCase(Locale.ROOT);
    }

    private static String qrCode(QrData data) {
        ZxingPngQrGenerator generator = new ZxingPngQrGenerator();
        generator.setImageSize(240);
        try {
            return Utils.getDataUriForImage(generator.generate(data), generator.getImageMimeType());
        } catch (QrGenerationException e) {
            throw new IllegalStateException("cannot draw the enrolment QR code: " + e.getMessage(), e);
        }
    }
}
