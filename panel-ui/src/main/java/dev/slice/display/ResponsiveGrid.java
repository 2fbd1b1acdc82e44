package dev.slice.display;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.shared.Registration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps a grid inside the page, so that nothing hides behind a sideways scroll bar: long texts wrap instead of
 * widening their column, and secondary columns are shown only from a viewport width on (they come back when the
 * window grows). Where even the essential columns do not fit side by side, a grid shows one card column instead
 * ({@link #cardsBelow}), which stacks what those columns held. The widths are the browser window's, which Vaadin sends
 * at start-up and on every resize.
 *
 * <pre>
 * ResponsiveGrid.fit(grid).from(ResponsiveGrid.DESKTOP, created, finished).from(ResponsiveGrid.TABLET, attempts);
 * ResponsiveGrid.fit(grid).cardsBelow(ResponsiveGrid.TABLET, card, when, who, what);
 * </pre>
 */
public final class ResponsiveGrid<T> {
    /** A phone held upright is narrower than this. */
    public static final int TABLET = 700;
    /** A laptop with the menu open; below it the menu is an overlay. */
    public static final int DESKTOP = 1100;
    /** A wide desktop window. */
    public static final int WIDE = 1500;

    private final Grid<T> grid;
    /** The window widths at which a column shows: from {@code from} (inclusive) to {@code below} (exclusive). */
    private record Shown(int from, int below) {
        boolean at(int width) {
            return width >= from && width < below;
        }
    }

    private static final Shown ALWAYS = new Shown(0, Integer.MAX_VALUE);

    private final Map<Grid.Column<T>, Shown> shown = new LinkedHashMap<>();
    private Registration resize;
    private int width = Integer.MAX_VALUE;

    private ResponsiveGrid(Grid<T> grid) {
        this.grid = grid;
        grid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.addAttachListener(this::attached);
        grid.addDetachListener(e -> {
            if (resize != null) resize.remove();
            resize = null;
        });
        grid.getElement().setAttribute("data-responsive", "");
    }

    /** Wraps long cell texts, and watches the window's width for the columns given to {@link #from}. */
    public static <T> ResponsiveGrid<T> fit(Grid<T> grid) {
        return new ResponsiveGrid<>(grid);
    }

    /** These columns show only in a window at least {@code minWidth} pixels wide. */
    @SafeVarargs
    public final ResponsiveGrid<T> from(int minWidth, Grid.Column<T>... columns) {
        for (Grid.Column<T> column : columns) shown.put(column, new Shown(minWidth, shown.getOrDefault(column, ALWAYS).below()));
        apply();
        return this;
    }

    /**
     * In a window narrower than {@code width}, only {@code card} shows (a column whose renderer stacks what the
     * {@code replaced} columns hold, so that none of it is lost on a phone); from {@code width} on, the columns show.
     */
    @SafeVarargs
    public final ResponsiveGrid<T> cardsBelow(int width, Grid.Column<T> card, Grid.Column<T>... replaced) {
        shown.put(card, new Shown(0, width));
        for (Grid.Column<T> column : replaced) shown.put(column, new Shown(Math.max(width, shown.getOrDefault(column, ALWAYS).from()),
                Integer.MAX_VALUE));
        apply();
        return this;
    }

    private void attached(AttachEvent event) {
        UI ui = event.getUI();
        int innerWidth = ui.getPage().getExtendedClientDetails().getWindowInnerWidth();
        if (innerWidth > 0) width = innerWidth;
        apply();
        if (resize == null) {
            resize = ui.getPage().addBrowserWindowResizeListener(e -> {
                width = e.getWidth();
                apply();
            });
        }
    }

    private void apply() {
        boolean changed = false;
        for (Map.Entry<Grid.Column<T>, Shown> entry : shown.entrySet()) {
            boolean visible = entry.getValue().at(width);
            if (entry.getKey().isVisible() != visible) {
                entry.getKey().setVisible(visible);
                changed = true;
            }
        }
        if (changed && grid.isAttached()) grid.recalculateColumnWidths();
    }
}
