package dev.slice.security;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Input;
import com.vaadin.flow.component.html.NativeButton;
import com.vaadin.flow.component.html.NativeLabel;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.dom.Element;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import java.time.Clock;
import java.util.List;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * The second sign-in step: a plain form posting the code to {@link TwoFactorSignInFilter} (with the CSRF token), shown
 * while the session has a {@link PendingTwoFactor}; without one it is back to the password.
 */
@Route(value = "login/two-factor", autoLayout = false)
@PageTitle("Two-factor sign-in · Slice")
@AnonymousAllowed
public class TwoFactorLoginView extends VerticalLayout implements BeforeEnterObserver {
    private final Clock clock;
    private final Paragraph error = new Paragraph();

    public TwoFactorLoginView(Clock clock) {
        this.clock = clock;
        setSizeFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);
        error.setId("two-factor-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        error.setVisible(false);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        VaadinServletRequest request = VaadinServletRequest.getCurrent();
        if (request == null || PendingTwoFactor.of(request.getHttpServletRequest().getSession(false), clock).isEmpty()) {
            event.forwardTo(LoginView.class);
            return;
        }
        var parameters = event.getLocation().getQueryParameters().getParameters();
        List<String> wait = parameters.get(SignInFailureHandler.WAIT_PARAMETER);
        if (wait != null && !wait.isEmpty() && wait.getFirst().matches("\\d{1,4}")) {
            error.setText("Too many wrong codes: wait " + wait.getFirst() + " s, then try again.");
            error.setVisible(true);
        } else if (parameters.containsKey("error")) {
            error.setText("That code is not right, or it was used already. Try the next code from your app.");
            error.setVisible(true);
        }
        removeAll();
        add(new H1("Slice"), new Paragraph("Enter the 6-digit code from your authenticator app, or one of your recovery codes."),
                error);
        getElement().appendChild(form(request));
    }

    private static Element form(VaadinServletRequest request) {
        Element form = new Element("form");
        form.setAttribute("method", "post");
        form.setAttribute("action", TwoFactorSignInFilter.PATH.substring(1));
        form.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", "var(--lumo-space-s)");
        NativeLabel label = new NativeLabel("Code");
        label.setFor("two-factor-code");
        Input code = new Input();
        code.setId("two-factor-code");
        code.getElement().setAttribute("name", "code").setAttribute("autocomplete", "one-time-code")
                .setAttribute("autofocus", true).setAttribute("required", true).setAttribute("maxlength", "32");
        code.getStyle().set("font-size", "var(--lumo-font-size-l)").set("padding", "var(--lumo-space-s)")
                .set("border", "1px solid var(--lumo-contrast-30pct)").set("border-radius", "var(--lumo-border-radius-m)")
                .set("letter-spacing", "0.1em");
        NativeButton submit = new NativeButton("Sign in");
        submit.setId("two-factor-submit");
        submit.getElement().setAttribute("type", "submit");
        // A plain button (it must submit the native form), looking like the sign-in form's primary one.
        submit.getStyle().set("background", "var(--lumo-primary-color)").set("color", "var(--lumo-primary-contrast-color)")
                .set("border", "none").set("border-radius", "var(--lumo-border-radius-m)").set("padding", "var(--lumo-space-s) var(--lumo-space-m)")
                .set("font-size", "var(--lumo-font-size-m)").set("font-weight", "600").set("cursor", "pointer");
        form.appendChild(label.getElement(), code.getElement());
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            Element csrf = new Element("input");
            csrf.setAttribute("type", "hidden").setAttribute("name", token.getParameterName()).setAttribute("value", token.getToken());
            form.appendChild(csrf);
        }
        form.appendChild(submit.getElement());
        return form;
    }
}
