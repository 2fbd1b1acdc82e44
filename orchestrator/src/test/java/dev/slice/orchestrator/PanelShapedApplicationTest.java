package dev.slice.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.SliceTestApplication;
import dev.slice.account.AccountService;
import dev.slice.db.testing.TestDatabaseInitializer;
import dev.slice.server.ServerService;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;

/**
 * The runnable application (panel-ui) puts @SpringBootApplication in package dev.slice, so its scan also finds
 * the orchestrator's beans that the auto-configuration imports: each must still exist exactly once.
 */
class PanelShapedApplicationTest {

    @Configuration
    @EnableAutoConfiguration(exclude = UserDetailsServiceAutoConfiguration.class)
    @ComponentScan(basePackages = "dev.slice", excludeFilters = {
            @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
            // Test code of this module is not part of an application.
            @ComponentScan.Filter(type = FilterType.REGEX, pattern = {".*Test.*", "dev\\.slice\\.testing\\..*", "dev\\.slice\\.bench\\..*",
                    "dev\\.slice\\.SliceTestApplication"})})
    @Import(SliceTestApplication.class)
    static class ScanningApplication {}

    @Test
    void everyServiceExistsOnceWhenTheApplicationAlsoScansDevSlice() {
        SpringApplication application = new SpringApplication(ScanningApplication.class);
        application.setWebApplicationType(WebApplicationType.SERVLET);
        application.addInitializers(new TestDatabaseInitializer());
        try (ConfigurableApplicationContext context = application.run("--server.port=0", "--slice.jobs.enabled=false",
                "--slice.reconciler.enabled=false", "--slice.bootstrap.configure-bridge=false", "--slice.data-dir=target/slice-data")) {
            assertThat(context.getBeansOfType(AccountService.class)).hasSize(1);
            assertThat(context.getBeansOfType(ServerService.class)).hasSize(1);
            assertThat(context.getBeansOfType(org.springframework.security.web.SecurityFilterChain.class)).hasSize(1);
            assertThat(context.getBeansOfType(dev.slice.api.ApiJson.class)).hasSize(1);
            assertThat(context.getBeansOfType(dev.slice.api.ApiRoutes.class)).hasSize(1);
        }
    }
}
