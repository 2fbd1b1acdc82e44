package dev.slice.layout;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.ParentLayout;
import dev.slice.error.NotFoundException;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What a view shows when the service layer says a thing does not exist for this user. Another tenant's
 * server is "not found" as well, so the page tells a stranger nothing about it.
 */
@PageTitle("Not found · Slice")
@ParentLayout(MainLayout.class)
@PermitAll
public class MissingView extends VerticalLayout implements HasErrorParameter<NotFoundException> {

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
        addClassName("slice-page");
        setId("not-found");
        removeAll();
        add(new H2("Not found"), new Paragraph(parameter.getCaughtException().getMessage()
                + ". It may have been deleted, or it belongs to someone else."));
        return HttpServletResponse.SC_NOT_FOUND;
    }
}
