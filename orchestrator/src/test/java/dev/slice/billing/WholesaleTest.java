package dev.slice.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.error.ForbiddenException;
import dev.slice.error.ValidationException;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.server.ServerService;
import dev.slice.testing.MutableClock;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The operator sells to a reseller at wholesale: the reseller is charged for its customers' hours, invoiced by the operator. */
@SliceSpringTest
class WholesaleTest {
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JobWorker worker;
    @Autowired MutableClock clock;
    @Autowired Metering metering;
    @Autowired Invoicing invoicing;
    @Autowired BillingService billing;
    @Autowired BillingRepository repository;

    @Test
    void theResellerPaysWholesaleForItsCustomersHoursAndKeepsTheMargin() {
        at("2029-02-01T00:00:00Z");
        Actor operator = Tenants.operator(accounts);
        Actor reseller = Tenants.reseller(accounts, plans, "whole-res");
        Actor lou = Tenants.customer(accounts, reseller, "lou");
        Plan retail = plans.create(reseller, new PlanRequest("retail", "oci", 1, 512, 2048, 100, 1000)); // 10.00 to lou
        assertThat(billing.setWholesale(operator, retail.id(), "6.00").minor()).isEqualTo(600);
        assertThatThrownBy(() -> billing.setWholesale(reseller, retail.id(), "1.00")).isInstanceOf(ForbiddenException.class);
        Plan own = Tenants.plan(plans, operator, "own", 1, 256, 1024);
        assertThatThrownBy(() -> billing.setWholesale(operator, own.id(), "1.00")).isInstanceOf(ValidationException.class);
        // The price list the wholesale screen shows, to the operator and to the reseller; not to a customer.
        for (Actor viewer : List.of(operator, reseller)) {
            assertThat(billing.planPrices(viewer, reseller.accountId())).singleElement().satisfies(p -> {
                assertThat(p.planName()).isEqualTo("retail");
                assertThat(p.retail().minor()).isEqualTo(1000);
                assertThat(p.wholesale().minor()).isEqualTo(600);
            });
        }
        assertThatThrownBy(() -> billing.planPrices(lou, reseller.accountId())).isInstanceOf(dev.slice.error.NotFoundException.class);
        assertThatThrownBy(() -> billing.planPrices(operator, lou.accountId())).isInstanceOf(dev.slice.error.NotFoundException.class);

        long server = orders.order(lou, new OrderRequest(retail.id(), "l1", "debian-12", Tenants.PASSWORD, List.of(), null)).serverId();
        worker.runDue();
        at("2029-02-15T00:00:00Z"); // 336 h: half of February 2029's 672
        metering.runPass();
        assertThat(repository.balance(lou.accountId()).minor()).isEqualTo(-500);
        assertThat(repository.balance(reseller.accountId()).minor()).isEqualTo(-300);
        servers.delete(lou, server);
        worker.runDue();
        at("2029-03-01T00:10:00Z");
        metering.runPass();
        invoicing.issueDue();

        // The margin per month: 5.00 retail, 3.00 wholesale (the server was deleted at the 15th, 00:00 sharp).
        List<BillingRepository.Margin> margins = billing.margins(reseller, reseller.accountId());
        assertThat(margins).hasSize(1);
        assertThat(margins.getFirst().month()).isEqualTo(YearMonth.of(2029, 2));
        assertThat(margins.getFirst().retail().minor()).isEqualTo(500);
        assertThat(margins.getFirst().wholesale().minor()).isEqualTo(300);
        assertThat(margins.getFirst().margin().minor()).isEqualTo(200);
        assertThatThrownBy(() -> billing.margins(lou, reseller.accountId())).isInstanceOf(dev.slice.error.NotFoundException.class);

        // The operator invoices the reseller for the wholesale hours; the reseller invoices lou for the retail ones.
        Invoice toReseller = repository.invoices(reseller.accountId(), 0, 10).getFirst();
        assertThat(toReseller.issuerId()).isEqualTo(operator.accountId());
        assertThat(toReseller.total().minor()).isEqualTo(300);
        assertThat(toReseller.lines().getFirst().description()).startsWith("Server l1");
        Invoice toLou = repository.invoices(lou.accountId(), 0, 10).getFirst();
        assertThat(toLou.issuerId()).isEqualTo(reseller.accountId());
        assertThat(toLou.total().minor()).isEqualTo(500);
    }

    private void at(String instant) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
    }
}
