package dev.slice.server;

import dev.slice.account.Actor;
import dev.slice.api.SliceApi;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@SliceApi
@RestController
@RequestMapping("/api")
public class BulkPowerController {
    private final BulkPowerActions bulk;

    BulkPowerController(BulkPowerActions bulk) {
        this.bulk = bulk;
    }

    /** @param action start, stop or reboot */
    public record BulkPowerRequest(String action, List<Long> serverIds) {}

    /**
     * Operators only: one power action on up to {@value BulkPowerActions#MAX_SERVERS} servers, each through its own
     * checks and job; the answer lists per server the job queued or why it was refused (a server it cannot see among them).
     */
    @PostMapping("/servers/bulk-power")
    List<BulkPowerActions.Result> run(Actor actor, @RequestBody BulkPowerRequest request) {
        return bulk.runOnIds(actor, BulkPowerActions.Power.parse(request.action()), request.serverIds());
    }
}
