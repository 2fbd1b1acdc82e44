package dev.slice.display;

import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.function.SerializablePredicate;
import dev.slice.error.ValidationException;
import dev.slice.search.SearchText;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Every list's search field: the same look, the same rules ({@link SearchText}: what the API accepts, the panel
 * accepts), and a short pause after typing before the list reloads. Lists loaded page by page give {@link #text()} to
 * their service; small lists held in memory use {@link #matcher}.
 */
public final class ListSearch extends TextField {

    public ListSearch(String id, String placeholder) {
        setId(id);
        setPlaceholder(placeholder);
        setAriaLabel(placeholder);
        setPrefixComponent(VaadinIcon.SEARCH.create());
        setClearButtonVisible(true);
        setValueChangeMode(ValueChangeMode.LAZY);
        setValueChangeTimeout(300);
    }

    /** The text to search for, if any; a bad one (too long, control characters) marks the field and searches for nothing. */
    public Optional<SearchText> text() {
        try {
            Optional<SearchText> text = SearchText.parse("q", getValue());
            setInvalid(false);
            return text;
        } catch (ValidationException e) {
            setErrorMessage(e.errors().getFirst().message());
            setInvalid(true);
            return Optional.empty();
        }
    }

    /** Runs {@code reload} whenever the text changes. */
    public ListSearch onChange(Runnable reload) {
        addValueChangeListener(e -> reload.run());
        return this;
    }

    /** For a grid loaded page by page: reloads it on every change, and its empty state says whether a search is on. */
    public ListSearch reloads(com.vaadin.flow.component.grid.Grid<?> grid, EmptyState empty) {
        return onChange(() -> {
            empty.searching(isSearching());
            grid.getDataProvider().refreshAll();
        });
    }

    /** For a list held in memory: whether a row has the text in any of {@code fields} (every row while nothing is typed). */
    public <T> SerializablePredicate<T> matcher(Function<T, Stream<String>> fields) {
        return row -> text().map(t -> fields.apply(row).anyMatch(t::foundIn)).orElse(true);
    }

    public boolean isSearching() {
        return !getValue().isBlank();
    }
}
