package dev.slice.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.plan.CapacityGrant;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

@SliceSpringTest
class AccountsTest {
    @Autowired AccountService accounts;
    @Autowired ApiTokenService tokens;
    @Autowired PlanService plans;
    @Autowired dev.slice.plan.RetiredPlans retiredPlans;
    @Autowired dev.slice.audit.AuditLog audit;
    @Autowired PasswordEncoder encoder;
    @Autowired dev.slice.testing.MutableClock clock;

    @Test
    void resellersCreateAndSeeOnlyTheirOwnCustomers() {
        Actor operator = Tenants.operator(accounts);
        Actor a = Tenants.reseller(accounts, plans, "acme");
        Actor b = Tenants.reseller(accounts, plans, "bolt");
        Actor alice = Tenants.customer(accounts, a, "alice");
        Tenants.customer(accounts, b, "bert");
        assertThat(accounts.page(a, 0, 100)).extracting(Account::username).containsExactlyInAnyOrder("acme", "alice");
        assertThat(accounts.count(a)).isEqualTo(2);
        assertThat(accounts.page(alice, 0, 100)).extracting(Account::username).containsExactly("alice");
        assertThat(accounts.page(operator, 0, 100)).extracting(Account::username).contains("admin", "acme", "bolt", "alice", "bert");
        assertThatThrownBy(() -> accounts.get(b, alice.accountId())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> accounts.create(alice, new NewAccount(Role.CUSTOMER, "sub", null, null, Tenants.PASSWORD, null)))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> accounts.create(a, new NewAccount(Role.CUSTOMER, "stolen", null, null, Tenants.PASSWORD, b.accountId())))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> accounts.create(a, new NewAccount(Role.CUSTOMER, "ALICE", null, null, Tenants.PASSWORD, null)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("user name");
        assertThatThrownBy(() -> accounts.create(a, new NewAccount(Role.CUSTOMER, "weakling", null, null, "password", null)))
                .isInstanceOf(ValidationException.class).satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("password"));
        assertThat(encoder.matches(Tenants.PASSWORD, accounts.findForLogin("alice").orElseThrow().passwordHash())).isTrue();
    }

    @Test
    void tokensAreStoredHashedAndStopWorkingWhenRevokedOrDisabled() {
        Actor operator = Tenants.operator(accounts);
        Actor carl = Tenants.customer(accounts, operator, "carl");
        NewApiToken token = tokens.create(carl, "laptop");
        assertThat(token.token()).startsWith("slc_");
        assertThat(tokens.authenticate(token.token())).contains(carl);
        assertThat(tokens.authenticate(token.token() + "x")).isEmpty();
        assertThat(tokens.list(carl)).extracting(ApiToken::prefix).containsExactly(token.token().substring(0, 10));
        // Last use is kept to the minute: reads within a minute do not write.
        var firstUse = tokens.list(carl).getFirst().lastUsedAt();
        assertThat(firstUse).isNotNull();
        clock.advance(java.time.Duration.ofSeconds(30));
        tokens.authenticate(token.token());
        assertThat(tokens.list(carl).getFirst().lastUsedAt()).isEqualTo(firstUse);
        clock.advance(java.time.Duration.ofSeconds(31));
        tokens.authenticate(token.token());
        assertThat(tokens.list(carl).getFirst().lastUsedAt()).isAfter(firstUse);

        accounts.setEnabled(operator, carl.accountId(), false);
        assertThat(tokens.authenticate(token.token())).isEmpty();
        accounts.setEnabled(operator, carl.accountId(), true);
        assertThat(tokens.authenticate(token.token())).isPresent();

        tokens.revoke(carl, token.info().id());
        assertThat(tokens.authenticate(token.token())).isEmpty();
        assertThatThrownBy(() -> tokens.revoke(operator, token.info().id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void resellerPlansStayWithinTheirGrant() {
        Actor operator = Tenants.operator(accounts);
        Actor r = Tenants.reseller(accounts, plans, "granted");
        plans.grant(operator, new CapacityGrant(r.accountId(), 2, 2048, 10_240, 5, Set.of("oci")));
        plans.create(r, new PlanRequest("ok", "oci", 2, 2048, 10_240, 0, 900));
        assertThatThrownBy(() -> plans.create(r, new PlanRequest("fat", "oci", 4, 1024, 1024, 0, 900)))
                .isInstanceOf(ValidationException.class).satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("vcpus"));
        assertThatThrownBy(() -> plans.create(r, new PlanRequest("vm", "qemu", 1, 1024, 1024, 0, 900)))
                .isInstanceOf(ValidationException.class).satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("backend"));
        assertThatThrownBy(() -> plans.create(r, new PlanRequest("ok", "oci", 1, 1024, 1024, 0, 900)))
                .isInstanceOf(ValidationException.class).satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("name"));
        var plan = plans.list(r).getFirst();
        assertThatThrownBy(() -> plans.update(r, plan.id(), new PlanRequest("ok", "oci", 2, 4096, 1024, 0, 900)))
                .isInstanceOf(ValidationException.class);
        assertThat(plans.update(r, plan.id(), new PlanRequest("ok", "oci", 2, 2048, 10_240, 0, 1200)).monthlyPriceCents()).isEqualTo(1200);
        // The audit log names what changed, old → new, in a sentence (not the request's record text).
        assertThat(audit.page(operator, 0, 50)).extracting(dev.slice.audit.AuditEntry::sentence).contains(
                r.username() + " changed plan #" + plan.id() + ": price (cents a month) 900 → 1200.",
                "admin set the capacity grant of account #" + r.accountId() + ": vCPUs per plan 4 → 2, memory MiB per plan 8192 → 2048,"
                        + " disk MiB per plan 102400 → 10240, servers 100 → 5.",
                r.username() + " created plan #" + plan.id() + ": name 'ok', backend 'oci', vCPUs 2, memory MiB 2048, disk MiB 10240,"
                        + " bandwidth Mbit/s 0, price (cents a month) 900.");
        plans.retire(r, plan.id());
        Actor buyer = Tenants.customer(accounts, r, "buyer");
        assertThat(plans.catalogue(buyer)).isEmpty();
        // The way back: the customer may not, the reseller may; once active it is in the catalogue again.
        assertThatThrownBy(() -> retiredPlans.reactivate(buyer, plan.id())).isInstanceOf(dev.slice.error.NotFoundException.class);
        assertThat(retiredPlans.reactivate(r, plan.id()).active()).isTrue();
        assertThat(plans.catalogue(buyer)).extracting(dev.slice.plan.Plan::id).containsExactly(plan.id());
        assertThatThrownBy(() -> retiredPlans.reactivate(r, plan.id())).isInstanceOf(dev.slice.error.ConflictException.class)
                .hasMessageContaining("active already");
        // A plan beyond the grant as it is now stays retired, for the operator too.
        plans.retire(r, plan.id());
        plans.grant(operator, new CapacityGrant(r.accountId(), 1, 2048, 10_240, 5, Set.of("oci")));
        assertThatThrownBy(() -> retiredPlans.reactivate(operator, plan.id())).isInstanceOf(ValidationException.class)
                .hasMessageContaining("no longer fits the grant");
        assertThat(plans.get(r, plan.id()).active()).isFalse();
        assertThat(dev.slice.plan.RetiredPlans.Shown.RETIRED.of(plans.list(r))).extracting(dev.slice.plan.Plan::id).containsExactly(plan.id());
        assertThat(dev.slice.plan.RetiredPlans.Shown.ACTIVE.of(plans.list(r))).isEmpty();
        assertThatThrownBy(() -> plans.grant(r, new CapacityGrant(r.accountId(), 64, 1 << 20, 1 << 20, 999, Set.of("oci"))))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void accountSearchAndOrderStayWithinWhatTheCallerMaySee() {
        Actor operator = Tenants.operator(accounts);
        Actor r1 = Tenants.reseller(accounts, plans, "srch-r1");
        Actor r2 = Tenants.reseller(accounts, plans, "srch-r2");
        Tenants.customer(accounts, r1, "srch-ann");
        Tenants.customer(accounts, r2, "srch-ben");
        var text = dev.slice.search.SearchText.parse("q", "srch-");
        assertThat(accounts.othersPage(r1, text, AccountService.BY_ID, 0, 50)).extracting(Account::username).containsExactly("srch-ann");
        assertThat(accounts.othersCount(r2, text)).isEqualTo(1);
        assertThat(accounts.othersPage(r2, dev.slice.search.SearchText.parse("q", "ann"), AccountService.BY_ID, 0, 50)).isEmpty();
        assertThat(accounts.othersPage(operator, text, new dev.slice.search.Sorting<>(AccountService.Sort.USERNAME, true), 0, 50))
                .extracting(Account::username).containsExactly("srch-r2", "srch-r1", "srch-ben", "srch-ann");
    }
}
