package dev.slice.home;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;

/** The landing page after sign-in. */
@Route("")
@PageTitle("Slice")
@PermitAll
public class HomeView extends VerticalLayout implements BeforeEnterObserver {
    public HomeView() {
        add(new H2("Welcome to Slice"));
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
    }
}
