package dev.slice.layout;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.server.menu.MenuEntry;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

/**
 * The frame around every signed-in page. The menu lists only the views the user's role may open; every view
 * and every service call checks access by itself as well.
 */
@Layout
@PermitAll
public class MainLayout extends AppLayout {

    public MainLayout(AuthenticationContext authentication) {
        Span brand = new Span("Slice");
        brand.addClassName("slice-brand");

        String who = authentication.getPrincipalName().orElse("");
        Span user = new Span(who);
        user.setId("signed-in-user");
        Button signOut = new Button("Sign out", VaadinIcon.SIGN_OUT.create(), e -> authentication.logout());
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        signOut.setId("sign-out");
        HorizontalLayout account = new HorizontalLayout(user, signOut);
        account.setAlignItems(FlexComponent.Alignment.CENTER);
        account.getStyle().set("margin-left", "auto").set("margin-right", "var(--lumo-space-m)");

        HorizontalLayout navbar = new HorizontalLayout(new DrawerToggle(), brand, account);
        navbar.setWidthFull();
        navbar.setAlignItems(FlexComponent.Alignment.CENTER);
        addToNavbar(navbar);

        SideNav nav = new SideNav();
        // Only the views this user may open: Vaadin filters the @Menu entries by their access annotations.
        for (MenuEntry entry : MenuConfiguration.getMenuEntries()) {
            SideNavItem item = new SideNavItem(entry.title(), entry.path());
            if (entry.icon() != null) item.setPrefixComponent(new Icon(entry.icon()));
            nav.addItem(item);
        }
        addToDrawer(nav);
    }
}
