package dev.slice.security;

import dev.slice.account.ApiTokenService;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The security of {@code /api/**} only (the panel owns the catch-all chain): a session from the panel's
 * login or an API token. Session-authenticated calls that change something need the CSRF token; token
 * calls do not (a bearer header cannot be sent by another site's page). Errors are JSON. The Swagger UI's files
 * ({@code /api/swagger-ui/**}, where springdoc serves them for {@code /api/docs}) are public like the document.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ApiSecurityConfiguration {
    /** Ahead of Spring Boot's default chain and of any catch-all chain the application adds. */
    public static final int ORDER = SecurityFilterProperties.BASIC_AUTH_ORDER - 10;

    @Bean
    @Order(ORDER)
    SecurityFilterChain sliceApiSecurity(HttpSecurity http, ApiTokenService tokens, SecurityContexts contexts) throws Exception {
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/api/openapi", "/api/openapi/**", "/api/docs", "/api/docs/**", "/api/swagger-ui/**").permitAll()
                        // The payment provider's webhook authenticates by the body's HMAC signature (ProviderEvents).
                        .requestMatchers(org.springframework.http.HttpMethod.POST, "/api/billing/provider-events").permitAll()
                        .anyRequest().authenticated())
                .addFilterBefore(new BearerTokenFilter(tokens, contexts), AnonymousAuthenticationFilter.class)
                // Only a session can be ridden by another site's page; without one the request is simply unauthenticated (401).
                .csrf(csrf -> csrf.csrfTokenRequestHandler(new CsrfTokenFromHeaderOrBody()) // never from the query string
                        .requireCsrfProtectionMatcher(request -> !BearerTokenFilter.hasBearer(request)
                        && request.getSession(false) != null
                        && !java.util.Set.of("GET", "HEAD", "OPTIONS", "TRACE").contains(request.getMethod())))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> JsonErrors.write(response, 401, "unauthenticated",
                                "log in or send 'Authorization: Bearer <token>'"))
                        .accessDeniedHandler((request, response, e) -> JsonErrors.write(response, 403, "forbidden",
                                e.getMessage() == null ? "forbidden" : e.getMessage())))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable());
        return http.build();
    }
}
