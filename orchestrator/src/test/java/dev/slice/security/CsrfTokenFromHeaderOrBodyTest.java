package dev.slice.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.DefaultCsrfToken;

/** Where a CSRF token may come from (the panel's SignInHardeningTest checks the same over real HTTP). */
class CsrfTokenFromHeaderOrBodyTest {
    private final CsrfToken token = new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "the-real-token");
    private final CsrfTokenFromHeaderOrBody handler = new CsrfTokenFromHeaderOrBody();

    /** The masked form a page is given, as Spring Security hands it out. */
    private String masked() {
        MockHttpServletRequest page = new MockHttpServletRequest("GET", "/login");
        handler.handle(page, new MockHttpServletResponse(), () -> token);
        return ((CsrfToken) page.getAttribute(CsrfToken.class.getName())).getToken();
    }

    @Test
    void aTokenInTheBodyOrTheHeaderIsRead() {
        MockHttpServletRequest body = new MockHttpServletRequest("POST", "/login");
        body.setQueryString("error");
        body.addParameter("_csrf", masked());
        assertThat(handler.resolveCsrfTokenValue(body, token)).isEqualTo("the-real-token");

        MockHttpServletRequest header = new MockHttpServletRequest("POST", "/api/tokens");
        header.addHeader("X-CSRF-TOKEN", masked());
        assertThat(handler.resolveCsrfTokenValue(header, token)).isEqualTo("the-real-token");
    }

    @Test
    void aTokenInTheQueryStringIsNotRead() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
        String value = masked();
        request.setQueryString("_csrf=" + value);
        request.addParameter("_csrf", value); // the servlet API mixes query and body parameters
        assertThat(handler.resolveCsrfTokenValue(request, token)).isNull();

        request.setQueryString("x=1&%5Fcsrf=" + value);
        assertThat(handler.resolveCsrfTokenValue(request, token)).as("an encoded name is the same name").isNull();
    }
}
