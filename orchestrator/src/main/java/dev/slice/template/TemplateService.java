package dev.slice.template;

import dev.slice.error.PlainText;
import dev.slice.error.ValidationException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** OS templates; every account may list the enabled ones (they are the same for everybody). */
@Service
public class TemplateService {
    private final JdbcClient jdbc;

    public TemplateService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<OsTemplate> available() {
        return jdbc.sql("select * from os_template where enabled order by name").query((rs, n) -> template(rs)).list();
    }

    /** The enabled templates a plan of this backend can be installed with. */
    public List<OsTemplate> availableFor(String backend) {
        return available().stream().filter(t -> t.offeredOn(backend)).toList();
    }

    /** Throws on field {@code template} unless the name is an enabled template. */
    public void requireAvailable(String name) {
        PlainText.require("template", name, 64, "choose an OS template");
        boolean ok = jdbc.sql("select exists(select 1 from os_template where name = ? and enabled)")
                .param(name).query(Boolean.class).single();
        if (!ok) throw new ValidationException("template", "unknown OS template '" + name + "'");
    }

    /** Throws on field {@code template} unless the name is an enabled template that this backend installs. */
    public void requireAvailable(String name, String backend) {
        requireAvailable(name);
        OsTemplate template = available().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
        if (!template.offeredOn(backend)) {
            throw new ValidationException("template", "OS template '" + name + "' is not offered on " + backend
                    + " plans (only on " + String.join(", ", template.backends()) + ")");
        }
    }

    /** Adds the template if missing (first start). */
    public void ensure(String name, String label) {
        jdbc.sql("insert into os_template (name, label) values (?, ?) on conflict (name) do nothing").params(name, label).update();
    }

    private static OsTemplate template(ResultSet rs) throws SQLException {
        String[] backends = (String[]) rs.getArray("backends").getArray();
        return new OsTemplate(rs.getString("name"), rs.getString("label"), rs.getBoolean("enabled"), Arrays.asList(backends));
    }
}
