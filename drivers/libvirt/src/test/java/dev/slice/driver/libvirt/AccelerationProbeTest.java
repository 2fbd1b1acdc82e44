package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/**
 * The KVM-or-TCG decision against this host's real libvirtd: KVM only when libvirt offers it and a
 * guest boots with it; the answer is kept for the rest of this host boot.
 */
class AccelerationProbeTest {

    @Test
    void libvirtOffersKvmExactlyWhenTheHostHasDevKvm() throws Exception {
        Connect connect = new Connect(TestHost.QEMU_URI);
        try {
            assertThat(AccelerationProbe.offersKvm(connect.getCapabilities())).isEqualTo(Files.exists(Path.of("/dev/kvm")));
        } finally {
            connect.close();
        }
    }

    @Test
    void theDecisionIsTestedOnceAndThenReadFromTheBootCache(@TempDir Path state) throws Exception {
        Connect connect = new Connect(TestHost.QEMU_URI);
        try {
            AccelerationProbe first = probe(state);
            AccelerationProbe.Decision decided = first.decide(connect);
            assertThat(decided.domainType()).isIn("kvm", "qemu");
            if (decided.domainType().equals("kvm")) {
                assertThat(decided.reason()).contains("booted with it");
            } else {
                assertThat(decided.reason()).startsWith("QEMU emulation (TCG)");
            }

            AccelerationProbe.Decision again = probe(state).decide(connect);
            assertThat(again.domainType()).isEqualTo(decided.domainType());
            assertThat(again.reason()).startsWith(decided.reason()).contains("tested at");
            assertThat(connect.listDefinedDomains()).doesNotContain(DomainXml.PROBE_DOMAIN);
        } finally {
            connect.close();
        }
    }

    private static AccelerationProbe probe(Path state) {
        return new AccelerationProbe(TestHost.QEMU_URI, true, state, TestHost.dataDir().resolve("templates"),
                Clock.systemUTC(), AccelerationProbe.DEFAULT_DEADLINE);
    }
}
