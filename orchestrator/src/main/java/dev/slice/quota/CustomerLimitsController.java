package dev.slice.quota;

import dev.slice.account.Actor;
import dev.slice.api.SliceApi;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@SliceApi
@RestController
@RequestMapping("/api")
public class CustomerLimitsController {
    private final CustomerLimits limits;

    CustomerLimitsController(CustomerLimits limits) {
        this.limits = limits;
    }

    /** The most a customer's live servers may hold in total; a null field is unlimited. */
    @GetMapping("/accounts/{id}/limits")
    Quota get(Actor actor, @PathVariable long id) {
        return limits.of(actor, id);
    }

    /** Sets (replaces) them: its reseller for its customers, the operator for any customer; null or absent: unlimited. */
    @PutMapping("/accounts/{id}/limits")
    Quota set(Actor actor, @PathVariable long id, @RequestBody Quota request) {
        return limits.set(actor, id, request);
    }
}
