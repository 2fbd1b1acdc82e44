package dev.slice.firewall;

import dev.slice.account.Actor;
import dev.slice.api.SliceApi;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/servers/{id}/firewall}: the server's inbound rules. Every answer is the whole firewall afterwards; bad
 * input is a 400 naming the field ({@code rules[1].source}), a server the caller may not see a 404.
 */
@SliceApi
@RestController
@RequestMapping("/api/servers/{id}/firewall")
public class FirewallController {
    private final FirewallService firewalls;

    FirewallController(FirewallService firewalls) {
        this.firewalls = firewalls;
    }

    /** The firewall with its bound, so a client can tell how many rules it may add. */
    public record View(String defaultAction, java.util.List<FirewallInput.Rule> rules, int maxRules) {
        static View of(dev.slice.driver.firewall.FirewallPolicy policy) {
            FirewallInput.Firewall f = FirewallInput.Firewall.of(policy);
            return new View(f.defaultAction(), f.rules(), FirewallLimits.MAX_RULES);
        }
    }

    @GetMapping
    View get(Actor actor, @PathVariable long id) {
        return View.of(firewalls.get(actor, id));
    }

    @PutMapping
    View replace(Actor actor, @PathVariable long id, @RequestBody FirewallInput.Firewall body) {
        return View.of(firewalls.replace(actor, id, body));
    }

    @PostMapping("/rules")
    View add(Actor actor, @PathVariable long id, @RequestBody FirewallInput.Rule body) {
        return View.of(firewalls.add(actor, id, body));
    }

    @DeleteMapping("/rules/{position}")
    View delete(Actor actor, @PathVariable long id, @PathVariable int position) {
        return View.of(firewalls.delete(actor, id, position));
    }
}
