package dev.slice.security;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;

/**
 * Sign-in page; the form posts to Spring Security's form login at /login (with the CSRF token of the page's meta
 * tags). After a throttled attempt the page says how long to wait ({@code ?error&wait=N}).
 */
@Route(value = "login", autoLayout = false)
@PageTitle("Sign in · Slice")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

    private final LoginForm form = new LoginForm();

    public LoginView() {
        setSizeFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);
        form.setAction("login");
        form.setForgotPasswordButtonVisible(false);
        add(new H1("Slice"), new Paragraph("VPS hosting panel"), form);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var parameters = event.getLocation().getQueryParameters().getParameters();
        LoginI18n i18n = LoginI18n.createDefault();
        waitSeconds(parameters.get(SignInFailureHandler.WAIT_PARAMETER)).ifPresent(seconds -> {
            i18n.getErrorMessage().setTitle("Too many failed sign-ins");
            i18n.getErrorMessage().setMessage("Wait " + seconds + (seconds == 1 ? " second" : " seconds")
                    + ", then try again. Each further wrong password from here makes the wait longer.");
        });
        form.setI18n(i18n);
        form.setError(parameters.containsKey("error"));
        if (parameters.containsKey("error")) keepTypedUsername();
    }

    /**
     * After a failed attempt the form comes back with the name as it was typed and the cursor in the password field:
     * the form posts natively, so the name is set on the browser's field once the login form has rendered it.
     */
    private void keepTypedUsername() {
        var request = com.vaadin.flow.server.VaadinServletRequest.getCurrent();
        var session = request == null ? null : request.getHttpServletRequest().getSession(false);
        Object typed = session == null ? null : session.getAttribute(SignInFailureHandler.LAST_USERNAME);
        if (!(typed instanceof String username)) return;
        form.getElement().executeJs("""
                const form = this, name = $0;
                let tries = 0;
                const fill = () => {
                  const input = form.querySelector('input[name=username]');
                  const field = input && input.closest('vaadin-text-field');
                  if (field) {
                    field.value = name;
                    const password = form.querySelector('input[name=password]');
                    if (password) password.focus();
                  } else if (++tries < 100) {
                    setTimeout(fill, 50);
                  }
                };
                fill();""", username);
    }

    private static java.util.Optional<Long> waitSeconds(java.util.List<String> values) {
        if (values == null || values.isEmpty()) return java.util.Optional.empty();
        try {
            long seconds = Long.parseLong(values.getFirst());
            return seconds > 0 && seconds <= 3600 ? java.util.Optional.of(seconds) : java.util.Optional.empty();
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}
