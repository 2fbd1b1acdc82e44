package dev.slice.usage;

import dev.slice.account.Actor;
import dev.slice.api.SliceApi;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@SliceApi
@RestController
@RequestMapping("/api")
public class UsageController {
    private final UsageService usage;

    UsageController(UsageService usage) {
        this.usage = usage;
    }

    /** {@code month}: "2028-03" (UTC); absent: this month. */
    @GetMapping("/servers/{id}/traffic")
    MonthlyTraffic traffic(Actor actor, @PathVariable long id, @RequestParam(required = false) String month) {
        return usage.traffic(actor, id, month);
    }

    /** {@code range}: hour (every sample), day or month (hourly roll-ups); absent: hour. */
    @GetMapping("/servers/{id}/usage")
    List<UsagePoint> history(Actor actor, @PathVariable long id, @RequestParam(required = false) String range) {
        return usage.history(actor, id, range);
    }
}
