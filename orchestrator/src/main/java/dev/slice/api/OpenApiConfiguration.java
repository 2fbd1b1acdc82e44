package dev.slice.api;

import dev.slice.account.Actor;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API description served at /api/openapi (JSON) and /api/docs (Swagger UI). */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {
    static {
        // The caller is resolved from the session or token (ActorArgumentResolver), never sent as a parameter.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Actor.class);
    }

    @Bean
    OpenAPI sliceOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Slice API").version("1")
                        .description("Servers, plans, accounts, jobs and nodes of a Slice installation. Authenticate with "
                                + "'Authorization: Bearer <token>' (create tokens under /api/tokens) or the panel's session."))
                .components(new Components().addSecuritySchemes("token",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
                .addSecurityItem(new SecurityRequirement().addList("token"));
    }
}
