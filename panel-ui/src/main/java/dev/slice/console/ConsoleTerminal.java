package dev.slice.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.page.Page;

/**
 * The browser console of one server: an xterm.js terminal connected straight to {@code /console/ws/{id}}.
 * Keystrokes and output do not pass through Vaadin's round trips; the WebSocket authorizes by itself. The script
 * sends the terminal's size, reconnects by itself when the socket ends (a guest reboot, a Slice restart) and shows
 * the connection's state above the screen. xterm.js is served as static files (see fetch-assets.sh), loaded as
 * plain scripts.
 */
public class ConsoleTerminal extends Div {

    private final String serverId;

    public ConsoleTerminal(String serverId) {
        this.serverId = serverId;
        addClassName("slice-console");
        setId("console-" + serverId);
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        Page page = attachEvent.getUI().getPage();
        page.addStyleSheet("console/xterm/xterm.css");
        page.addJavaScript("console/xterm/xterm.js");
        page.addJavaScript("console/xterm/addon-fit.js");
        page.addJavaScript("console/slice-console.js");
        getElement().executeJs("window.sliceConsole.attach(this, $0)",
                ConsoleWebSocketConfiguration.PATH_PREFIX + serverId);
    }

    /** Leaving the page closes the socket, so the server side detaches from the guest's console at once. */
    @Override
    protected void onDetach(DetachEvent detachEvent) {
        detachEvent.getUI().getPage().executeJs("window.sliceConsole && window.sliceConsole.detach($0)", getId().orElseThrow());
    }
}
