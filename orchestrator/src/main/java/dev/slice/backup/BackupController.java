package dev.slice.backup;

import dev.slice.account.Actor;
import dev.slice.api.SliceApi;
import dev.slice.error.ValidationException;
import java.util.List;
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
public class BackupController {
    private final BackupService backups;

    BackupController(BackupService backups) {
        this.backups = backups;
    }

    public record CreateRequest(String name) {}

    /** @param backupId the backup to restore from: the server's own, or one of the owner's deleted servers' */
    public record RestoreRequest(Long backupId) {}

    /** @param frequency daily, weekly, or none (removes the schedule; retention is then not needed) */
    public record ScheduleRequest(String frequency, Integer retention) {
        /** The service's form: null for none; a missing or empty frequency is a 400, not a silent removal. */
        String frequencyOrNullForNone() {
            if (frequency == null || frequency.isBlank()) {
                throw new ValidationException("frequency", "daily, weekly, or none to remove the schedule");
            }
            return frequency.strip().equals("none") ? null : frequency;
        }
    }

    @GetMapping("/servers/{id}/backups")
    BackupService.Listing list(Actor actor, @PathVariable long id) {
        return backups.list(actor, id);
    }

    /** The owner's ready backups of this server's backend, its own and its deleted servers'. */
    @GetMapping("/servers/{id}/backups/restorable")
    List<Backup> restorable(Actor actor, @PathVariable long id) {
        return backups.restorable(actor, id);
    }

    /** 400 naming {@code name} on a bad name, 409 when the server is busy or its backend writes none. */
    @PostMapping("/servers/{id}/backups")
    @ResponseStatus(HttpStatus.ACCEPTED)
    BackupService.Accepted create(Actor actor, @PathVariable long id, @RequestBody(required = false) CreateRequest request) {
        return backups.create(actor, id, request == null ? null : request.name());
    }

    @PostMapping("/servers/{id}/backups/{backupId}/restore")
    @ResponseStatus(HttpStatus.ACCEPTED)
    BackupService.Accepted restore(Actor actor, @PathVariable long id, @PathVariable long backupId) {
        return backups.restore(actor, id, backupId);
    }

    /** A restore onto this server from a backup named in the body (e.g. of a deleted server); 400 naming {@code backupId}. */
    @PostMapping("/servers/{id}/restore")
    @ResponseStatus(HttpStatus.ACCEPTED)
    BackupService.Accepted restoreFrom(Actor actor, @PathVariable long id, @RequestBody(required = false) RestoreRequest request) {
        if (request == null || request.backupId() == null) throw new ValidationException("backupId", "name the backup to restore");
        return backups.restore(actor, id, request.backupId());
    }

    @DeleteMapping("/servers/{id}/backups/{backupId}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    BackupService.Accepted delete(Actor actor, @PathVariable long id, @PathVariable long backupId) {
        return backups.delete(actor, id, backupId);
    }

    /** 400 naming {@code frequency} or {@code retention}. */
    @PutMapping("/servers/{id}/backups/schedule")
    BackupSchedule setSchedule(Actor actor, @PathVariable long id, @RequestBody(required = false) ScheduleRequest request) {
        ScheduleRequest body = request == null ? new ScheduleRequest(null, null) : request;
        return backups.setSchedule(actor, id, body.frequencyOrNullForNone(), body.retention());
    }

    @PutMapping("/plans/{id}/backup-schedule")
    ScheduleRequest setPlanDefault(Actor actor, @PathVariable long id, @RequestBody(required = false) ScheduleRequest request) {
        ScheduleRequest body = request == null ? new ScheduleRequest(null, null) : request;
        backups.setPlanDefault(actor, id, body.frequencyOrNullForNone(), body.retention());
        return body;
    }
}
