package dev.slice.account.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Actor;
import dev.slice.account.ApiToken;
import dev.slice.account.ApiTokenService;
import dev.slice.account.NewApiToken;
import dev.slice.account.TokenScope;
import dev.slice.display.ResponsiveGrid;
import dev.slice.display.FieldErrors;
import dev.slice.display.Times;
import dev.slice.error.ValidationException;
import dev.slice.security.SignedInUser;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The user's tokens for the REST API ({@code Authorization: Bearer ...}): a new token is shown once, here,
 * and never again; revoked tokens stop working at once. A token may be read-only (GET and HEAD) and may expire at
 * 00:00 UTC of a chosen day, at most {@link ApiTokenService#MAX_LIFETIME} away.
 */
@Route("tokens")
@PageTitle("API tokens · Slice")
@Menu(title = "API tokens", order = 40, icon = "vaadin:key")
@PermitAll
public class ApiTokensView extends VerticalLayout {

    private final ApiTokenService tokens;
    private final Actor actor;
    private final Grid<ApiToken> grid = new Grid<>(ApiToken.class, false);
    private final Pre fresh = new Pre();
    private final Div freshBox = new Div();
    private final Clock clock;

    public ApiTokensView(ApiTokenService tokens, SignedInUser user, Clock clock) {
        this.clock = clock;
        this.tokens = tokens;
        this.actor = user.actor();
        addClassName("slice-page");

        TextField name = new TextField("Name");
        name.setId("token-name");
        name.setPlaceholder("deploy script");
        name.setManualValidation(true);
        Select<TokenScope> scope = new Select<>();
        scope.setLabel("Scope");
        scope.setId("token-scope");
        scope.setItems(TokenScope.values());
        scope.setItemLabelGenerator(s -> s == TokenScope.FULL ? "full" : "read-only (GET, HEAD)");
        scope.setValue(TokenScope.FULL);
        DatePicker expires = new DatePicker("Expires (00:00 UTC, optional)");
        expires.setId("token-expires");
        expires.setManualValidation(true);
        expires.setI18n(new DatePicker.DatePickerI18n().setDateFormat("yyyy-MM-dd"));
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        expires.setMin(today.plusDays(1));
        expires.setMax(LocalDate.ofInstant(clock.instant().plus(ApiTokenService.MAX_LIFETIME), ZoneOffset.UTC));
        FieldErrors errors = new FieldErrors().bind("name", name).bind("expiresAt", expires);
        Button create = new Button("Create token", e -> {
            errors.clear();
            try {
                Instant expiry = expires.getValue() == null ? null : expires.getValue().atStartOfDay(ZoneOffset.UTC).toInstant();
                NewApiToken created = tokens.create(actor, name.getValue(), scope.getValue(), expiry);
                fresh.setText(created.token());
                freshBox.setVisible(true);
                name.clear();
                expires.clear();
                refresh();
            } catch (ValidationException ex) {
                errors.show(ex);
            }
        });
        create.setId("token-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(name, scope, expires, create);
        form.setAlignItems(Alignment.BASELINE);

        fresh.setId("token-new");
        fresh.addClassName("slice-output");
        Paragraph once = new Paragraph("Copy this token now: it is shown only once. Slice keeps only a hash of it, so it "
                + "cannot show it again; if it is lost, revoke it and create a new one.");
        once.setId("token-once");
        Button copy = new Button("Copy token", e -> copyToClipboard());
        copy.setId("token-copy");
        copy.addThemeVariants(ButtonVariant.LUMO_SMALL);
        freshBox.setId("token-fresh");
        freshBox.add(once, fresh, copy);
        freshBox.setVisible(false);

        grid.setId("tokens");
        grid.addColumn(ApiToken::name).setHeader("Name").setWidth("6rem").setFlexGrow(1);
        Grid.Column<ApiToken> token = grid.addColumn(t -> t.prefix() + "…").setHeader("Token").setAutoWidth(true);
        grid.addColumn(t -> t.scope().id()).setHeader("Scope").setAutoWidth(true);
        Grid.Column<ApiToken> created = grid.addColumn(t -> Times.shown(t.createdAt())).setHeader("Created").setWidth("8rem");
        Grid.Column<ApiToken> expiresColumn = grid.addColumn(this::expiry).setHeader("Expires").setWidth("8rem");
        Grid.Column<ApiToken> lastUsed = grid.addColumn(t -> t.lastUsedAt() == null ? "never" : Times.shown(t.lastUsedAt()))
                .setHeader("Last used").setWidth("8rem");
        grid.addComponentColumn(this::revokeButton).setAutoWidth(true).setFlexGrow(0);
        ResponsiveGrid.fit(grid).from(ResponsiveGrid.DESKTOP, token, created).from(ResponsiveGrid.TABLET, expiresColumn, lastUsed);
        grid.setAllRowsVisible(true);

        add(new H2("API tokens"),
                new Paragraph("For scripts and tools: send 'Authorization: Bearer <token>' to the REST API under /api "
                        + "(documentation at /api/docs). The token acts as you."),
                form, errors.general(), freshBox, grid);
        refresh();
    }

    /**
     * The browser's clipboard where the page may use it (a secure context), else the older copy command on a
     * selection; the notice says which happened, so nobody leaves believing a token was copied when it was not.
     */
    private void copyToClipboard() {
        fresh.getElement().executeJs("""
                const text = this.textContent.trim();
                const byCommand = () => {
                  const area = document.createElement('textarea');
                  area.value = text;
                  document.body.appendChild(area);
                  area.select();
                  const done = document.execCommand('copy');
                  area.remove();
                  return done;
                };
                if (navigator.clipboard && window.isSecureContext) {
                  return navigator.clipboard.writeText(text).then(() => true, () => byCommand());
                }
                return byCommand();""").then(Boolean.class, copied -> notice(Boolean.TRUE.equals(copied)
                        ? "Token copied to the clipboard." : "The browser did not allow copying: select the token and copy it by hand.",
                !Boolean.TRUE.equals(copied)), failure -> notice("The browser did not allow copying: select the token and copy it by hand.", true));
    }

    private static void notice(String text, boolean problem) {
        Notification shown = Notification.show(text, 4000, Notification.Position.BOTTOM_START);
        if (problem) shown.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    private com.vaadin.flow.component.Component revokeButton(ApiToken token) {
        if (token.revokedAt() != null) return new Paragraph("revoked " + Times.shown(token.revokedAt()));
        Button revoke = new Button("Revoke", e -> {
            ConfirmDialog confirm = new ConfirmDialog("Revoke " + token.name() + "?",
                    "Programs using this token lose access at once.", "Revoke", ok -> {
                tokens.revoke(actor, token.id());
                freshBox.setVisible(false);
                refresh();
            });
            confirm.setCancelable(true);
            confirm.setConfirmButtonTheme("error primary");
            confirm.open();
        });
        revoke.setId("token-revoke-" + token.id());
        revoke.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
        return revoke;
    }

    private String expiry(ApiToken token) {
        if (token.expiresAt() == null) return "never";
        return (token.expired(clock.instant()) ? "expired " : "") + Times.shown(token.expiresAt());
    }

    private void refresh() {
        grid.setItems(tokens.list(actor));
    }
}
