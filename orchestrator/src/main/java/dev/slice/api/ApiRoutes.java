package dev.slice.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything under {@code /api} is answered by the API, in JSON, also when no controller takes the request: an
 * unknown path is a JSON 404 (not the panel's page, whose servlet otherwise takes every path), a known path with
 * the wrong method a 405 with {@code Allow}, a wrong media type 415. Without this, Spring's default would send an
 * error page through the panel's login chain (a redirect to /login).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ApiRoutes {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SWAGGER_UI_FILES = "/api/swagger-ui/";

    /**
     * After the controllers (order 0), before the catch-all mappings of static resources and of the panel
     * (both {@code Ordered.LOWEST_PRECEDENCE - 1}).
     */
    @Bean
    SimpleUrlHandlerMapping sliceApiNotFoundMapping() {
        HttpRequestHandler notFound = (request, response) -> write(response, ApiErrors.notFound());
        SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(Map.of("/api", notFound, "/api/**", notFound)) {
            @Override
            protected Object getHandlerInternal(HttpServletRequest request) throws Exception {
                // springdoc serves the Swagger UI's files for /api/docs here, through the static resource mapping.
                return path(request).startsWith(SWAGGER_UI_FILES) ? null : super.getHandlerInternal(request);
            }
        };
        mapping.setOrder(Ordered.LOWEST_PRECEDENCE - 2);
        return mapping;
    }

    /** Errors of requests under /api that no Slice controller handled (it has {@link ApiErrors} for its own). */
    @Bean
    HandlerExceptionResolver sliceApiRouteErrors() {
        return new RouteErrors();
    }

    static boolean isApi(HttpServletRequest request) {
        String path = path(request);
        return path.equals("/api") || path.startsWith("/api/");
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static final class RouteErrors implements HandlerExceptionResolver, Ordered {
        @Override
        public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler, Exception e) {
            if (handler instanceof HandlerMethod || !isApi(request) || response.isCommitted()) return null;
            try {
                write(response, ApiErrors.toResponse(e));
            } catch (IOException io) {
                return null;
            }
            return new ModelAndView();
        }

        /** Ahead of Spring's default resolver, which would send a bare error page. */
        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE + 1;
        }
    }

    private static void write(HttpServletResponse response, ResponseEntity<ApiError> error) throws IOException {
        response.setStatus(error.getStatusCode().value());
        error.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), error.getBody());
    }
}
