package dev.slice.snapshot;

import dev.slice.account.Actor;
import dev.slice.api.SliceApi;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@SliceApi
@RestController
@RequestMapping("/api")
public class SnapshotController {
    private final SnapshotService snapshots;

    SnapshotController(SnapshotService snapshots) {
        this.snapshots = snapshots;
    }

    public record TakeRequest(String name) {}

    public record LimitRequest(Integer snapshotLimit) {}

    public record Limit(long planId, int snapshotLimit) {}

    @GetMapping("/servers/{id}/snapshots")
    SnapshotService.Listing list(Actor actor, @PathVariable long id) {
        return snapshots.list(actor, id);
    }

    /** 400 naming {@code name} on a bad name, 409 when the plan's limit is reached or the backend takes none. */
    @PostMapping("/servers/{id}/snapshots")
    @ResponseStatus(HttpStatus.ACCEPTED)
    SnapshotService.Accepted take(Actor actor, @PathVariable long id, @RequestBody TakeRequest request) {
        return snapshots.take(actor, id, request.name());
    }

    @PostMapping("/servers/{id}/snapshots/{snapshotId}/revert")
    @ResponseStatus(HttpStatus.ACCEPTED)
    SnapshotService.Accepted revert(Actor actor, @PathVariable long id, @PathVariable long snapshotId) {
        return snapshots.revert(actor, id, snapshotId);
    }

    @DeleteMapping("/servers/{id}/snapshots/{snapshotId}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    SnapshotService.Accepted delete(Actor actor, @PathVariable long id, @PathVariable long snapshotId) {
        return snapshots.delete(actor, id, snapshotId);
    }

    @GetMapping("/plans/{id}/snapshot-limit")
    Limit limit(Actor actor, @PathVariable long id) {
        return new Limit(id, snapshots.limit(actor, id));
    }

    @PutMapping("/plans/{id}/snapshot-limit")
    Limit setLimit(Actor actor, @PathVariable long id, @RequestBody LimitRequest request) {
        return new Limit(id, snapshots.setLimit(actor, id, request.snapshotLimit()));
    }
}
