package dev.slice.layout;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.page.ColorScheme;

/**
 * Light or dark. Without a choice the panel follows the browser's preference ({@code @ColorScheme(LIGHT_DARK)} on the
 * application: Lumo's light-dark colours under {@code color-scheme: light dark}). The toggle turns to the opposite of what
 * is shown and remembers that in the browser's local storage, which {@link #RESTORE} applies before the first paint of
 * every later page (so a dark page never flashes light). A preference of the browser, not of the account: a phone and
 * a desktop may well differ.
 */
public final class ColorSchemes {
    static final String STORAGE_KEY = "slice-color-scheme";

    /** A script for the page's head: the remembered choice, if any, before anything is drawn. */
    public static final String RESTORE = "try { const s = localStorage.getItem('" + STORAGE_KEY + "');"
            + " if (s === 'dark' || s === 'light') { document.documentElement.setAttribute('theme', s);"
            + " document.documentElement.style.colorScheme = s; } } catch (e) { /* no storage: follow the browser */ }";

    /** What is shown now (the remembered choice, else the browser's preference), turned round and remembered. */
    private static final String TOGGLE = "const html = document.documentElement; const theme = html.getAttribute('theme') || '';"
            + " const dark = theme.split(' ').includes('dark') || (!theme.split(' ').includes('light')"
            + " && matchMedia('(prefers-color-scheme: dark)').matches);"
            + " const next = dark ? 'light' : 'dark';"
            + " try { localStorage.setItem('" + STORAGE_KEY + "', next); } catch (e) { }"
            + " return next;";

    private ColorSchemes() {}

    static void toggle(Component source) {
        source.getUI().ifPresent(ui -> ui.getPage().executeJs(TOGGLE).then(String.class,
                next -> ui.getPage().setColorScheme(ColorScheme.Value.fromString(next))));
    }
}
