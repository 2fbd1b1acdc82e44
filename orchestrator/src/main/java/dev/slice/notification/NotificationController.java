package dev.slice.notification;

import dev.slice.account.Actor;
import dev.slice.api.SliceApi;
import dev.slice.error.ValidationException;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@SliceApi
@RestController
@RequestMapping("/api/me/notifications")
public class NotificationController {
    private final NotificationService notifications;

    NotificationController(NotificationService notifications) {
        this.notifications = notifications;
    }

    /** The results of the caller's jobs, the latest first ({@code limit} up to 50), and how many are unread. */
    @GetMapping
    Inbox inbox(Actor actor, @RequestParam(defaultValue = "10") int limit) {
        if (limit < 0 || limit > NotificationService.MAX_LATEST) {
            throw new ValidationException("limit", "between 0 and " + NotificationService.MAX_LATEST);
        }
        return notifications.inbox(actor, limit);
    }

    /** Marks everything finished until now as read. */
    @PostMapping("/read")
    @ApiResponse(responseCode = "204", description = "done")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void markRead(Actor actor) {
        notifications.markRead(actor);
    }
}
