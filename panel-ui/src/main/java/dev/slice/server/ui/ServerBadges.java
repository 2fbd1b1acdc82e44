package dev.slice.server.ui;

import com.vaadin.flow.component.html.Span;
import dev.slice.server.Server;

/** Status and power as coloured labels, the same in the list and on the server page. */
final class ServerBadges {
    private ServerBadges() {}

    static Span status(Server server) {
        return badge(server.status().id(), "status-" + server.id());
    }

    static Span power(Server server) {
        return badge(server.powerState().id(), "power-" + server.id());
    }

    private static Span badge(String text, String id) {
        Span span = new Span(text);
        span.setId(id);
        span.addClassNames("slice-status", text);
        return span;
    }
}
