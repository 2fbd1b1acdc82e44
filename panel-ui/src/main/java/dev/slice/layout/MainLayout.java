package dev.slice.layout;

import com.vaadin.flow.component.ClickEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.server.menu.MenuEntry;
import com.vaadin.flow.spring.security.AuthenticationContext;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinServletResponse;
import dev.slice.account.Actor;
import dev.slice.account.ui.ChangePasswordView;
import dev.slice.account.ui.SecurityView;
import dev.slice.notification.NotificationService;
import dev.slice.notification.ui.NotificationBell;
import dev.slice.security.SignInAs;
import dev.slice.security.SignedInUser;
import jakarta.annotation.security.PermitAll;

/**
 * The frame around every signed-in page. The menu lists only the views the user's role may open; every view
 * and every service call checks access by itself as well. While the account has a one-time password (after a
 * reset) every page leads to {@link ChangePasswordView}, and while two-factor enrolment is required, to {@link SecurityView}; while someone is signed in as it, a banner says so and
 * leads back.
 */
@Layout
@PermitAll
public class MainLayout extends AppLayout implements BeforeEnterObserver {

    private final SignedInUser user;

    public MainLayout(AuthenticationContext authentication, SignedInUser user, SignInAs signInAs,
                      NotificationService notifications) {
        this.user = user;
        Span brand = new Span("Slice");
        brand.addClassName("slice-brand");

        String who = authentication.getPrincipalName().orElse("");
        Span signedIn = new Span(who);
        signedIn.setId("signed-in-user");
        signedIn.addClassName("slice-navbar-secondary");
        Button signOut = navbarButton("sign-out", "Sign out", VaadinIcon.SIGN_OUT, e -> authentication.logout());
        Button password = navbarButton("change-password", "Password", VaadinIcon.KEY,
                e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(ChangePasswordView.class)));
        Button scheme = navbarButton("color-scheme-toggle", "Dark / light", VaadinIcon.ADJUST, e -> ColorSchemes.toggle(e.getSource()));
        HorizontalLayout account = new HorizontalLayout(new NotificationBell(notifications, user), signedIn, scheme, password, signOut);
        account.setAlignItems(FlexComponent.Alignment.CENTER);
        account.setSpacing(false);
        account.getStyle().set("margin-left", "auto").set("margin-right", "var(--lumo-space-s)").set("gap", "var(--lumo-space-xs)");

        HorizontalLayout navbar = new HorizontalLayout(new DrawerToggle(), brand, account);
        navbar.setWidthFull();
        navbar.setAlignItems(FlexComponent.Alignment.CENTER);
        addToNavbar(navbar);
        user.impersonator().ifPresent(original -> addToNavbar(signInAsBanner(who, original, signInAs)));

        SideNav nav = new SideNav();
        // Only the views this user may open: Vaadin filters the @Menu entries by their access annotations.
        for (MenuEntry entry : MenuConfiguration.getMenuEntries()) {
            SideNavItem item = new SideNavItem(entry.title(), entry.path());
            if (entry.icon() != null) item.setPrefixComponent(new Icon(entry.icon()));
            nav.addItem(item);
        }
        addToDrawer(nav);
    }

    /**
     * Every page but the step itself leads to the session's first step: the password change while a one-time password is
     * in use, the Security page while the installation requires two-factor sign-in of an operator or reseller without it.
     */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        user.firstStep().ifPresent(step -> {
            Class<? extends com.vaadin.flow.component.Component> target = switch (step) {
                case CHANGE_PASSWORD -> ChangePasswordView.class;
                case ENROL_TWO_FACTOR -> SecurityView.class;
            };
            if (event.getNavigationTarget() != target) event.forwardTo(target);
        });
    }

    /** An icon button whose words hide on a phone (the icon, tooltip and ARIA label stay), so that the bar fits 390 px. */
    private static Button navbarButton(String id, String label,
                                       VaadinIcon icon, ComponentEventListener<ClickEvent<Button>> listener) {
        Button button = new Button(icon.create(), listener);
        Span words = new Span(label);
        words.addClassName("slice-navbar-secondary");
        button.getElement().appendChild(words.getElement());
        button.setAriaLabel(label);
        button.setTooltipText(label);
        button.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        button.setId(id);
        return button;
    }

    private static Div signInAsBanner(String who, Actor original, SignInAs signInAs) {
        Span text = new Span("You are signed in as " + who + " (for support, as " + original.username() + ")."
                + " Everything you do here is done as " + who + ".");
        Button back = new Button("Back to " + original.username(), VaadinIcon.ARROW_BACKWARD.create(), e -> {
            signInAs.end(VaadinServletRequest.getCurrent().getHttpServletRequest(),
                    VaadinServletResponse.getCurrent().getHttpServletResponse());
            // A new page, so that the menu and every view are built for the original login again.
            e.getSource().getUI().ifPresent(ui -> ui.getPage().setLocation("accounts"));
        });
        back.setId("sign-in-as-end");
        back.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_PRIMARY);
        Div banner = new Div(text, back);
        banner.setId("sign-in-as-banner");
        banner.addClassName("slice-sign-in-as");
        banner.setWidthFull();
        return banner;
    }
}
