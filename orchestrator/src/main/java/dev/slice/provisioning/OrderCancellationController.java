package dev.slice.provisioning;

import dev.slice.account.Actor;
import dev.slice.api.SliceApi;
import dev.slice.server.ServerController;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The order withdrawn through the API, as the panel's Cancel order does. */
@SliceApi
@RestController
@RequestMapping("/api")
public class OrderCancellationController {
    private final OrderCancellation cancellation;

    OrderCancellationController(OrderCancellation cancellation) {
        this.cancellation = cancellation;
    }

    /**
     * Withdraws the order of a server that is still being set up: it is removed and its address released, as by a
     * delete; the job to follow is the delete job, or the create job that stops at its next step and hands over.
     * 409 when the server is no longer being set up (delete it instead).
     */
    @PostMapping("/servers/{id}/cancel-order")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ServerController.Accepted cancelOrder(Actor actor, @PathVariable long id) {
        return new ServerController.Accepted(id, cancellation.cancel(actor, id));
    }
}
