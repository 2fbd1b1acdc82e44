package dev.slice.server;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.api.Page;
import dev.slice.api.Paging;
import dev.slice.api.SliceApi;
import dev.slice.driver.capability.GuestStats;
import dev.slice.error.NotFoundException;
import dev.slice.job.Job;
import dev.slice.job.JobService;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderResult;
import dev.slice.order.OrderService;
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
public class ServerController {
    private final ServerService servers;
    private final OrderService orders;
    private final JobService jobs;
    private final AccountService accounts;

    ServerController(ServerService servers, OrderService orders, JobService jobs, AccountService accounts) {
        this.servers = servers;
        this.accounts = accounts;
        this.orders = orders;
        this.jobs = jobs;
    }

    /** The job that carries out an action; poll GET /api/jobs/{jobId}. */
    public record Accepted(long serverId, long jobId) {}

    public record ReinstallRequest(String template, String rootPassword, List<String> sshKeys) {}

    public record ResizeRequest(long planId) {}

    /**
     * The servers the caller may see, narrowed and ordered: {@code q} finds hostname, address or owner's user name;
     * {@code status}, {@code backend} and {@code owner} (an account id) filter; {@code sort} is a column, {@code -} first
     * for descending. A bad value is a 400 naming its parameter; an owner the caller may not see is a 404.
     */
    @GetMapping("/servers")
    Page<Server> list(Actor actor, @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit,
                      @RequestParam(required = false) String q, @RequestParam(required = false) String status,
                      @RequestParam(required = false) String backend, @RequestParam(required = false) String owner,
                      @RequestParam(required = false) String sort) {
        Paging.check(offset, limit);
        ServerQuery query = ServerQuery.parse(q, status, backend, owner, sort);
        if (query.ownerId() != null) accounts.get(actor, query.ownerId());
        return new Page<>(servers.page(actor, query, offset, limit), servers.count(actor, query));
    }

    @GetMapping("/servers/{id}")
    Server get(Actor actor, @PathVariable long id) {
        return servers.get(actor, id);
    }

    @PostMapping("/servers")
    @ResponseStatus(HttpStatus.ACCEPTED)
    OrderResult order(Actor actor, @RequestBody OrderRequest request) {
        return orders.order(actor, request);
    }

    @PostMapping("/servers/{id}/start")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted start(Actor actor, @PathVariable long id) {
        return new Accepted(id, servers.start(actor, id));
    }

    @PostMapping("/servers/{id}/stop")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted stop(Actor actor, @PathVariable long id, @RequestParam(defaultValue = "false") boolean force) {
        return new Accepted(id, servers.stop(actor, id, force));
    }

    /** Hard power-off: the plug pulled, the guest not asked (stop?force=true does the same). */
    @PostMapping("/servers/{id}/power-off")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted powerOff(Actor actor, @PathVariable long id) {
        return new Accepted(id, servers.powerOff(actor, id));
    }

    /** Hard reset: the reset button, the guest not asked (reboot asks it). */
    @PostMapping("/servers/{id}/reset")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted reset(Actor actor, @PathVariable long id) {
        return new Accepted(id, servers.reset(actor, id));
    }

    @PostMapping("/servers/{id}/reboot")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted reboot(Actor actor, @PathVariable long id) {
        return new Accepted(id, servers.reboot(actor, id));
    }

    @PostMapping("/servers/{id}/reinstall")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted reinstall(Actor actor, @PathVariable long id, @RequestBody ReinstallRequest request) {
        return new Accepted(id, servers.reinstall(actor, id, request.template(), request.rootPassword(), request.sshKeys()));
    }

    @PostMapping("/servers/{id}/resize")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted resize(Actor actor, @PathVariable long id, @RequestBody ResizeRequest request) {
        return new Accepted(id, servers.resize(actor, id, request.planId()));
    }

    /**
     * The owner's suspend: the guest's machine is saved by its backend and stopped; resume-guest goes on where it was.
     * 409 when the backend cannot suspend or the guest is not running. Not the provider's suspend below.
     */
    @PostMapping("/servers/{id}/suspend-guest")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted suspendGuest(Actor actor, @PathVariable long id) {
        return new Accepted(id, servers.suspendGuest(actor, id));
    }

    /** Resumes a guest suspended with suspend-guest, from its saved machine; 409 when it is not suspended. */
    @PostMapping("/servers/{id}/resume-guest")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted resumeGuest(Actor actor, @PathVariable long id) {
        return new Accepted(id, servers.resumeGuest(actor, id));
    }

    /** The provider's suspension (unpaid bill, abuse): the status becomes suspended and the guest is powered off. */
    @PostMapping("/servers/{id}/suspend")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted suspend(Actor actor, @PathVariable long id) {
        return new Accepted(id, servers.suspend(actor, id));
    }

    @PostMapping("/servers/{id}/unsuspend")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted unsuspend(Actor actor, @PathVariable long id) {
        return new Accepted(id, servers.unsuspend(actor, id));
    }

    @DeleteMapping("/servers/{id}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted delete(Actor actor, @PathVariable long id) {
        return new Accepted(id, servers.delete(actor, id));
    }

    @GetMapping("/servers/{id}/jobs")
    List<Job> serverJobs(Actor actor, @PathVariable long id, @RequestParam(defaultValue = "0") int offset,
                         @RequestParam(defaultValue = "50") int limit) {
        Paging.check(offset, limit);
        return jobs.forServer(actor, id, offset, limit);
    }

    @GetMapping("/servers/{id}/stats")
    GuestStats stats(Actor actor, @PathVariable long id) {
        return servers.stats(actor, id).orElseThrow(() -> new NotFoundException("statistics of server", id));
    }

    @GetMapping("/jobs")
    Page<Job> jobs(Actor actor, @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        Paging.check(offset, limit);
        return new Page<>(jobs.page(actor, offset, limit), jobs.count(actor));
    }

    @GetMapping("/jobs/{id}")
    Job job(Actor actor, @PathVariable long id) {
        return jobs.get(actor, id);
    }
}
