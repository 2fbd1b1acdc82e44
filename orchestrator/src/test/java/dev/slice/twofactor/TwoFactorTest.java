package dev.slice.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.audit.AuditEntry;
import dev.slice.audit.AuditLog;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.plan.PlanService;
import dev.slice.signin.TooManyAttemptsException;
import dev.slice.testing.MutableClock;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two-factor sign-in against the real PostgreSQL, with codes computed from the secret at the test's clock by an
 * independent RFC 6238 computation (checked against the RFC's own test vectors).
 */
@SliceSpringTest
@Timeout(60)
class TwoFactorTest {
    @Autowired TwoFactorService twoFactor;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired AuditLog audit;
    @Autowired MutableClock clock;
    @Autowired JdbcClient jdbc;

    @Test
    void theIndependentComputationAndTheLibraryGiveTheRfc6238TestVectors() throws Exception {
        byte[] seed = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        // RFC 6238 appendix B, SHA-1: time (s) and 8-digit TOTP.
        Map<Long, String> vectors = Map.of(59L, "94287082", 1111111109L, "07081804", 1111111111L, "14050471",
                1234567890L, "89005924", 2000000000L, "69279037", 20000000000L, "65353130");
        DefaultCodeGenerator library = new DefaultCodeGenerator(HashingAlgorithm.SHA1, 8);
        String base32 = new Base32().encodeToString(seed);
        for (var vector : vectors.entrySet()) {
            assertThat(Rfc6238.code(seed, vector.getKey(), 8)).as("t=" + vector.getKey()).isEqualTo(vector.getValue());
            assertThat(library.generate(base32, vector.getKey() / 30)).as("library t=" + vector.getKey()).isEqualTo(vector.getValue());
        }
    }

    @Test
    void enrolmentNeedsACurrentCodeAndTheSecretIsNotGivenOutAgain() {
        Actor ann = customer("tf-ann");
        assertThat(twoFactor.status(ann).enabled()).isFalse();
        TwoFactorService.Enrolment enrolment = twoFactor.start(ann);
        assertThat(enrolment.otpauthUri()).startsWith("otpauth://totp/").contains("secret=" + enrolment.secret()).contains("issuer=Slice");
        assertThat(enrolment.qrCode()).startsWith("data:image/png;base64,");
        assertThat(twoFactor.isRequired("tf-ann")).as("not before it is confirmed").isFalse();

        for (String bad : new String[] {null, "", "12345", "1234567", "12a456", " 123456"}) {
            assertThatThrownBy(() -> twoFactor.confirm(ann, bad)).isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("code"));
        }
        String wrong = Rfc6238.atStep(enrolment.secret(), step() + 5);
        assertThatThrownBy(() -> twoFactor.confirm(ann, wrong)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("current code");

        List<String> recovery = twoFactor.confirm(ann, current(enrolment.secret()));
        assertThat(recovery).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z0-9]{4}(-[a-z0-9]{4}){3}"));
        assertThat(twoFactor.status(ann)).isEqualTo(new TwoFactorService.Status(true, 10));
        assertThat(twoFactor.isRequired("TF-Ann")).isTrue();
        // Enrolling again needs a disable first: the stored secret is never handed out again.
        assertThatThrownBy(() -> twoFactor.start(ann)).isInstanceOf(ConflictException.class);
        // The secret is sealed at rest; only hashes of the recovery codes are stored.
        String stored = jdbc.sql("select secret from account_two_factor where account_id = ?").param(ann.accountId())
                .query(String.class).single();
        assertThat(stored).startsWith("aes-gcm:").doesNotContain(enrolment.secret());
        List<String> hashes = jdbc.sql("select code_hash from account_recovery_code where account_id = ?").param(ann.accountId())
                .query(String.class).list();
        assertThat(hashes).hasSize(10).noneMatch(recovery::contains).allMatch(h -> h.startsWith("{bcrypt}"));
        assertThat(actions()).contains("account.two-factor-enable");
    }

    @Test
    void aCodeIsAcceptedOnceAndOneStepOfDriftEitherWay() {
        Actor bob = customer("tf-bob");
        String secret = enrol(bob);
        long s = step();
        // The code confirming the enrolment took the current step already.
        assertThat(twoFactor.signIn("tf-bob", "192.0.2.20", Rfc6238.atStep(secret, s))).as("replay of the enrolment's code").isFalse();
        assertThat(twoFactor.signIn("tf-bob", "192.0.2.20", Rfc6238.atStep(secret, s + 1))).as("one step ahead").isTrue();
        assertThat(twoFactor.signIn("tf-bob", "192.0.2.20", Rfc6238.atStep(secret, s + 1))).as("the same code again").isFalse();
        clock.advance(Duration.ofSeconds(90)); // now s + 3
        assertThat(twoFactor.signIn("tf-bob", "192.0.2.20", Rfc6238.atStep(secret, s + 5))).as("two steps ahead").isFalse();
        assertThat(twoFactor.signIn("tf-bob", "192.0.2.20", Rfc6238.atStep(secret, s + 2))).as("one step behind").isTrue();
        assertThat(twoFactor.signIn("tf-bob", "192.0.2.20", Rfc6238.atStep(secret, s + 3))).as("the current one").isTrue();
        clock.advance(Duration.ofSeconds(30)); // now s + 4
        assertThat(twoFactor.signIn("tf-bob", "192.0.2.20", Rfc6238.atStep(secret, s + 2))).as("two steps behind").isFalse();
        assertThat(twoFactor.signIn("tf-bob", "192.0.2.20", Rfc6238.atStep(secret, s + 3))).as("used already").isFalse();
        assertThat(twoFactor.signIn("tf-bob", "192.0.2.20", Rfc6238.atStep(secret, s + 4))).isTrue();
        assertThatThrownBy(() -> twoFactor.signIn("tf-bob", "192.0.2.20", "12345")).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("code"));
    }

    @Test
    void aRecoveryCodeWorksOnceAndItsUseIsAudited() {
        Actor cid = customer("tf-cid");
        enrolAndKeep(cid);
        List<String> recovery = lastRecovery;
        assertThat(twoFactor.signIn("tf-cid", "192.0.2.30", recovery.get(3))).isTrue();
        assertThat(twoFactor.signIn("tf-cid", "192.0.2.30", recovery.get(3))).as("used up").isFalse();
        assertThat(twoFactor.signIn("tf-cid", "192.0.2.30", " " + recovery.get(4).toUpperCase() + " ")).as("as typed").isTrue();
        assertThat(twoFactor.signIn("tf-cid", "192.0.2.30", "aaaa-bbbb-cccc-dddd")).isFalse();
        assertThat(twoFactor.status(cid).recoveryCodesLeft()).isEqualTo(8);
        assertThat(audit.page(Tenants.operator(accounts), 0, 50)).filteredOn(e -> e.action().equals("account.two-factor-recovery-code"))
                .hasSize(2).first().extracting(AuditEntry::detail).asString().contains("8 left");
    }

    @Test
    void wrongCodesAreThrottledLikeWrongPasswords() {
        Actor dee = customer("tf-dee");
        String secret = enrol(dee);
        String address = "192.0.2.40";
        String wrong = Rfc6238.atStep(secret, step() + 10);
        for (int i = 0; i < 4; i++) assertThat(twoFactor.signIn("tf-dee", address, wrong)).isFalse();
        assertThatThrownBy(() -> twoFactor.signIn("tf-dee", address, wrong)).isInstanceOf(TooManyAttemptsException.class);
        // While the delay runs even the right code is not checked.
        assertThatThrownBy(() -> twoFactor.signIn("tf-dee", address, Rfc6238.atStep(secret, step() + 1)))
                .isInstanceOf(TooManyAttemptsException.class);
        clock.advance(Duration.ofSeconds(2));
        // (The current step was taken by the enrolment's code.)
        assertThat(twoFactor.signIn("tf-dee", address, Rfc6238.atStep(secret, step() + 1))).isTrue();
    }

    @Test
    void disableNeedsACodeOrThePasswordAndAManagerCanReset() {
        Actor seller = Tenants.reseller(accounts, plans, "tf-seller");
        Actor other = Tenants.reseller(accounts, plans, "tf-other");
        Actor eve = Tenants.customer(accounts, seller, "tf-eve");
        String secret = enrol(eve);
        String address = "192.0.2.50";
        assertThatThrownBy(() -> twoFactor.disable(eve, address, null, null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> twoFactor.disable(eve, address, "12", null)).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("code"));
        assertThatThrownBy(() -> twoFactor.disable(eve, address, null, "Not-Her-Pass-1")).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("password"));
        twoFactor.disable(eve, address, Rfc6238.atStep(secret, step() + 1), null);
        assertThat(twoFactor.isRequired("tf-eve")).isFalse();
        assertThat(jdbc.sql("select count(*) from account_recovery_code where account_id = ?").param(eve.accountId())
                .query(Integer.class).single()).isZero();

        enrol(eve);
        twoFactor.disable(eve, address, null, Tenants.PASSWORD);
        assertThat(twoFactor.isRequired("tf-eve")).isFalse();

        enrol(eve);
        assertThatThrownBy(() -> twoFactor.reset(eve, eve.accountId())).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> twoFactor.reset(other, eve.accountId())).isInstanceOf(NotFoundException.class);
        twoFactor.reset(seller, eve.accountId());
        assertThat(twoFactor.isRequired("tf-eve")).isFalse();
        assertThatThrownBy(() -> twoFactor.reset(seller, eve.accountId())).isInstanceOf(ConflictException.class);
        assertThat(actions()).contains("account.two-factor-disable", "account.two-factor-reset");
    }

    private List<String> lastRecovery;

    private String enrolAndKeep(Actor actor) {
        TwoFactorService.Enrolment enrolment = twoFactor.start(actor);
        lastRecovery = twoFactor.confirm(actor, current(enrolment.secret()));
        return enrolment.secret();
    }

    private String enrol(Actor actor) {
        return enrolAndKeep(actor);
    }

    private Actor customer(String name) {
        return Tenants.customer(accounts, Tenants.operator(accounts), name);
    }

    private long step() {
        return Math.floorDiv(clock.instant().getEpochSecond(), 30);
    }

    private String current(String secret) {
        return Rfc6238.atStep(secret, step());
    }

    private List<String> actions() {
        return audit.page(Tenants.operator(accounts), 0, 100).stream().map(AuditEntry::action).toList();
    }
}
