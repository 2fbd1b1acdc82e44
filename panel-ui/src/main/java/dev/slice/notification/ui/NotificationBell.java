package dev.slice.notification.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Composite;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.popover.Popover;
import com.vaadin.flow.component.popover.PopoverPosition;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.shared.Registration;
import dev.slice.display.Times;
import dev.slice.job.ui.JobView;
import dev.slice.notification.Inbox;
import dev.slice.notification.Notification;
import dev.slice.notification.NotificationService;
import dev.slice.security.SignedInUser;

/**
 * The bell in the top bar: how many of the user's jobs finished since they last looked (an order, a failed backup), and
 * the latest ones a click away, each leading to its job. The count follows every round trip the page makes and a slow
 * poll of its own while the page is idle, so a long job need not be watched.
 */
public class NotificationBell extends Composite<HorizontalLayout> {
    /** Slow on purpose: one count query per open page; a job view polls faster on its own while something runs. */
    static final int IDLE_POLL_MS = 15_000;
    private static final int SHOWN = 10;

    private final NotificationService notifications;
    private final SignedInUser user;
    private final Span badge = new Span();
    private final VerticalLayout list = new VerticalLayout();
    private final Button bell = new Button(VaadinIcon.BELL.create());
    private Registration pollListener;

    public NotificationBell(NotificationService notifications, SignedInUser user) {
        this.notifications = notifications;
        this.user = user;
        bell.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ICON);
        bell.setId("notifications");
        badge.setId("notifications-unread");
        badge.getElement().getThemeList().addAll(java.util.List.of("badge", "error", "pill", "small"));
        badge.getStyle().set("margin-inline-start", "-0.9em").set("align-self", "flex-start");
        list.setId("notifications-list");
        list.setPadding(false);
        list.setSpacing(false);
        list.setWidth("min(26rem, 90vw)");

        Popover popover = new Popover();
        popover.setTarget(bell);
        popover.setPosition(PopoverPosition.BOTTOM_END);
        popover.add(list);
        popover.addOpenedChangeListener(e -> {
            if (e.isOpened()) open();
        });
        getContent().add(bell, badge);
        getContent().setSpacing(false);
        getContent().setAlignItems(com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment.CENTER);
        getContent().add(popover);
    }

    @Override
    protected void onAttach(AttachEvent event) {
        refreshCount();
        UI ui = event.getUI();
        if (ui.getPollInterval() < 0) ui.setPollInterval(IDLE_POLL_MS);
        pollListener = ui.addPollListener(e -> refreshCount());
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (pollListener != null) pollListener.remove();
    }

    private void refreshCount() {
        showCount(notifications.unread(user.actor()));
    }

    private void showCount(long unread) {
        badge.setText(unread > 99 ? "99+" : Long.toString(unread));
        badge.setVisible(unread > 0);
        bell.setAriaLabel(unread == 0 ? "Notifications" : "Notifications, " + unread + " unread");
    }

    /** Shows the latest results, marking them read: they have been seen now. */
    private void open() {
        Inbox inbox = notifications.inbox(user.actor(), SHOWN);
        list.removeAll();
        if (inbox.latest().isEmpty()) {
            Span empty = new Span("Nothing yet. When an order, a backup or any other job of yours finishes, it shows here.");
            empty.addClassName("slice-notification-empty");
            list.add(empty);
        }
        for (Notification n : inbox.latest()) list.add(row(n));
        notifications.markRead(user.actor());
        showCount(0);
    }

    private static Div row(Notification n) {
        Span icon = new Span(n.succeeded() ? "✓" : "✗");
        icon.getStyle().set("color", n.succeeded() ? "var(--lumo-success-text-color)" : "var(--lumo-error-text-color)")
                .set("margin-inline-end", "var(--lumo-space-s)");
        RouterLink text = new RouterLink(n.text(), JobView.class, n.jobId());
        Span when = new Span(Times.shown(n.finishedAt()));
        when.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)")
                .set("display", "block");
        Div row = new Div(icon, text, when);
        row.addClassName("slice-notification");
        if (n.unread()) row.getStyle().set("font-weight", "600");
        row.getStyle().set("padding", "var(--lumo-space-xs) 0");
        return row;
    }
}
