package dev.slice.report.ui;

import com.vaadin.flow.component.html.NativeTable;
import com.vaadin.flow.component.html.NativeTableBody;
import com.vaadin.flow.component.html.NativeTableCell;
import com.vaadin.flow.component.html.NativeTableHeader;
import com.vaadin.flow.component.html.NativeTableHeaderCell;
import com.vaadin.flow.component.html.NativeTableRow;
import java.util.List;
import java.util.Locale;

/**
 * Plain HTML tables for reports: they print whole (a grid only renders what is scrolled into view). On a phone, where
 * six columns of figures do not fit side by side, each row shows as a card of "column: value" lines instead.
 */
final class Tables {
    private Tables() {}

    static NativeTable of(String id, List<String> headers, List<List<String>> rows) {
        NativeTable table = new NativeTable();
        table.setId(id);
        table.addClassName("slice-table");
        NativeTableHeader head = new NativeTableHeader();
        NativeTableRow header = new NativeTableRow();
        headers.forEach(h -> header.add(new NativeTableHeaderCell(h)));
        head.add(header);
        NativeTableBody body = new NativeTableBody();
        for (List<String> row : rows) {
            NativeTableRow tr = new NativeTableRow();
            for (int i = 0; i < row.size(); i++) {
                NativeTableCell cell = new NativeTableCell(row.get(i));
                // On a phone each row is a card and each cell names its column (slice.css shows this before the value).
                if (i < headers.size()) cell.getElement().setAttribute("data-label", headers.get(i));
                tr.add(cell);
            }
            body.add(tr);
        }
        table.add(head, body);
        return table;
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String ratio(double value, double low, double high, boolean noisy) {
        return String.format(Locale.ROOT, "%.2f [%.2f–%.2f]%s", value, low, high, noisy ? " *" : "");
    }

    static String number(Double value, String format) {
        return value == null ? "–" : String.format(Locale.ROOT, format, value);
    }
}
