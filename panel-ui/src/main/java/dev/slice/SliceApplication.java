package dev.slice;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.ColorScheme;
import com.vaadin.flow.component.page.Inline;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.theme.lumo.Lumo;
import dev.slice.layout.ColorSchemes;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The runnable Slice application: the orchestrator (services, jobs, REST API) and the Vaadin panel in one
 * process.
 */
@SpringBootApplication
@StyleSheet(Lumo.STYLESHEET)
@StyleSheet("slice.css")
// Light or dark as the browser prefers, until the viewer picks one with the toggle (ColorSchemes).
@ColorScheme(ColorScheme.Value.LIGHT_DARK)
public class SliceApplication implements AppShellConfigurator {

    public static void main(String[] args) {
        SpringApplication.run(SliceApplication.class, args);
    }

    @Override
    public void configurePage(AppShellSettings settings) {
        settings.setPageTitle("Slice");
        settings.addInlineWithContents(Inline.Position.APPEND, ColorSchemes.RESTORE, Inline.Wrapping.JAVASCRIPT);
    }
}
