package dev.slice.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.audit.AuditEntry;
import dev.slice.audit.AuditLog;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.PlanService;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Changing one's password, resets to a one-time password, editing, deleting: against the real PostgreSQL. */
@SliceSpringTest
class AccountManagementTest {
    /** Where the tests' password changes come from (TEST-NET-1), for the sign-in throttle. */
    static final String ADDRESS = "192.0.2.1";

    @Autowired AccountService accounts;
    @Autowired AccountManagement management;
    @Autowired ApiTokenService tokens;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired PasswordEncoder encoder;
    @Autowired AuditLog audit;
    @Autowired JdbcClient jdbc;

    @Test
    void ownPasswordNeedsTheCurrentOneAndFollowsThePolicy() {
        Actor ra = Tenants.reseller(accounts, plans, "mgmt-ra");
        Actor dora = Tenants.customer(accounts, ra, "dora");
        assertThatThrownBy(() -> management.changeOwnPassword(dora, ADDRESS, "Wrong-Horse-42", "Another-Pass-77"))
                .isInstanceOf(ValidationException.class).satisfies(e -> assertField(e, "currentPassword"));
        assertThatThrownBy(() -> management.changeOwnPassword(dora, ADDRESS, Tenants.PASSWORD, "short"))
                .isInstanceOf(ValidationException.class).satisfies(e -> assertField(e, "newPassword"));
        assertThatThrownBy(() -> management.changeOwnPassword(dora, ADDRESS, Tenants.PASSWORD, Tenants.PASSWORD))
                .isInstanceOf(ValidationException.class).satisfies(e -> assertField(e, "newPassword"));
        management.changeOwnPassword(dora, ADDRESS, Tenants.PASSWORD, "Another-Pass-77");
        assertThat(encoder.matches("Another-Pass-77", accounts.findForLogin("dora").orElseThrow().passwordHash())).isTrue();
        // The old path without the current password no longer works for oneself.
        assertThatThrownBy(() -> accounts.changePassword(dora, dora.accountId(), "Third-Pass-99"))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("/api/me/password");
    }

    @Test
    void aResetGivesAOneTimePasswordThatMustBeChangedAtTheNextSignIn() {
        Actor ra = Tenants.reseller(accounts, plans, "mgmt-rb");
        Actor rb = Tenants.reseller(accounts, plans, "mgmt-rc");
        Actor erin = Tenants.customer(accounts, ra, "erin");
        Actor fred = Tenants.customer(accounts, rb, "fred");
        assertThatThrownBy(() -> management.resetPassword(ra, fred.accountId())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> management.resetPassword(erin, erin.accountId())).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> management.resetPassword(ra, ra.accountId())).isInstanceOf(ForbiddenException.class);

        String oneTime = management.resetPassword(ra, erin.accountId());
        assertThat(oneTime).matches("[a-zA-Z2-9]{4}(-[a-zA-Z2-9]{4}){3}");
        LoginAccount login = accounts.findForLogin("erin").orElseThrow();
        assertThat(encoder.matches(oneTime, login.passwordHash())).isTrue();
        assertThat(encoder.matches(Tenants.PASSWORD, login.passwordHash())).isFalse();
        assertThat(login.mustChangePassword()).isTrue();
        assertThat(accounts.me(erin).mustChangePassword()).isTrue();

        management.changeOwnPassword(erin, ADDRESS, oneTime, "Her-Own-Pass-55");
        assertThat(accounts.findForLogin("erin").orElseThrow().mustChangePassword()).isFalse();
        assertThat(audit.page(Tenants.operator(accounts), 0, 20)).extracting(AuditEntry::action)
                .contains("account.password-reset", "account.password-change");
    }

    @Test
    void nameAndEmailAreEditedByTheAccountAndItsManagersOnly() {
        Actor ra = Tenants.reseller(accounts, plans, "mgmt-rd");
        Actor rb = Tenants.reseller(accounts, plans, "mgmt-re");
        Actor gwen = Tenants.customer(accounts, ra, "gwen");
        Account self = management.edit(gwen, gwen.accountId(), new AccountManagement.ProfileChange("Gwen G.", null));
        assertThat(self.displayName()).isEqualTo("Gwen G.");
        Account byReseller = management.edit(ra, gwen.accountId(), new AccountManagement.ProfileChange(null, " gwen@example.com "));
        assertThat(byReseller.email()).isEqualTo("gwen@example.com");
        assertThat(byReseller.displayName()).isEqualTo("Gwen G.");
        assertThatThrownBy(() -> management.edit(ra, gwen.accountId(), new AccountManagement.ProfileChange(null, "not-an-address")))
                .isInstanceOf(ValidationException.class).satisfies(e -> assertField(e, "email"));
        assertThatThrownBy(() -> management.edit(rb, gwen.accountId(), new AccountManagement.ProfileChange("Stolen", null)))
                .isInstanceOf(NotFoundException.class);
        assertThat(audit.page(Tenants.operator(accounts), 0, 20)).anySatisfy(entry -> {
            assertThat(entry.action()).isEqualTo("account.edit");
            assertThat(entry.detail()).contains("e-mail '' -> 'gwen@example.com'");
        });
    }

    @Test
    void deleteIsRefusedWhileServersOrCustomersRemainAndThenLocksTheAccountOut() {
        Actor operator = Tenants.operator(accounts);
        Actor ra = Tenants.reseller(accounts, plans, "mgmt-rf");
        Actor hugo = Tenants.customer(accounts, ra, "hugo");
        var plan = Tenants.plan(plans, ra, "mgmt-small", 1, 256, 1024);
        long serverId = orders.order(hugo, new OrderRequest(plan.id(), "hugo1", "debian-12", "Correct-Horse-42", List.of(), null))
                .serverId();
        NewApiToken token = tokens.create(hugo, "laptop");
        // One account's servers, as the panel's "Servers" of a customer lists them: only for those who may see them.
        Actor stranger = Tenants.reseller(accounts, plans, "mgmt-rz");
        assertThat(servers.pageOf(ra, hugo.accountId(), 0, 10)).extracting(Server::hostname).containsExactly("hugo1");
        assertThat(servers.countOf(ra, hugo.accountId())).isEqualTo(1);
        assertThat(servers.pageOf(ra, ra.accountId(), 0, 10)).isEmpty();
        assertThat(servers.pageOf(stranger, hugo.accountId(), 0, 10)).isEmpty();
        assertThat(servers.countOf(stranger, hugo.accountId())).isZero();

        assertThatThrownBy(() -> management.delete(ra, hugo.accountId()))
                .isInstanceOf(ConflictException.class).hasMessage("hugo still has 1 server (hugo1): delete them first");
        assertThatThrownBy(() -> management.delete(operator, ra.accountId()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("mgmt-rf still has 1 customer (hugo)");
        assertThatThrownBy(() -> management.delete(ra, ra.accountId())).isInstanceOf(ForbiddenException.class);

        jdbc.sql("update server set status = 'deleted' where id = ?").param(serverId).update();
        management.delete(ra, hugo.accountId());
        assertThat(accounts.findForLogin("hugo")).isEmpty();
        assertThat(tokens.authenticate(token.token())).isEmpty();
        assertThat(accounts.actorOf(hugo.accountId())).isEmpty();
        assertThatThrownBy(() -> accounts.get(ra, hugo.accountId())).isInstanceOf(NotFoundException.class);
        assertThat(accounts.page(ra, 0, 100)).extracting(Account::username).containsExactly("mgmt-rf");
        // The row stays, and so does its name.
        assertThat(jdbc.sql("select count(*) from account where username = 'hugo' and deleted_at is not null").query(Long.class).single())
                .isEqualTo(1);
        assertThatThrownBy(() -> Tenants.customer(accounts, ra, "hugo")).isInstanceOf(ValidationException.class);

        management.delete(operator, ra.accountId());
        assertThat(plans.list(operator)).noneMatch(p -> p.id() == plan.id() && p.active());
    }

    @Test
    void signInAsIsForOperatorsAndTheCustomersOwnResellerAndNotForDisabledAccounts() {
        Actor operator = Tenants.operator(accounts);
        Actor ra = Tenants.reseller(accounts, plans, "mgmt-rg");
        Actor rb = Tenants.reseller(accounts, plans, "mgmt-rh");
        Actor ivan = Tenants.customer(accounts, ra, "ivan");
        assertThat(management.signInAsTarget(ra, ivan.accountId()).username()).isEqualTo("ivan");
        assertThat(management.signInAsTarget(operator, ra.accountId()).username()).isEqualTo("mgmt-rg");
        assertThatThrownBy(() -> management.signInAsTarget(rb, ivan.accountId())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> management.signInAsTarget(ra, operator.accountId())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> management.signInAsTarget(ivan, ivan.accountId())).isInstanceOf(ForbiddenException.class);
        accounts.setEnabled(ra, ivan.accountId(), false);
        assertThatThrownBy(() -> management.signInAsTarget(ra, ivan.accountId())).isInstanceOf(ConflictException.class);
        assertThat(management.maySignInAs(ra, ivan.accountId())).isFalse();
    }

    private static void assertField(Throwable e, String field) {
        assertThat(((ValidationException) e).field()).isEqualTo(field);
    }
}
