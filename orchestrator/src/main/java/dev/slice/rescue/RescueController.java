package dev.slice.rescue;

import dev.slice.account.Actor;
import dev.slice.api.SliceApi;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@SliceApi
@RestController
@RequestMapping("/api")
public class RescueController {
    private final RescueService rescue;

    RescueController(RescueService rescue) {
        this.rescue = rescue;
    }

    /** Root's SSH keys in the rescue system, besides the one-time password; none ({@code {}}) is fine. */
    public record EnterRequest(List<String> sshKeys) {}

    public record Accepted(long serverId, long jobId) {}

    /**
     * Boots the server from a rescue system with its own disk attached, not mounted. The answer holds root's one-time
     * password, shown this once. 400 on a bad SSH key, 409 when the server is not active, its backend has no rescue
     * system, or it has a job running.
     */
    @PostMapping("/servers/{id}/rescue")
    @ResponseStatus(HttpStatus.ACCEPTED)
    RescueService.Entered enter(Actor actor, @PathVariable long id, @RequestBody EnterRequest request) {
        return rescue.enter(actor, id, request.sshKeys());
    }

    /** Boots the server's own system again; 409 when it is not in rescue. */
    @PostMapping("/servers/{id}/rescue/leave")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted leave(Actor actor, @PathVariable long id) {
        return new Accepted(id, rescue.leave(actor, id));
    }
}
