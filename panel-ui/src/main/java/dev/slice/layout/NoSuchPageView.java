package dev.slice.layout;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.ParentLayout;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A page that does not exist, or one the user's role may not open: Vaadin's access control answers both
 * the same way, so a customer learns nothing about operator pages.
 */
@PageTitle("No such page · Slice")
@ParentLayout(MainLayout.class)
@PermitAll
public class NoSuchPageView extends VerticalLayout implements HasErrorParameter<NotFoundException> {

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
        addClassName("slice-page");
        setId("no-such-page");
        removeAll();
        add(new H2("No such page"), new Paragraph("'/" + event.getLocation().getPath() + "' is not a page you can open."));
        return HttpServletResponse.SC_NOT_FOUND;
    }
}
