package dev.slice.security;

import dev.slice.account.AccountService;
import dev.slice.audit.AuditLog;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.LogoutHandler;

/**
 * Signing out goes to the audit log with the client's address, like signing in. Runs before the security context is
 * cleared, so while signed in as someone the log says who really signed out ("admin as alice").
 */
final class SignOutAudit implements LogoutHandler {
    private final AccountService accounts;
    private final AuditLog audit;

    SignOutAudit(AccountService accounts, AuditLog audit) {
        this.accounts = accounts;
        this.audit = audit;
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) return;
        accounts.findForLogin(authentication.getName()).ifPresent(account ->
                audit.record(account.asActor(), "account.sign-out", "account", account.id(), "from " + request.getRemoteAddr()));
    }
}
