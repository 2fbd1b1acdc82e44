package dev.slice.display;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.data.provider.Query;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.function.ValueProvider;
import dev.slice.search.Sorting;
import java.util.Map;

/**
 * A grid loaded page by page sorts on the server: each sortable column's sort property is a sort key's id
 * ({@link Sorting#idOf}), and the grid's first sort order becomes the service's {@link Sorting}.
 */
public final class GridSorts {
    private GridSorts() {}

    public static <K extends Enum<K>> Sorting<K> of(Query<?, ?> query, Class<K> keys, Sorting<K> fallback) {
        return query.getSortOrders().stream().findFirst()
                .map(order -> Sorting.parse("sort", (order.getDirection() == SortDirection.DESCENDING ? "-" : "") + order.getSorted(),
                        keys, fallback))
                .orElse(fallback);
    }

    /** A grid loaded page by page: the columns with these headers sort on the server by these keys (one call per view). */
    public static <T, K extends Enum<K>> void byHeader(Grid<T> grid, Class<K> keys, Map<String, K> byHeader) {
        for (Grid.Column<T> column : grid.getColumns()) {
            K key = byHeader.get(column.getHeaderText());
            if (key != null) column.setSortProperty(key(key));
        }
    }

    /**
     * A grid held in memory sorts in the browser's session: makes the columns with these headers sortable by these
     * values, so a view adds sorting with one call and keeps its column definitions as they are.
     */
    @SafeVarargs
    public static <T> void inMemory(Grid<T> grid, Map.Entry<String, ValueProvider<T, ? extends Comparable<?>>>... byHeader) {
        Map<String, ValueProvider<T, ? extends Comparable<?>>> values = Map.ofEntries(byHeader);
        for (Grid.Column<T> column : grid.getColumns()) {
            ValueProvider<T, ? extends Comparable<?>> value = values.get(column.getHeaderText());
            if (value != null) column.setComparator(row -> comparable(value.apply(row)));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable comparable(Comparable<?> value) {
        return value == null ? "" : value;
    }

    public static String key(Enum<?> key) {
        return Sorting.idOf(key);
    }
}
