package dev.slice.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.error.ValidationException;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.server.ServerService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The node has room but its pool has no address left: the order is refused at once and leaves nothing. */
@SliceSpringTest
class AddressExhaustionTest {
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JdbcClient jdbc;

    @Test
    void anOrderWithoutAFreeAddressIsRefusedWithNothingLeftBehind() {
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "late");
        Plan plan = Tenants.plan(plans, operator, "mini", 1, 64, 256);
        // Leave exactly one free address.
        jdbc.sql("delete from ip_address where address <> (select min(address) from ip_address where server_id is null)").update();

        long first = orders.order(customer, new OrderRequest(plan.id(), "first", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        assertThat(servers.get(customer, first).ipv4()).isNotNull();
        long serversBefore = jdbc.sql("select count(*) from server").query(Long.class).single();

        assertThatThrownBy(() -> orders.order(customer, new OrderRequest(plan.id(), "second", "debian-12", "Correct-Horse-42", List.of(), null)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("no free IPv4 address")
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("planId"));
        assertThat(jdbc.sql("select count(*) from server").query(Long.class).single()).isEqualTo(serversBefore);
        assertThat(jdbc.sql("select count(*) from job").query(Long.class).single()).isEqualTo(1);
    }
}
