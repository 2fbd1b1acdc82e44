package dev.slice.twofactor;

import dev.slice.account.Actor;
import dev.slice.account.LoginAccount;
import dev.slice.account.Role;
import dev.slice.audit.AuditLog;
import dev.slice.error.ForbiddenException;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The operator's setting that makes two-factor sign-in mandatory for operators and resellers (customers choose for
 * themselves). It binds sessions only: API tokens stay usable for automation. What a session must do first is decided
 * in one place, {@code CurrentActor.firstStep}, which asks {@link #mustEnrol}.
 */
@Service
public class TwoFactorPolicy {
    private final JdbcClient jdbc;
    private final TwoFactorService twoFactor;
    private final AuditLog audit;
    private final Clock clock;

    TwoFactorPolicy(JdbcClient jdbc, TwoFactorService twoFactor, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.twoFactor = twoFactor;
        this.audit = audit;
        this.clock = clock;
    }

    public boolean requiredForStaff() {
        return jdbc.sql("select staff_two_factor_required from installation_policy").query(Boolean.class).single();
    }

    /** Operators only; audited. Whoever lacks two-factor sign-in when it goes on is sent to enrolment at the next page. */
    @Transactional
    public void setRequiredForStaff(Actor actor, boolean required) {
        if (!actor.isOperator()) throw new ForbiddenException("only an operator changes the installation's sign-in policy");
        // Setting what is set already changes nothing, not even the audit trail.
        if (jdbc.sql("update installation_policy set staff_two_factor_required = ?, changed_at = ?, changed_by = ?"
                        + " where staff_two_factor_required <> ?")
                .params(required, Timestamp.from(clock.instant()), actor.accountId(), required).update() == 0) return;
        audit.record(actor, "installation.two-factor-required", "installation", 1,
                required ? "on: operators and resellers must use two-factor sign-in" : "off");
    }

    /** Whether this operator or reseller must enrol before anything else: the setting is on and its own 2FA is off. */
    public boolean mustEnrol(LoginAccount account) {
        return account.role() != Role.CUSTOMER && requiredForStaff() && !twoFactor.enabled(account.id());
    }
}
