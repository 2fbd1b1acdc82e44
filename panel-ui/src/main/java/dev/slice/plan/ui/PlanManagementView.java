package dev.slice.plan.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Actor;
import dev.slice.backup.BackupService;
import dev.slice.backup.ScheduleRule;
import dev.slice.display.EmptyState;
import dev.slice.display.GridSorts;
import dev.slice.display.ListSearch;
import dev.slice.display.ResponsiveGrid;
import dev.slice.display.Sizes;
import dev.slice.error.ConflictException;
import dev.slice.error.ValidationException;
import dev.slice.plan.CapacityGrant;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.plan.RetiredPlans;
import dev.slice.report.meaning.PlanFit;
import dev.slice.report.reading.ReportReadingService;
import dev.slice.report.ui.GuestFits;
import dev.slice.security.SignedInUser;
import dev.slice.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Resellers (and the operator) define, change and retire the plans their customers can order. */
@Route("plans")
@PageTitle("Plans · Slice")
@Menu(title = "Plans", order = 10, icon = "vaadin:package")
@RolesAllowed({Roles.RESELLER, Roles.OPERATOR})
public class PlanManagementView extends VerticalLayout {

    private final PlanService plans;
    private final Actor actor;
    private final ReportReadingService readings;
    private final BackupService backups;
    private final Grid<Plan> grid = new Grid<>(Plan.class, false);
    private final ListSearch search = new ListSearch("plans-search", "Plan, backend or seller");
    /** Retired plans stay (their servers keep them) but are not what one works on: shown on request. */
    private final Select<RetiredPlans.Shown> shown = new Select<>();
    private final RetiredPlans retiredPlans;
    /** Operators only (reports are theirs): the latest footprint per node and backend, read once per refresh. */
    private List<ReportReadingService.NodeFootprints> footprints = List.of();

    public PlanManagementView(PlanService plans, RetiredPlans retiredPlans, ReportReadingService readings, BackupService backups,
                              SignedInUser currentActor) {
        this.plans = plans;
        this.retiredPlans = retiredPlans;
        this.backups = backups;
        this.readings = readings;
        this.actor = currentActor.actor();
        addClassName("slice-page");

        Button create = new Button("New plan", e -> new PlanDialog(null, r -> plans.create(actor, r), p -> saved(p, "created"), fits(),
                planBackups()).open());
        create.setId("new-plan");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(new HorizontalLayout(new H2("Plans"), create));
        if (actor.isReseller()) add(new Paragraph(grantText(plans.grantOf(actor, actor.accountId()).orElse(null))));

        grid.setId("plans");
        grid.addColumn(Plan::name).setHeader("Plan").setWidth("5rem").setFlexGrow(1);
        Grid.Column<Plan> seller = actor.isOperator() ? grid.addColumn(Plan::ownerUsername).setHeader("Seller").setAutoWidth(true) : null;
        Grid.Column<Plan> backend = grid.addColumn(Plan::backend).setHeader("Backend").setAutoWidth(true);
        // vCPUs, memory and disk in one column: three narrow columns of numbers did not fit beside the price and the actions.
        Grid.Column<Plan> size = grid.addColumn(p -> p.vcpus() + " vCPU · " + Sizes.mib(p.memoryMiB()) + " · " + Sizes.mib(p.diskMiB()))
                .setHeader("vCPUs · memory · disk").setWidth("9rem");
        grid.addColumn(p -> Sizes.perMonth(p.monthlyPriceCents())).setHeader("Price").setWidth("6rem");
        Grid.Column<Plan> status = grid.addComponentColumn(p -> new Span(p.active() ? "active" : "retired")).setHeader("Status")
                .setAutoWidth(true);
        ResponsiveGrid<Plan> fit = ResponsiveGrid.fit(grid).from(ResponsiveGrid.TABLET, backend, size, status);
        if (actor.isOperator()) {
            Grid.Column<Plan> fits = grid.addColumn(p -> GuestFits.text(ReportReadingService.fits(p, footprints)))
                    .setHeader("Guests that fit (latest report)").setWidth("8rem").setFlexGrow(1);
            fit.from(ResponsiveGrid.DESKTOP, seller, fits);
        }
        grid.addComponentColumn(this::actions).setAutoWidth(true).setFlexGrow(0);
        grid.setAllRowsVisible(true);
        GridSorts.inMemory(grid, Map.entry("Plan", Plan::name), Map.entry("Seller", Plan::ownerUsername), Map.entry("Backend", Plan::backend),
                Map.entry("vCPUs", Plan::vcpus), Map.entry("Memory", Plan::memoryMiB), Map.entry("Disk", Plan::diskMiB),
                Map.entry("Price", Plan::monthlyPriceCents));
        new EmptyState("plans-empty", "No plans yet — create one with New plan; customers order from them.", null, null).on(grid);
        shown.setId("plans-shown");
        shown.setAriaLabel("Show");
        shown.setItems(RetiredPlans.Shown.values());
        shown.setItemLabelGenerator(s -> switch (s) {
            case ACTIVE -> "Active plans";
            case RETIRED -> "Retired plans";
            case ALL -> "All plans";
        });
        shown.setValue(RetiredPlans.Shown.ACTIVE);
        shown.addValueChangeListener(e -> refresh());
        HorizontalLayout filters = new HorizontalLayout(search.onChange(this::refresh), shown);
        filters.setAlignItems(Alignment.BASELINE);
        add(filters, grid);
        refresh();
    }

    private HorizontalLayout actions(Plan plan) {
        HorizontalLayout actions = new HorizontalLayout();
        if (!plan.active()) {
            Button reactivate = new Button("Reactivate", e -> {
                try {
                    retiredPlans.reactivate(actor, plan.id());
                    Notification.show("Plan " + plan.name() + " is active again: customers can order it");
                } catch (ValidationException | ConflictException ex) {
                    Notification.show(ex instanceof ValidationException v ? v.errors().getFirst().message() : ex.getMessage(),
                            6000, Notification.Position.MIDDLE).addThemeVariants(NotificationVariant.LUMO_ERROR);
                }
                refresh();
            });
            reactivate.addThemeVariants(ButtonVariant.LUMO_SMALL);
            reactivate.setId("reactivate-plan-" + plan.id());
            actions.add(reactivate);
            return actions;
        }
        Button edit = new Button("Edit", e -> new PlanDialog(plan, r -> plans.update(actor, plan.id(), r), p -> saved(p, "saved"),
                fits(), planBackups()).open());
        edit.addThemeVariants(ButtonVariant.LUMO_SMALL);
        edit.setId("edit-plan-" + plan.id());
        Button retire = new Button("Retire", e -> {
            ConfirmDialog confirm = new ConfirmDialog("Retire " + plan.name() + "?",
                    "Existing servers keep the plan; customers can no longer order it.", "Retire", ok -> {
                plans.retire(actor, plan.id());
                Notification.show("Plan " + plan.name() + " retired; it is listed under Retired plans, where it can be reactivated");
                refresh();
            });
            confirm.setCancelable(true);
            confirm.setConfirmButtonTheme("error primary");
            confirm.open();
        });
        retire.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
        retire.setId("retire-plan-" + plan.id());
        actions.add(edit, retire);
        return actions;
    }

    private void saved(Plan plan, String what) {
        Notification.show("Plan " + plan.name() + " " + what);
        refresh();
    }

    private PlanDialog.PlanBackups planBackups() {
        return new PlanDialog.PlanBackups() {
            @Override
            public Optional<ScheduleRule> current(long planId) {
                return backups.planDefault(actor, planId);
            }

            @Override
            public void save(long planId, Optional<ScheduleRule> schedule) {
                backups.setPlanDefault(actor, planId, schedule.map(r -> r.frequency().id()).orElse(null),
                        schedule.map(ScheduleRule::retention).orElse(null));
            }
        };
    }

    private void refresh() {
        if (actor.isOperator()) footprints = readings.latestFootprints(actor);
        grid.setItems(shown.getValue().of(plans.list(actor))).setFilter(search.matcher(p -> Stream.of(p.name(), p.backend(), p.ownerUsername())));
    }

    /** For the plan editor: the guests of the size being edited that fit per node and backend (operators only). */
    private Function<PlanFit.Size, String> fits() {
        if (!actor.isOperator()) return null;
        return size -> GuestFits.text(ReportReadingService.fits(size, null, footprints));
    }

    private static String grantText(CapacityGrant grant) {
        if (grant == null) return "The operator has not granted you capacity yet; you can create plans once it has.";
        return "Your grant: at most " + grant.maxVcpusPerPlan() + " vCPUs, " + Sizes.mib(grant.maxMemoryMiBPerPlan())
                + " memory and " + Sizes.mib(grant.maxDiskMiBPerPlan()) + " disk per plan, " + grant.maxServers()
                + " servers in total, on " + String.join(", ", grant.backends().stream().sorted().toList()) + ".";
    }
}
