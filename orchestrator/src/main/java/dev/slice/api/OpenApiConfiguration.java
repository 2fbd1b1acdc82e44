package dev.slice.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API description served at /api/openapi (JSON) and /api/docs (Swagger UI). */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {
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
