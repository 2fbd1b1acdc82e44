package dev.slice.layout;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.ParentLayout;
import dev.slice.error.ForbiddenException;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;

/** What a view shows when the service layer refuses the signed-in user. */
@PageTitle("Not allowed · Slice")
@ParentLayout(MainLayout.class)
@PermitAll
public class ForbiddenView extends VerticalLayout implements HasErrorParameter<ForbiddenException> {

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<ForbiddenException> parameter) {
        addClassName("slice-page");
        setId("forbidden");
        removeAll();
        add(new H2("Not allowed"), new Paragraph(parameter.getCaughtException().getMessage()));
        return HttpServletResponse.SC_FORBIDDEN;
    }
}
