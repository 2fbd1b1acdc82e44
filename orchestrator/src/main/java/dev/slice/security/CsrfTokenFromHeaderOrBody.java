package dev.slice.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;

/**
 * Spring Security's default CSRF handling, except that a token in the URL's query string is not accepted: URLs end
 * up in logs, browser history and Referer headers. The token comes in the header or in a form body only; a request
 * that carries it in the query is treated as carrying none.
 */
public final class CsrfTokenFromHeaderOrBody implements CsrfTokenRequestHandler {
    private final XorCsrfTokenRequestAttributeHandler standard = new XorCsrfTokenRequestAttributeHandler();

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> csrfToken) {
        standard.handle(request, response, csrfToken);
    }

    @Override
    public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken csrfToken) {
        String name = csrfToken.getParameterName();
        if (!inQueryString(request, name)) return standard.resolveCsrfTokenValue(request, csrfToken);
        return standard.resolveCsrfTokenValue(new HttpServletRequestWrapper(request) {
            @Override
            public String getParameter(String parameter) {
                return name.equals(parameter) ? null : super.getParameter(parameter);
            }
        }, csrfToken);
    }

    static boolean inQueryString(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null || query.isEmpty()) return false;
        for (String pair : query.split("&")) {
            String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            try {
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) return true;
            } catch (IllegalArgumentException malformed) {
                return true; // a query that cannot be read is not trusted to be free of the token
            }
        }
        return false;
    }
}
