package dev.slice.api;

import dev.slice.account.Actor;
import dev.slice.error.ForbiddenException;
import jakarta.servlet.http.HttpServletRequest;
import dev.slice.security.CurrentActor;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets controller methods take the caller as an {@link Actor} parameter. A session whose account has a
 * {@link dev.slice.security.FirstStep} pending (a one-time password to replace, a mandatory two-factor enrolment) may only
 * call that step's paths, as in the panel.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ActorArgumentResolver implements WebMvcConfigurer, HandlerMethodArgumentResolver {
    private final CurrentActor current;

    public ActorArgumentResolver(CurrentActor current) {
        this.current = current;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Actor.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                  WebDataBinderFactory binders) {
        Actor actor = current.get().orElseThrow(() -> new AuthenticationCredentialsNotFoundException("not logged in"));
        HttpServletRequest http = request.getNativeRequest(HttpServletRequest.class);
        String path = http == null ? "" : http.getRequestURI().substring(http.getContextPath().length());
        current.firstStep(current.authentication()).filter(step -> !step.allows(path)).ifPresent(step -> {
            throw new ForbiddenException(step.message());
        });
        return actor;
    }
}
