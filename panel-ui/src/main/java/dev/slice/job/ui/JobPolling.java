package dev.slice.job.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;
import java.util.function.BooleanSupplier;

/**
 * Refreshes a view periodically (once a second by default) while something runs, through Vaadin's client poll (one round trip per
 * second, no server thread held). {@code refresh} returns whether to keep going.
 */
public final class JobPolling {

    private final Component owner;
    private final int intervalMs;
    private final BooleanSupplier refresh;
    private Registration listener;
    private UI ui;
    /** The page's own slower poll (the notification bell's) to go back to when this stops. */
    private int previousIntervalMs = -1;

    public JobPolling(Component owner, BooleanSupplier refresh) {
        this(owner, refresh, 1000);
    }

    public JobPolling(Component owner, BooleanSupplier refresh, int intervalMs) {
        this.owner = owner;
        this.refresh = refresh;
        this.intervalMs = intervalMs;
    }

    public void start(UI ui) {
        stop();
        this.ui = ui;
        previousIntervalMs = ui.getPollInterval();
        ui.setPollInterval(intervalMs);
        listener = ui.addPollListener(e -> {
            if (owner.isAttached() && !refresh.getAsBoolean()) stop();
        });
    }

    public void stop() {
        if (listener != null) {
            listener.remove();
            listener = null;
        }
        if (ui != null) {
            ui.setPollInterval(previousIntervalMs);
            ui = null;
        }
    }
}
