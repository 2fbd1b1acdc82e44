package dev.slice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How audit entries read: one sentence each, the changed fields old → new, older record text as fields. */
class AuditSentencesTest {

    private static AuditEntry entry(String actor, String action, String type, String id, String detail) {
        return new AuditEntry(1, Instant.EPOCH, null, actor, action, type, id, detail);
    }

    @Test
    void signInsReadWithTheirAddress() {
        assertThat(entry("alice", "account.sign-in", "account", "5", "from 192.0.2.7").sentence())
                .isEqualTo("alice signed in from 192.0.2.7.");
        assertThat(entry("alice", "account.sign-out", "account", "5", "from 192.0.2.7").sentence())
                .isEqualTo("alice signed out from 192.0.2.7.");
        assertThat(entry("anonymous", "account.sign-in-failed", "account", "5", "as 'alice' from 192.0.2.7: Bad credentials").sentence())
                .isEqualTo("anonymous failed to sign in to account #5 as 'alice' from 192.0.2.7: Bad credentials.");
    }

    @Test
    void changesNameOnlyTheFieldsThatChangedOldToNew() {
        String detail = Changes.of().change("name", "small", "small").change("vCPUs", 1, 2).change("memory MiB", 256L, 512L).text();
        assertThat(detail).isEqualTo("vCPUs 1 → 2, memory MiB 256 → 512");
        assertThat(entry("resa", "plan.update", "plan", "3", detail).sentence()).isEqualTo("resa changed plan #3: vCPUs 1 → 2, memory MiB 256 → 512.");
        assertThat(Changes.of().change("name", "a", "a").text()).isEqualTo("nothing changed");
        assertThat(Changes.of().value("name", "x").value("backends", java.util.Set.of("uml", "oci")).value("group", null).text())
                .isEqualTo("name 'x', backends oci, uml, group none");
    }

    @Test
    void olderEntriesWithRecordTextReadAsFields() {
        assertThat(entry("admin", "grant.set", "account", "7",
                "CapacityGrant[resellerId=7, maxVcpusPerPlan=4, backends=[oci]]").sentence())
                .isEqualTo("admin set the capacity grant of account #7: reseller id 7, max vcpus per plan 4, backends [oci].");
    }

    @Test
    void actionsWithoutAPhraseReadFromTheirName() {
        assertThat(entry("bob", "server.reboot", "server", "9", "web1, job 12").sentence()).isEqualTo("bob rebooted server #9: web1, job 12.");
        assertThat(entry("bob", "server.frobnicate", "server", "9", "").sentence()).isEqualTo("bob frobnicate server #9.");
        assertThat(entry("slice", "reconcile.orphan", "guest", "slice-4", "no server").sentence())
                .isEqualTo("slice reconcile (orphan) for guest #slice-4: no server.");
        assertThat(entry("admin", "server.console", "server", "9", "").sentence()).isEqualTo("admin opened the console of server #9.");
    }
}
