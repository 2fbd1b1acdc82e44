package dev.slice.account;

import dev.slice.api.ApiError;
import dev.slice.api.Page;
import dev.slice.api.Paging;
import dev.slice.api.SliceApi;
import dev.slice.error.ValidationException;
import dev.slice.security.SignInAs;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@SliceApi
@RestController
@RequestMapping("/api")
public class AccountController {
    private final AccountService accounts;
    private final ApiTokenService tokens;
    private final AccountManagement management;
    private final SignInAs signInAs;

    AccountController(AccountService accounts, ApiTokenService tokens, AccountManagement management, SignInAs signInAs) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.management = management;
        this.signInAs = signInAs;
    }

    public record OwnPasswordChange(String currentPassword, String newPassword) {}

    /** Shown once: the account's owner signs in with it and is made to choose a new password. */
    public record OneTimePassword(String oneTimePassword) {}

    public record PasswordChange(String password) {}

    public record Enabled(boolean enabled) {}

    /** {@code scope}: "read-only" or "full" (the default); {@code expiresAt}: an ISO-8601 time, or none for no expiry. */
    public record TokenRequest(String name, String scope, String expiresAt) {}

    @GetMapping("/me")
    Account me(Actor actor) {
        return accounts.me(actor);
    }

    /** One's own password, with the current one; ends a forced change after a reset. Wrong current ones are throttled (429). */
    @PostMapping("/me/password")
    @ApiResponse(responseCode = "204", description = "done")
    @ApiResponse(responseCode = "429", description = ApiError.TOO_MANY_ATTEMPTS,
            headers = @Header(name = "Retry-After", description = ApiError.RETRY_AFTER, schema = @Schema(type = "integer")),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void ownPassword(Actor actor, @RequestBody OwnPasswordChange change, HttpServletRequest request) {
        management.changeOwnPassword(actor, request.getRemoteAddr(), change.currentPassword(), change.newPassword());
    }

    /** Back from "sign in as" to the account that signed in (a panel session only). */
    @PostMapping("/me/sign-in-as/end")
    Account endSignInAs(HttpServletRequest request, HttpServletResponse response) {
        Actor back = signInAs.end(request, response);
        return accounts.me(back);
    }

    @GetMapping("/accounts")
    Page<Account> list(Actor actor, @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        Paging.check(offset, limit);
        return new Page<>(accounts.page(actor, offset, limit), accounts.count(actor));
    }

    @GetMapping("/accounts/{id}")
    Account get(Actor actor, @PathVariable long id) {
        return accounts.get(actor, id);
    }

    @PostMapping("/accounts")
    @ResponseStatus(HttpStatus.CREATED)
    Account create(Actor actor, @RequestBody NewAccount request) {
        return accounts.create(actor, request);
    }

    @PostMapping("/accounts/{id}/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void password(Actor actor, @PathVariable long id, @RequestBody PasswordChange change) {
        accounts.changePassword(actor, id, change.password());
    }

    /** Name and e-mail (null or absent: unchanged). */
    @PatchMapping("/accounts/{id}")
    Account edit(Actor actor, @PathVariable long id, @RequestBody AccountManagement.ProfileChange change) {
        return management.edit(actor, id, change);
    }

    /** 409 naming the servers or customers the account still has; the row stays (soft delete). */
    @DeleteMapping("/accounts/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Actor actor, @PathVariable long id) {
        management.delete(actor, id);
    }

    @PostMapping("/accounts/{id}/password-reset")
    OneTimePassword resetPassword(Actor actor, @PathVariable long id) {
        return new OneTimePassword(management.resetPassword(actor, id));
    }

    /** Switches the caller's panel session to this account, for support; {@code /api/me/sign-in-as/end} goes back. */
    @PostMapping("/accounts/{id}/sign-in-as")
    Account signInAs(Actor actor, @PathVariable long id, HttpServletRequest request, HttpServletResponse response) {
        return signInAs.start(actor, id, request, response);
    }

    @PostMapping("/accounts/{id}/enabled")
    Account enabled(Actor actor, @PathVariable long id, @RequestBody Enabled enabled) {
        accounts.setEnabled(actor, id, enabled.enabled());
        return accounts.get(actor, id);
    }

    @GetMapping("/tokens")
    List<ApiToken> tokens(Actor actor) {
        return tokens.list(actor);
    }

    /** The clear token is in this answer only. */
    @PostMapping("/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    NewApiToken createToken(Actor actor, @RequestBody TokenRequest request) {
        return tokens.create(actor, request.name(), TokenScope.parse(request.scope()), expiry(request.expiresAt()));
    }

    @DeleteMapping("/tokens/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(Actor actor, @PathVariable long id) {
        tokens.revoke(actor, id);
    }

    private static Instant expiry(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new ValidationException("expiresAt", "give the expiry as an ISO-8601 time such as 2027-01-31T00:00:00Z");
        }
    }
}
