package dev.slice.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.slice.account.Actor;
import dev.slice.account.NewAccount;
import dev.slice.account.Role;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import dev.slice.billing.BillingService.EntryRequest;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestState;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import dev.slice.testing.FakeDriver;
import dev.slice.testing.MutableClock;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * An unpaid balance past the grace period suspends the servers; paying lifts it; long arrears ask the operator, once; the
 * customer is told each step by e-mail (a real SMTP server, GreenMail, in process).
 */
@SliceSpringTest
@TestPropertySource(properties = {"slice.billing.dunning-grace=14d", "slice.billing.dunning-terminate-after=60d",
        "slice.billing.mail-from=billing@provider.example"})
class DunningTest {
    /** A real SMTP server in this JVM; the application sends to it through spring.mail.*. */
    static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        if (!SMTP.isRunning()) SMTP.start();
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    }

    @AfterAll
    static void stopSmtp() {
        SMTP.stop();
    }

    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JobWorker worker;
    @Autowired FakeDriver driver;
    @Autowired MutableClock clock;
    @Autowired Metering metering;
    @Autowired Dunning dunning;
    @Autowired BillingService billing;
    @Autowired BillingRepository repository;
    @Autowired JdbcClient jdbc;

    @Test
    void suspendOnArrearsLiftOnPaymentAndAskTheOperatorToTerminateOnce() throws Exception {
        driver.reset();
        at("2028-05-01T00:00:00Z");
        Actor reseller = Tenants.reseller(accounts, plans, "dun-res");
        Actor kim = accounts.create(reseller, new NewAccount(Role.CUSTOMER, "kim", "Kim", "kim@example.org", Tenants.PASSWORD, null))
                .asActor();
        Plan ten = plans.create(reseller, new PlanRequest("ten", "oci", 1, 512, 2048, 100, 1000));
        long id = orders.order(kim, new OrderRequest(ten.id(), "k1", "debian-12", Tenants.PASSWORD, List.of(), null)).serverId();
        worker.runDue();
        long byHand = orders.order(kim, new OrderRequest(ten.id(), "k2", "debian-12", Tenants.PASSWORD, List.of(), null)).serverId();
        worker.runDue();
        servers.suspend(reseller, byHand); // the provider's own suspension: not dunning's to lift
        worker.runDue();

        at("2028-05-01T02:00:00Z");
        metering.runPass(); // the first charge, for the hours from midnight: negative since then
        assertThat(repository.balance(kim.accountId()).isNegative()).isTrue();
        at("2028-05-14T23:59:00Z");
        pass();
        assertThat(servers.get(kim, id).status()).as("inside the grace period").isEqualTo(ServerStatus.ACTIVE);

        at("2028-05-15T00:00:00Z");
        assertThat(pass()).isEqualTo(1);
        worker.runDue();
        Server suspended = servers.get(kim, id);
        assertThat(suspended.status()).isEqualTo(ServerStatus.SUSPENDED);
        assertThat(driver.state(GuestId.of(suspended.guestId()))).isEqualTo(GuestState.STOPPED);
        assertThat(pass()).as("a second pass changes nothing").isZero();
        assertThat(audits("billing.dunning.suspend")).isEqualTo(1);
        assertThat(mail(1).getSubject()).isEqualTo("[Slice] Your servers are suspended: unpaid balance");
        assertThat(GreenMailUtil.getBody(mail(1))).contains("Hello Kim", "k1").doesNotContain("k2");
        assertThat(mail(1).getFrom()[0].toString()).isEqualTo("billing@provider.example");
        assertThat(mail(1).getAllRecipients()[0].toString()).isEqualTo("kim@example.org");

        Money owed = repository.balance(kim.accountId()).negate();
        billing.record(reseller, kim.accountId(), new EntryRequest("payment", owed.decimal(), "paid up", null));
        assertThat(pass()).isEqualTo(1);
        worker.runDue();
        assertThat(servers.get(kim, id).status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(driver.state(GuestId.of(suspended.guestId()))).isEqualTo(GuestState.RUNNING);
        assertThat(servers.get(kim, byHand).status()).isEqualTo(ServerStatus.SUSPENDED);
        assertThat(mail(2).getSubject()).isEqualTo("[Slice] Your servers are running again");

        // Arrears again, long enough to ask for termination: once, and nothing is deleted.
        at("2028-08-01T00:00:00Z");
        metering.runPass();
        pass();
        pass();
        worker.runDue();
        assertThat(servers.get(kim, id).status()).isEqualTo(ServerStatus.SUSPENDED);
        assertThat(audits("billing.dunning.terminate-requested")).isEqualTo(1);
        assertThat(SMTP.getReceivedMessages()).extracting(m -> subject(m)).containsExactly(
                "[Slice] Your servers are suspended: unpaid balance", "[Slice] Your servers are running again",
                "[Slice] Your servers are suspended: unpaid balance", "[Slice] Final notice: unpaid balance");
        assertThat(jdbc.sql("select count(*) from job where server_id = ? and kind = 'delete'").param(id).query(Long.class).single())
                .isZero();
    }

    /** The n-th message the SMTP server received (1-based), waiting a little for it. */
    private static MimeMessage mail(int n) {
        assertThat(SMTP.waitForIncomingEmail(10_000, n)).as("%d e-mails received", n).isTrue();
        return SMTP.getReceivedMessages()[n - 1];
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }

    private int pass() {
        metering.runPass();
        return dunning.runPass();
    }

    private long audits(String action) {
        return jdbc.sql("select count(*) from audit_log where action = ?").param(action).query(Long.class).single();
    }

    private void at(String instant) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
    }
}
