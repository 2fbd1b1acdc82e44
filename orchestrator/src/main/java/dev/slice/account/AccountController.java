package dev.slice.account;

import dev.slice.api.Page;
import dev.slice.api.Paging;
import dev.slice.api.SliceApi;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
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

    AccountController(AccountService accounts, ApiTokenService tokens) {
        this.accounts = accounts;
        this.tokens = tokens;
    }

    public record PasswordChange(String password) {}

    public record Enabled(boolean enabled) {}

    public record TokenRequest(String name) {}

    @GetMapping("/me")
    Account me(Actor actor) {
        return accounts.me(actor);
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
        return tokens.create(actor, request.name());
    }

    @DeleteMapping("/tokens/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(Actor actor, @PathVariable long id) {
        tokens.revoke(actor, id);
    }
}
