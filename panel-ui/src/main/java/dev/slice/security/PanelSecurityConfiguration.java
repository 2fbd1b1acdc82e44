package dev.slice.security;

import com.vaadin.flow.spring.security.RequestUtil;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import dev.slice.account.AccountService;
import dev.slice.audit.AuditLog;
import dev.slice.signin.SignInThrottle;
import dev.slice.twofactor.TwoFactorService;
import java.time.Clock;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The panel's filter chain: form login through the Vaadin login view for everything that is not the REST API
 * (the orchestrator's own chain matches {@code /api/**} first). The console WebSocket handshake at
 * {@code /console/ws/*} rides on the same session; here it only needs a signed-in user, the handshake
 * interceptor asks the server service whether that user may use this server.
 *
 * <p>Unlike Vaadin's default, {@code POST /login} needs the CSRF token (the login form sends it from the page's
 * {@code _csrf} meta tags), so another site cannot sign a visitor in to an account of its choosing. The token is
 * read from the header or the form body, never from the URL. Vaadin's own requests carry Vaadin's own token.
 */
// Not in a node agent (profile node-agent: no web server); the panel is the control plane's.
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
@Configuration
@EnableWebSecurity
class PanelSecurityConfiguration {

    static final String LOGIN = "/login";

    /**
     * Vaadin Flow evaluates {@code executeJs} with {@code new Function} and its components set inline styles, so
     * scripts need 'unsafe-eval' and 'unsafe-inline' (see the README); everything is loaded from the panel itself,
     * it may not be framed, and forms and connections go back to it only.
     */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    @Bean
    AuthenticationProvider slicePanelAuthentication(AccountService accounts, PasswordEncoder encoder, SignInThrottle throttle,
                                                   AuditLog audit, TwoFactorService twoFactor) {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(new AccountUserDetailsService(accounts));
        passwords.setPasswordEncoder(encoder);
        return new ThrottledAuthenticationProvider(passwords, throttle, accounts, audit, twoFactor);
    }

    @Bean
    SecurityFilterChain panelSecurityFilterChain(HttpSecurity http, RequestUtil vaadinRequests, TwoFactorService twoFactor,
                                                 AccountService accounts, AuditLog audit, Clock clock, SecurityContexts contexts) throws Exception {
        RequestMatcher loginPost = PathPatternRequestMatcher.withDefaults().matcher(org.springframework.http.HttpMethod.POST, LOGIN);
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers("/console/xterm/**", "/console/slice-console.js", "/stats/**", "/report-assets/**", "/webjars/**", "/slice.css").permitAll()
                // The REST API's documentation page (its JSON is under /api, in the orchestrator's chain).
                .requestMatchers("/swagger-ui/**", "/swagger-ui.html").permitAll()
                // Vaadin's configurer denies paths that are not its own; whose console it is, the service decides.
                .requestMatchers("/console/ws/*").authenticated()
                // Spring Boot's error page, so that a refusal (a 403 for a missing CSRF token) stays a 403 instead of
                // becoming a redirect to the sign-in page.
                .requestMatchers("/error").permitAll());
        // Vaadin's internal requests (UIDL, heartbeat) are checked by Vaadin's own token; a login post is never one
        // of them, even when its URL carries Vaadin's request-type parameter.
        http.csrf(csrf -> csrf
                .ignoringRequestMatchers(request -> vaadinRequests.isFrameworkInternalRequest(request) && !loginPost.matches(request))
                .csrfTokenRequestHandler(new CsrfTokenFromHeaderOrBody()));
        http.headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .contentTypeOptions(nosniff -> {})
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                // Written before the request goes on: Vaadin's pages are forwarded to its servlet, and a forwarded
                // response is finished underneath the wrapper that would write them at commit (so none were sent).
                .addObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                    @Override
                    public <O extends HeaderWriterFilter> O postProcess(O filter) {
                        filter.setShouldWriteHeadersEagerly(true);
                        return filter;
                    }
                }));
        http.with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin
                .loginView(LoginView.class)
                .enableCsrfConfiguration(false));
        // After Vaadin's configurer, so that its login page is set before form login initializes.
        http.formLogin(form -> form.failureHandler(new SignInFailureHandler(LOGIN, clock)));
        http.logout(logout -> logout.addLogoutHandler(new SignOutAudit(accounts, audit)));
        // The code step of two-factor sign-in: after the CSRF filter, beside the password step.
        http.addFilterBefore(new TwoFactorSignInFilter(twoFactor, accounts, audit, clock, contexts), UsernamePasswordAuthenticationFilter.class);
        return http.build();
    }
}
