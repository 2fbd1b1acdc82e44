package dev.slice.account;

import dev.slice.audit.AuditLog;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.ValidationException;
import dev.slice.security.AccessRules;
import dev.slice.signin.SignInThrottle;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What is done to an existing account: its owner changes its password (knowing the current one) and its name and
 * e-mail; whoever manages it (operators, the customer's reseller) resets its password to a one-time one, deletes it,
 * or signs in as it for support. Who may do what is {@link AccessRules}; every change is in the audit log.
 */
@Service
public class AccountManagement {
    /** No 0/O, 1/l/I: a one-time password is read off a screen and typed in. */
    private static final String ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccountService accounts;
    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final SignInThrottle throttle;

    AccountManagement(AccountService accounts, JdbcClient jdbc, PasswordEncoder passwords, AuditLog audit, Clock clock,
                      ApplicationEventPublisher events, SignInThrottle throttle) {
        this.accounts = accounts;
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
        this.throttle = throttle;
    }

    /** The caller's name and e-mail as they should be; null leaves a field as it is. */
    public record ProfileChange(String displayName, String email) {}

    /**
     * The caller's own password: the current one must be given, and is throttled like a sign-in from {@code address}
     * (a stolen session must not become a way to guess it); clears a pending forced change.
     *
     * @throws dev.slice.signin.TooManyAttemptsException too many wrong current passwords lately
     */
    @Transactional
    public void changeOwnPassword(Actor actor, String address, String currentPassword, String newPassword) {
        Account me = accounts.me(actor);
        String hash = jdbc.sql("select password_hash from account where id = ?").param(me.id()).query(String.class).single();
        // Every field's error at once, so the form shows both and a fix of one does not reveal the next.
        List<ValidationException.FieldError> errors = new ArrayList<>();
        if (currentPassword == null || currentPassword.isEmpty()) {
            errors.add(new ValidationException.FieldError("currentPassword", "enter your current password"));
        } else if (!throttle.check(me.username(), address, () -> passwords.matches(currentPassword, hash))) {
            errors.add(new ValidationException.FieldError("currentPassword", "this is not your current password"));
        }
        try {
            PasswordPolicy.check("newPassword", newPassword, me.username());
            if (newPassword.equals(currentPassword)) {
                errors.add(new ValidationException.FieldError("newPassword", "choose a new password, not the current one"));
            }
        } catch (ValidationException weak) {
            errors.addAll(weak.errors());
        }
        if (!errors.isEmpty()) throw new ValidationException(errors);
        jdbc.sql("update account set password_hash = ?, must_change_password = false where id = ?")
                .params(passwords.encode(newPassword), me.id()).update();
        audit.record(actor, "account.password-change", "account", me.id(), "changed by its owner");
        events.publishEvent(new AccountAccessRevoked(me.id(), me.username(), AccountAccessRevoked.Reason.PASSWORD_CHANGED));
    }

    /**
     * Replaces another account's password with a new random one, shown once to the caller, which its owner must
     * change at the next sign-in. Open consoles of that account end.
     */
    @Transactional
    public String resetPassword(Actor actor, long accountId) {
        Account account = managed(actor, accountId, "reset the password of");
        String oneTime;
        do {
            oneTime = oneTimePassword();
        } while (oneTime.toLowerCase().contains(account.username().toLowerCase()));
        PasswordPolicy.check("password", oneTime, account.username());
        jdbc.sql("update account set password_hash = ?, must_change_password = true where id = ?")
                .params(passwords.encode(oneTime), accountId).update();
        audit.record(actor, "account.password-reset", "account", accountId,
                "one-time password for " + account.username() + ", to be changed at the next sign-in");
        events.publishEvent(new AccountAccessRevoked(accountId, account.username(), AccountAccessRevoked.Reason.PASSWORD_CHANGED));
        return oneTime;
    }

    /** Four groups of four, e.g. {@code Kq7m-Xp3w-Rt9z-Hb4c}: 19 characters, well past the password policy. */
    static String oneTimePassword() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) text.append('-');
            text.append(ONE_TIME_ALPHABET.charAt(RANDOM.nextInt(ONE_TIME_ALPHABET.length())));
        }
        return text.toString();
    }

    /** Name and e-mail: the account itself, or whoever manages it. */
    @Transactional
    public Account edit(Actor actor, long accountId, ProfileChange change) {
        Account account = accounts.get(actor, accountId);
        if (!AccessRules.canEditAccount(actor, accountId, account.parentId())) {
            throw new ForbiddenException("you cannot edit the account " + account.username());
        }
        String displayName = change.displayName() == null ? account.displayName()
                : AccountService.displayNameOf(change.displayName(), account.username());
        String email = change.email() == null ? account.email() : AccountService.emailOf(change.email());
        List<String> changed = new ArrayList<>();
        if (!displayName.equals(account.displayName())) changed.add("name '" + account.displayName() + "' -> '" + displayName + "'");
        if (!Objects.equals(email, account.email())) {
            changed.add("e-mail '" + Objects.toString(account.email(), "") + "' -> '" + Objects.toString(email, "") + "'");
        }
        if (changed.isEmpty()) return account;
        jdbc.sql("update account set display_name = ?, email = ? where id = ?").params(displayName, email, accountId).update();
        audit.record(actor, "account.edit", "account", accountId, account.username() + ": " + String.join(", ", changed));
        return accounts.get(actor, accountId);
    }

    /**
     * Deletes an account that owns nothing any more (no servers that are not deleted, no customers): it can no longer
     * sign in, its API tokens are revoked and, for a reseller, its plans retired. The row stays (soft delete) for the
     * audit log and the servers' history, and its user name stays taken.
     */
    @Transactional
    public void delete(Actor actor, long accountId) {
        Account account = managed(actor, accountId, "delete");
        // Serialises with orders and account creation for this account.
        jdbc.sql("select id from account where id = ? for update").param(accountId).query(Long.class).single();
        List<String> servers = jdbc.sql("select hostname from server where owner_id = ? and status <> 'deleted' order by hostname")
                .param(accountId).query(String.class).list();
        if (!servers.isEmpty()) {
            throw new ConflictException(account.username() + " still has " + count(servers, "server") + " ("
                    + preview(servers) + "): delete them first");
        }
        List<String> customers = jdbc.sql("select username from account where parent_id = ? and deleted_at is null order by username")
                .param(accountId).query(String.class).list();
        if (!customers.isEmpty()) {
            throw new ConflictException(account.username() + " still has " + count(customers, "customer") + " ("
                    + preview(customers) + "): delete them first");
        }
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("update account set deleted_at = ?, enabled = false where id = ?").params(now, accountId).update();
        jdbc.sql("update api_token set revoked_at = ? where account_id = ? and revoked_at is null").params(now, accountId).update();
        jdbc.sql("update plan set status = 'retired' where owner_id = ? and status = 'active'").param(accountId).update();
        audit.record(actor, "account.delete", "account", accountId, account.role().id() + " " + account.username());
        events.publishEvent(new AccountAccessRevoked(accountId, account.username(), AccountAccessRevoked.Reason.DELETED));
    }

    /** The account the caller may sign in as (404 unseen, 403 not allowed, 409 disabled); records nothing yet. */
    public Account signInAsTarget(Actor actor, long accountId) {
        Account account = accounts.get(actor, accountId);
        if (!AccessRules.canImpersonate(actor, accountId, account.role(), account.parentId())) {
            throw new ForbiddenException("you cannot sign in as " + account.username());
        }
        if (!account.enabled()) throw new ConflictException(account.username() + " is disabled: enable it first");
        return account;
    }

    /** Whether {@code actor} may still act as {@code accountId} (both enabled, the rule still holding). */
    public boolean maySignInAs(Actor actor, long accountId) {
        return accounts.find(accountId)
                .filter(a -> a.enabled() && AccessRules.canImpersonate(actor, a.id(), a.role(), a.parentId())).isPresent();
    }

    public void recordSignInAs(Actor actor, Account account) {
        audit.record(actor, "account.sign-in-as", "account", account.id(), actor.username() + " signed in as " + account.username());
    }

    public void recordSignInAsEnded(Actor actor, Actor account) {
        audit.record(actor, "account.sign-in-as-end", "account", account.accountId(),
                actor.username() + " is back from " + account.username());
    }

    /**
     * The account if the caller manages it (operators, the customer's reseller), as for a password reset: 404 unseen, 403
     * one's own or not managed. For other features' resets (two-factor sign-in).
     */
    public Account managedBy(Actor actor, long accountId, String what) {
        return managed(actor, accountId, what);
    }

    private Account managed(Actor actor, long accountId, String what) {
        Account account = accounts.get(actor, accountId);
        if (accountId == actor.accountId()) throw new ForbiddenException("you cannot " + what + " your own account");
        if (!AccessRules.canManageAccount(actor, accountId, account.parentId())) {
            throw new ForbiddenException("you cannot " + what + " the account " + account.username());
        }
        return account;
    }

    private static String count(List<String> names, String noun) {
        return names.size() + " " + noun + (names.size() == 1 ? "" : "s");
    }

    private static String preview(List<String> names) {
        return names.size() <= 3 ? String.join(", ", names) : String.join(", ", names.subList(0, 3)) + ", ...";
    }
}
