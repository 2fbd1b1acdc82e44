package dev.slice.security;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The panel's filter chain: form login through the Vaadin login view for everything that is not the REST API
 * (the orchestrator's own chain matches {@code /api/**} first). The console WebSocket handshake at
 * {@code /console/ws/*} rides on the same session; here it only needs a signed-in user, the handshake
 * interceptor asks the server service whether that user may use this server.
 */
@Configuration
@EnableWebSecurity
class PanelSecurityConfiguration {

    @Bean
    SecurityFilterChain panelSecurityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers("/console/xterm/**", "/console/slice-console.js", "/stats/**", "/webjars/**", "/slice.css").permitAll()
                // The REST API's documentation page (its JSON is under /api, in the orchestrator's chain).
                .requestMatchers("/swagger-ui/**", "/swagger-ui.html").permitAll()
                // Vaadin's configurer denies paths that are not its own; whose console it is, the service decides.
                .requestMatchers("/console/ws/*").authenticated());
        return http.with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class)).build();
    }
}
