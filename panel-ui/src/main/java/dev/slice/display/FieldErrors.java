package dev.slice.display;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.html.Span;
import dev.slice.error.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shows the service layer's {@link ValidationException} beside the form fields it names; an error on a
 * field the form does not have (e.g. "planId" for "no capacity left"), or a refusal that names no field, goes to the
 * form's general message.
 */
public final class FieldErrors {

    private final Map<String, HasValidation> fields = new LinkedHashMap<>();
    private final Span general = new Span();

    public FieldErrors() {
        general.addClassName("slice-form-error");
        general.setId("form-error");
        general.getStyle().set("color", "var(--lumo-error-text-color)");
        general.setVisible(false);
    }

    public FieldErrors bind(String field, HasValidation component) {
        fields.put(field, component);
        return this;
    }

    /** Where messages without a field of their own appear; add it to the form. */
    public Span general() {
        return general;
    }

    public void clear() {
        fields.values().forEach(f -> {
            f.setInvalid(false);
            f.setErrorMessage(null);
        });
        general.setText("");
        general.setVisible(false);
    }

    public void show(ValidationException e) {
        clear();
        StringBuilder rest = new StringBuilder();
        if (e.errors().isEmpty()) rest.append(capitalized(e.getMessage())); // a refusal of the whole request
        for (ValidationException.FieldError error : e.errors()) {
            HasValidation field = fields.get(error.field());
            if (field != null) {
                field.setErrorMessage(capitalized(error.message()));
                field.setInvalid(true);
            } else {
                if (!rest.isEmpty()) rest.append(' ');
                rest.append(capitalized(error.message())).append(error.message().endsWith(".") ? "" : ".");
            }
        }
        showGeneral(rest.toString());
    }

    public void showGeneral(String message) {
        general.setText(message);
        general.setVisible(!message.isBlank());
    }

    private static String capitalized(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }
}
