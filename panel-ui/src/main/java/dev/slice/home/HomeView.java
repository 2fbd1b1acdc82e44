package dev.slice.home;

import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Route;
import dev.slice.node.ui.NodesView;
import dev.slice.security.SignedInUser;
import dev.slice.server.ui.ServerListView;
import jakarta.annotation.security.PermitAll;

/** "/" sends each role to where its work is: operators to their nodes, everybody else to their servers. */
@Route("")
@PermitAll
public class HomeView extends VerticalLayout implements BeforeEnterObserver {

    private final SignedInUser actor;

    public HomeView(SignedInUser actor) {
        this.actor = actor;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        event.forwardTo(actor.actor().isOperator() ? NodesView.class : ServerListView.class);
    }
}
