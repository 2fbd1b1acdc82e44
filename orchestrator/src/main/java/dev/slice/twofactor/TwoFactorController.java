package dev.slice.twofactor;

import dev.slice.account.Actor;
import dev.slice.api.ApiError;
import dev.slice.api.SliceApi;
import dev.slice.error.ValidationException;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Two-factor sign-in over the REST API: one's own enrolment and disable, and a manager's reset. The secret is in the
 * answer to starting an enrolment only. The second sign-in step itself belongs to the panel's session sign-in; API tokens
 * never ask for a code.
 */
@SliceApi
@RestController
@RequestMapping("/api")
public class TwoFactorController {
    private final TwoFactorService twoFactor;
    private final TwoFactorPolicy policy;

    TwoFactorController(TwoFactorService twoFactor, TwoFactorPolicy policy) {
        this.twoFactor = twoFactor;
        this.policy = policy;
    }

    /** @param requiredForStaff whether every operator and reseller must use two-factor sign-in (sessions; tokens are exempt) */
    public record StaffPolicy(Boolean requiredForStaff) {}

    public record Code(String code) {}

    /** A current code (or, to disable, a recovery code), or else the password. */
    public record Disable(String code, String password) {}

    /** Shown once; each works once in place of a code. */
    public record RecoveryCodes(List<String> recoveryCodes) {}

    @GetMapping("/me/two-factor")
    TwoFactorService.Status status(Actor actor) {
        return twoFactor.status(actor);
    }

    /** A new secret for an authenticator app (409 when two-factor sign-in is on); confirm it with a current code. */
    @PostMapping("/me/two-factor")
    @ResponseStatus(HttpStatus.CREATED)
    TwoFactorService.Enrolment start(Actor actor) {
        return twoFactor.start(actor);
    }

    @PostMapping("/me/two-factor/confirm")
    RecoveryCodes confirm(Actor actor, @RequestBody Code code) {
        return new RecoveryCodes(twoFactor.confirm(actor, code.code()));
    }

    /** Wrong codes or passwords are throttled like sign-ins (429 with Retry-After). */
    @PostMapping("/me/two-factor/disable")
    @ApiResponse(responseCode = "204", description = "done")
    @ApiResponse(responseCode = "429", description = ApiError.TOO_MANY_ATTEMPTS,
            headers = @Header(name = "Retry-After", description = ApiError.RETRY_AFTER, schema = @Schema(type = "integer")),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void disable(Actor actor, @RequestBody Disable disable, HttpServletRequest request) {
        twoFactor.disable(actor, request.getRemoteAddr(), disable.code(), disable.password());
    }

    /**
     * Ten new recovery codes, shown in this answer only; the old ones stop working. Needs a current code from the app or
     * the password ({@link Disable}'s fields); wrong ones are throttled like sign-ins.
     */
    @PostMapping("/me/two-factor/recovery-codes")
    RecoveryCodes regenerate(Actor actor, @RequestBody Disable proof, HttpServletRequest request) {
        return new RecoveryCodes(twoFactor.regenerateRecoveryCodes(actor, request.getRemoteAddr(), proof.code(), proof.password()));
    }

    @GetMapping("/installation/two-factor")
    StaffPolicy policy(Actor actor) {
        return new StaffPolicy(policy.requiredForStaff());
    }

    /**
     * Operators only, audited. While on, a session of an operator or reseller without two-factor sign-in gets 403 on
     * everything but {@code /api/me} and its own enrolment, and the panel leads it to enrolment.
     */
    @PutMapping("/installation/two-factor")
    StaffPolicy setPolicy(Actor actor, @RequestBody StaffPolicy request) {
        if (request.requiredForStaff() == null) throw new ValidationException("requiredForStaff", "true or false");
        policy.setRequiredForStaff(actor, request.requiredForStaff());
        return new StaffPolicy(policy.requiredForStaff());
    }

    @PostMapping("/accounts/{id}/two-factor-reset")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void reset(Actor actor, @PathVariable long id) {
        twoFactor.reset(actor, id);
    }
}
