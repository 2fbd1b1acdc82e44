package dev.slice.display;

import com.vaadin.flow.data.provider.Query;
import com.vaadin.flow.data.provider.SortDirection;
import dev.slice.search.Sorting;

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

    public static String key(Enum<?> key) {
        return Sorting.idOf(key);
    }
}
