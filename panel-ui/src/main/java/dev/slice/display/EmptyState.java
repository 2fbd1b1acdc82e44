package dev.slice.display;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;

/**
 * What an empty list says: what to do next when there is nothing yet (with a button that goes there), or that the
 * search or filters match nothing.
 */
public final class EmptyState extends Div {
    private final Span text = new Span();
    private final String nothingYet;
    private final Button next;

    /**
     * @param nothingYet what the list shows with no rows at all, and what to do ("No servers yet — order one from the catalogue")
     * @param action     the button's label, or null for none
     * @param target     where the button goes
     */
    public EmptyState(String id, String nothingYet, String action, Class<? extends Component> target) {
        setId(id);
        addClassName("slice-empty-state");
        this.nothingYet = nothingYet;
        text.setText(nothingYet);
        add(text);
        if (action != null) {
            next = new Button(action, e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(target)));
            next.setId(id + "-action");
            next.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
            next.getStyle().set("margin-inline-start", "var(--lumo-space-m)");
            add(next);
        } else {
            next = null;
        }
    }

    /** Puts this under {@code grid} as the text it shows when it has no rows. */
    public <T> EmptyState on(Grid<T> grid) {
        grid.setEmptyStateComponent(this);
        return this;
    }

    /** While a search or filter is on, an empty list means nothing matched, not that there is nothing. */
    public void searching(boolean searching) {
        text.setText(searching ? "Nothing matches the search or filters. Clear them to see everything." : nothingYet);
        if (next != null) next.setVisible(!searching);
    }
}
