package dev.slice.plan;

import dev.slice.account.Actor;
import dev.slice.api.SliceApi;
import dev.slice.error.NotFoundException;
import dev.slice.template.OsTemplate;
import dev.slice.template.TemplateService;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
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
public class PlanController {
    private final PlanService plans;
    private final TemplateService templates;

    PlanController(PlanService plans, TemplateService templates) {
        this.plans = plans;
        this.templates = templates;
    }

    /**
     * {@code maxServers}, {@code maxVcpus}, {@code maxMemoryMiB}, {@code maxDiskMiB}, {@code maxIpv4Addresses}: totals across the
     * reseller's live servers (the last four null or absent: unlimited); the {@code ...PerPlan} ones bound each plan.
     */
    public record GrantRequest(int maxVcpusPerPlan, long maxMemoryMiBPerPlan, long maxDiskMiBPerPlan, int maxServers,
                               Set<String> backends, Integer maxVcpus, Long maxMemoryMiB, Long maxDiskMiB, Integer maxIpv4Addresses) {}

    /** Operators: all plans; resellers: their own; customers: what they can order. */
    @GetMapping("/plans")
    List<Plan> list(Actor actor) {
        return plans.list(actor);
    }

    @GetMapping("/plans/catalogue")
    List<Plan> catalogue(Actor actor) {
        return plans.catalogue(actor);
    }

    @GetMapping("/plans/{id}")
    Plan get(Actor actor, @PathVariable long id) {
        return plans.get(actor, id);
    }

    @PostMapping("/plans")
    @ResponseStatus(HttpStatus.CREATED)
    Plan create(Actor actor, @RequestBody PlanRequest request) {
        return plans.create(actor, request);
    }

    @PutMapping("/plans/{id}")
    Plan update(Actor actor, @PathVariable long id, @RequestBody PlanRequest request) {
        return plans.update(actor, id, request);
    }

    /** {@code nodeGroup}: the group of nodes (a location) the plan's new servers go to; null or empty: any. */
    public record NodeGroupRequest(String nodeGroup) {}

    @PutMapping("/plans/{id}/node-group")
    Plan pin(Actor actor, @PathVariable long id, @RequestBody NodeGroupRequest request) {
        return plans.pinToNodeGroup(actor, id, request.nodeGroup());
    }

    @PostMapping("/plans/{id}/retire")
    Plan retire(Actor actor, @PathVariable long id) {
        return plans.retire(actor, id);
    }

    @PutMapping("/resellers/{id}/grant")
    CapacityGrant grant(Actor actor, @PathVariable long id, @RequestBody GrantRequest request) {
        return plans.grant(actor, new CapacityGrant(id, request.maxVcpusPerPlan(), request.maxMemoryMiBPerPlan(),
                request.maxDiskMiBPerPlan(), request.maxServers(), request.backends() == null ? Set.of() : request.backends(),
                request.maxVcpus(), request.maxMemoryMiB(), request.maxDiskMiB(), request.maxIpv4Addresses()));
    }

    @GetMapping("/resellers/{id}/grant")
    CapacityGrant grantOf(Actor actor, @PathVariable long id) {
        return plans.grantOf(actor, id).orElseThrow(() -> new NotFoundException("capacity grant of account", id));
    }

    @GetMapping("/templates")
    List<OsTemplate> templates(Actor actor) {
        return templates.available();
    }
}
